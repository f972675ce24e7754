"""The one way the GUI runs slow work: off the GUI thread, answers back on it.

After Picard's ``run_task`` and Electrum's ``TaskThread``: :meth:`TaskRunner.run` starts
``job(cancel, report)`` on a worker thread and returns a :class:`Task` handle. Progress the
job reports, its result and its exception reach the callbacks on the GUI thread (through
queued Qt signals), so callbacks may touch widgets and jobs never do. After
:meth:`Task.cancel`, the job is told through its :class:`CancelToken` and nothing it
delivers later reaches the callbacks.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from wizard.gui.services import Cancelled, CancelToken

log = logging.getLogger(__name__)

Job = Callable[[CancelToken, Callable[[Any], None]], Any]


class Task(QObject):
    """A running job; emits ``finished`` once, on the GUI thread, however it ended."""

    _progress = Signal(object)
    _result = Signal(object)
    _error = Signal(object)
    finished = Signal()

    def __init__(
        self,
        on_result: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        on_progress: Callable[[Any], None] | None,
        on_cancelled: Callable[[], None] | None,
    ) -> None:
        super().__init__()
        self.token = CancelToken()
        self._on_result = on_result
        self._on_error = on_error
        self._on_progress = on_progress
        self._on_cancelled = on_cancelled
        self._done = False
        self.worker: threading.Thread | None = None
        self._progress.connect(self._deliver_progress)
        self._result.connect(self._deliver_result)
        self._error.connect(self._deliver_error)

    @property
    def running(self) -> bool:
        return not self._done

    def cancel(self) -> None:
        """Tell the job to stop; its callbacks are not called any more."""
        if self._done:
            return
        self.token.cancel()
        self._finish()
        if self._on_cancelled:
            self._on_cancelled()

    def wait(self, seconds: float) -> bool:
        """Wait for the worker thread to end (tests, shutdown); True if it did."""
        if self.worker is not None:
            self.worker.join(seconds)
            return not self.worker.is_alive()
        return True

    def _finish(self) -> None:
        self._done = True
        self.finished.emit()

    @Slot(object)
    def _deliver_progress(self, value: object) -> None:
        if not self._done and self._on_progress:
            self._on_progress(value)

    @Slot(object)
    def _deliver_result(self, value: object) -> None:
        if self._done:
            return
        self._finish()
        self._on_result(value)

    @Slot(object)
    def _deliver_error(self, exc: BaseException) -> None:
        if self._done:
            return
        self._finish()
        if isinstance(exc, Cancelled):
            if self._on_cancelled:
                self._on_cancelled()
            return
        self._on_error(exc)

    def _work(self, job: Job) -> None:
        # Runs on the worker thread: only emits signals, which Qt queues to the GUI thread.
        try:
            result = job(self.token, self._progress.emit)
        except BaseException as exc:  # delivered to on_error, where it becomes words
            if not isinstance(exc, Cancelled):
                log.debug("task failed", exc_info=exc)
            self._error.emit(exc)
        else:
            self._result.emit(result)


class TaskRunner(QObject):
    """Starts jobs and keeps their handles until they end, so none is lost or leaked."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: list[Task] = []
        self._threads: list[threading.Thread] = []

    def run(
        self,
        job: Job,
        on_result: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        *,
        on_progress: Callable[[Any], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        name: str = "mailwizard-task",
    ) -> Task:
        task = Task(on_result, on_error, on_progress, on_cancelled)
        self._tasks.append(task)
        task.finished.connect(lambda: self._forget(task))
        # Daemon: a job stuck in a system call must not keep the program alive after the
        # window closed; every core job has its own deadline as well.
        task.worker = threading.Thread(target=task._work, args=(job,), name=name, daemon=True)
        task.worker.start()
        self._threads = [t for t in self._threads if t.is_alive()] + [task.worker]
        return task

    def _forget(self, task: Task) -> None:
        if task in self._tasks:
            self._tasks.remove(task)

    @property
    def active(self) -> list[Task]:
        return list(self._tasks)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def join_all(self, seconds: float) -> bool:
        """Wait for every worker thread (also of cancelled tasks) to end; True if they did."""
        deadline = time.monotonic() + seconds
        for thread in list(self._threads):
            thread.join(max(0.0, deadline - time.monotonic()))
        self._threads = [t for t in self._threads if t.is_alive()]
        return not self._threads
