"""Racing, deadlines and cancellation: results by priority, nothing left running."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from wizard.discovery.net import NetError, Stream
from wizard.discovery.scope import Cancelled, Job, Scope, gather, race


def sleeper(seconds: float, value: str | None) -> Job[str]:
    def run(scope: Scope) -> str | None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            scope.check()
            time.sleep(0.005)
        return value
    return Job(run, (0,), value or "none")


def ranked(*jobs: Job[str]) -> list[Job[str]]:
    return [Job(j.run, (i,), j.name) for i, j in enumerate(jobs)]


def test_a_better_job_is_waited_for_a_worse_one_is_not():
    started = time.monotonic()
    won = race(Scope(5), ranked(sleeper(0.3, "best"), sleeper(0.0, "worse")))
    assert won == (0, "best")
    assert 0.3 <= time.monotonic() - started < 1.0

    started = time.monotonic()
    won = race(Scope(5), ranked(sleeper(0.0, "best"), sleeper(3.0, "worse")))
    assert won == (0, "best")
    assert time.monotonic() - started < 0.5  # the slow worse job was cancelled, not awaited


def test_a_failed_better_job_lets_the_next_win_at_once():
    started = time.monotonic()
    won = race(Scope(5), ranked(sleeper(0.1, None), sleeper(0.0, "second"), sleeper(3, "x")))
    assert won == (1, "second")
    assert time.monotonic() - started < 0.6


def test_at_the_deadline_the_best_finished_result_wins():
    started = time.monotonic()
    won = race(Scope(0.3), ranked(sleeper(10, "never"), sleeper(0.0, "fallback")))
    assert won == (1, "fallback")
    assert 0.3 <= time.monotonic() - started < 0.8


def test_equal_ranks_take_the_first_success():
    jobs = [Job(sleeper(0.5, "slow").run, (0,)), Job(sleeper(0.0, "fast").run, (0,))]
    assert race(Scope(5), jobs) == (1, "fast")


def test_cancellation_raises_and_joins_every_thread():
    scope = Scope(10)
    before = threading.active_count()
    threading.Timer(0.1, scope.cancel).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        race(scope, ranked(sleeper(10, "a"), sleeper(10, "b")))
    assert time.monotonic() - started < 0.6
    time.sleep(0.05)  # the Timer thread itself ends after calling cancel
    assert threading.active_count() <= before


def test_gather_waits_for_all():
    results = gather(Scope(5), [sleeper(0.1, "a").run, sleeper(0.0, None).run,
                                sleeper(0.2, "c").run])
    assert results == ["a", None, "c"]


def test_cancel_wakes_a_blocked_read_at_once():
    left, right = socket.socketpair()
    with left, right:
        left.setblocking(False)
        scope = Scope(30)
        scope.track(left)
        threading.Timer(0.1, scope.cancel).start()
        started = time.monotonic()
        with pytest.raises(Cancelled):
            Stream(scope, left).readline()
        assert time.monotonic() - started < 0.5


def test_a_read_ends_at_the_deadline():
    left, right = socket.socketpair()
    with left, right:
        left.setblocking(False)
        started = time.monotonic()
        with pytest.raises(Cancelled) as info:
            Stream(Scope(0.2), left).readline()
        assert info.value.reason == "timeout"
        assert time.monotonic() - started < 0.5


def test_lines_are_bounded():
    left, right = socket.socketpair()
    with left, right:
        left.setblocking(False)
        right.sendall(b"x" * 20000)
        with pytest.raises(NetError, match="over-long"):
            Stream(Scope(2), left).readline()


def test_child_scopes_never_outlive_their_parent():
    parent = Scope(1)
    assert parent.child(60).deadline == parent.deadline
    parent.cancel()
    child = parent.child(5)
    assert child.reason == "cancelled"
