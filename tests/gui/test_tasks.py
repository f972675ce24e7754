"""The background-task helper: work off the GUI thread, answers on it, cancel that sticks."""

from __future__ import annotations

import itertools
import threading
import time

import pytest
from PySide6.QtCore import QTimer

from wizard.gui.services import Cancelled
from wizard.gui.tasks import TaskRunner


@pytest.fixture
def runner(qapp):  # type: ignore[no-untyped-def]
    r = TaskRunner()
    yield r
    r.cancel_all()
    assert r.join_all(5)


def test_result_and_progress_arrive_on_the_gui_thread(qtbot, runner) -> None:  # type: ignore
    seen: dict[str, object] = {}
    progress: list[tuple[int, bool]] = []

    def job(cancel, report):  # type: ignore[no-untyped-def]
        seen["worker"] = threading.current_thread() is not threading.main_thread()
        for i in range(3):
            report(i)
        return "done"

    def on_result(value: str) -> None:
        seen["result"] = value
        seen["result_on_main"] = threading.current_thread() is threading.main_thread()

    def on_progress(value: int) -> None:
        progress.append((value, threading.current_thread() is threading.main_thread()))

    task = runner.run(job, on_result, pytest.fail, on_progress=on_progress)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert seen == {"worker": True, "result": "done", "result_on_main": True}
    assert progress == [(0, True), (1, True), (2, True)]


def test_an_exception_reaches_on_error(qtbot, runner) -> None:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []

    def job(cancel, report):  # type: ignore[no-untyped-def]
        raise OSError("network is unreachable")

    task = runner.run(job, pytest.fail, errors.append)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert [str(e) for e in errors] == ["network is unreachable"]


def test_cancel_tells_the_job_and_drops_its_late_result(qtbot, runner) -> None:  # type: ignore
    stopped = threading.Event()
    cancelled: list[bool] = []

    def job(cancel, report):  # type: ignore[no-untyped-def]
        cancel.wait(5)
        stopped.set()
        return "too late"

    task = runner.run(job, lambda v: pytest.fail("result after cancel"), pytest.fail,
                      on_cancelled=lambda: cancelled.append(True))
    task.cancel()
    assert stopped.wait(2), "the job was not told to stop"
    assert runner.join_all(2)
    qtbot.wait(50)  # let a (wrong) late delivery happen if it would
    assert cancelled == [True]
    assert not task.running


def test_the_job_raising_cancelled_counts_as_cancelled(qtbot, runner) -> None:  # type: ignore
    cancelled: list[bool] = []

    def job(cancel, report):  # type: ignore[no-untyped-def]
        raise Cancelled

    task = runner.run(job, pytest.fail, pytest.fail, on_cancelled=lambda: cancelled.append(True))
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert cancelled == [True]


def test_the_event_loop_keeps_running_while_a_job_blocks(qtbot, runner) -> None:  # type: ignore
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()

    def job(cancel, report):  # type: ignore[no-untyped-def]
        time.sleep(0.6)  # a blocking call, as a slow server makes one
        return None

    task = runner.run(job, lambda v: None, pytest.fail)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    timer.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 10
    assert max(gaps) < 0.2, f"the GUI stalled for {max(gaps):.2f} s"
