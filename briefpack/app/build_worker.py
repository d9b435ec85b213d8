"""Long work off the GUI thread: a QRunnable that turns a job's Progress steps into signals.

A job is a plain callable run in the pool. If it returns an iterator (the pipeline's
Progress generator), each step with ``step``/``total``/``message`` becomes a ``progress``
signal (the message with how far the step has got, "… — page 37 of about 120") and a
``stepped`` signal carrying the step itself (its ``done`` share moves the bar), and the
generator's return value (or its last non-progress item) is the result. Cancel is
checked between steps, and a long render reports several times a second, so Cancel
stops it mid-way. Errors become ``failed`` with the exact message.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..errors import BriefpackError

log = logging.getLogger(__name__)


class WorkerSignals(QObject):
    """Signals of one job; they arrive on the GUI thread (queued connections)."""

    progress = Signal(int, int, str)
    #: the Progress step itself (or any object with step, total and message)
    stepped = Signal(object)
    #: something the user should know before circulating the output
    warning = Signal(str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class Worker(QRunnable):
    """Runs ``job()`` in a QThreadPool thread."""

    def __init__(self, job: Callable[[], Any], name: str = "job"):
        super().__init__()
        self.job = job
        self.name = name
        self.signals = WorkerSignals()
        self._cancel = threading.Event()
        self.setAutoDelete(False)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            self._run()
        except RuntimeError as exc:
            # the window closed under a running job: nobody is left to tell
            log.info("%s ended after its window closed: %s", self.name, exc)

    def _run(self) -> None:
        try:
            result = self.job()
            # steps run to the end are done even if Cancel came meanwhile (see _drain)
            done = isinstance(result, Iterator)
            if done:
                result = self._drain(result)
        except _Cancelled:
            self.signals.cancelled.emit()
            return
        except BriefpackError as exc:
            self.signals.failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - every failure must reach the user
            log.error("%s failed:\n%s", self.name, traceback.format_exc())
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        if self.is_cancelled and not done:
            self.signals.cancelled.emit()
        else:
            self.signals.finished.emit(result)

    def _drain(self, steps: Iterator) -> Any:
        last: Any = None
        while True:
            # once a step carries the result the work is done (files moved into place, the
            # import committed): Cancel comes too late, and saying "cancelled" would mislead
            if self.is_cancelled and last is None:
                close = getattr(steps, "close", None)
                if close:
                    close()
                raise _Cancelled
            try:
                item = next(steps)
            except StopIteration as stop:
                return stop.value if stop.value is not None else last
            if is_progress(item):
                text = getattr(item, "text", item.message)
                self.signals.progress.emit(int(item.step), int(item.total), str(text))
                self.signals.stepped.emit(item)
                for warning in getattr(item, "warnings", ()) or ():
                    self.signals.warning.emit(str(warning))
                result = getattr(item, "result", None) or getattr(item, "paths", None)
                if result:
                    last = result
            else:
                last = item


def is_progress(item: Any) -> bool:
    return all(hasattr(item, name) for name in ("step", "total", "message"))


class _Cancelled(Exception):
    pass


class Jobs(QObject):
    """Starts workers on the global pool and keeps them alive until they end."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pool = QThreadPool.globalInstance()
        self._running: set[Worker] = set()

    def start(self, job: Callable[[], Any], *, name: str = "job",
              on_finished: Callable[[Any], None] | None = None,
              on_failed: Callable[[str], None] | None = None,
              on_progress: Callable[[int, int, str], None] | None = None,
              on_step: Callable[[Any], None] | None = None,
              on_cancelled: Callable[[], None] | None = None,
              on_warning: Callable[[str], None] | None = None) -> Worker:
        worker = Worker(job, name)
        signals = worker.signals
        if on_progress:
            signals.progress.connect(on_progress)
        if on_step:
            signals.stepped.connect(on_step)
        if on_finished:
            signals.finished.connect(on_finished)
        if on_failed:
            signals.failed.connect(on_failed)
        if on_cancelled:
            signals.cancelled.connect(on_cancelled)
        if on_warning:
            signals.warning.connect(on_warning)
        for done in (signals.finished, signals.failed, signals.cancelled):
            done.connect(lambda *_, w=worker: self._running.discard(w))
        self._running.add(worker)
        self.pool.start(worker)
        return worker

    def running(self) -> int:
        return len(self._running)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until every job has ended (closing the window, tests)."""
        return self.pool.waitForDone(msecs)
