"""Following work that runs elsewhere and reports as it goes (a renderer laying out pages):
in a thread of this process, or in a worker process.

Both are generators of the work's progress Details: the caller (a Progress generator)
yields them on as finer news of its current step. Only the latest report is passed on,
at most every ``EVERY_S`` seconds, so a fast renderer cannot flood a terminal or the GUI.
Closing the generator (Cancel, Ctrl-C) stops work in a thread at its next report; a
worker process is stopped by its owner (pipeline._stop).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Generator
from typing import Any

from .progress import Detail, OnProgress

#: how often the news passes on, at most (seconds)
EVERY_S = 0.1
#: how long one wait for news lasts before checking whether the work has ended
POLL_S = 0.05


class Stopped(Exception):
    """Raised inside work in a thread, at its next report, once nobody follows it."""


_END = object()


def in_thread(work: Callable[[OnProgress], Any], *, name: str = "briefpack-work",
              every: float = EVERY_S) -> Generator[Detail, None, Any]:
    """Run ``work(report)`` in a thread of its own; yield what it reports; return what it
    returns, or raise what it raised. The caller's thread stays free for signals (Ctrl-C,
    SIGTERM) and for Cancel, which, by closing this generator, stops the work at its next
    report and waits for it to end."""
    updates: queue.SimpleQueue = queue.SimpleQueue()
    stop = threading.Event()
    outcome: list[tuple[bool, Any]] = []

    def report(detail: Detail) -> None:
        if stop.is_set():
            raise Stopped
        updates.put(detail)

    def run() -> None:
        try:
            outcome.append((True, work(report)))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            outcome.append((False, exc))
        finally:
            updates.put(_END)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    try:
        yield from _latest(lambda timeout: _take(updates, timeout), every)
    finally:
        stop.set()
        thread.join()
    done, value = outcome[0]
    if not done:
        raise value
    return value


def _take(updates: queue.SimpleQueue, timeout: float) -> tuple[Detail | None, bool]:
    """Wait up to ``timeout`` for news; return the latest news and whether the work ended."""
    latest, ended = None, False
    try:
        item = updates.get(timeout=timeout)
        while True:
            if item is _END:
                ended = True
            else:
                latest = item
            item = updates.get_nowait()
    except queue.Empty:
        pass
    return latest, ended


class WorkerNews:
    """The progress news of work in worker processes: ``(tag, detail)`` pairs on one
    multiprocessing queue, followed one piece of work (one tag) at a time. News of work
    not yet followed is kept (its latest only) until it is."""

    #: how long to wait, once the work has ended, for news it sent just before
    GRACE_S = 0.02

    def __init__(self, updates) -> None:
        self._updates = updates
        self._latest: dict[str, Detail] = {}

    def follow(self, future, tag: str, *,
               every: float = EVERY_S) -> Generator[Detail, None, Any]:
        """Yield the news tagged ``tag`` while ``future`` runs; return its result, or
        raise its error."""

        def take(timeout: float) -> tuple[Detail | None, bool]:
            self._drain(timeout)
            ended = future.done()
            if ended:  # its last news may still be on the way
                self._drain(self.GRACE_S)
            return self._latest.pop(tag, None), ended

        yield from _latest(take, every)
        return future.result()

    def _drain(self, timeout: float) -> None:
        try:
            tag, detail = self._updates.get(timeout=timeout)
            while True:
                self._latest[tag] = detail
                tag, detail = self._updates.get_nowait()
        except queue.Empty:
            pass


def _latest(take: Callable[[float], tuple[Detail | None, bool]],
            every: float) -> Generator[Detail, None, None]:
    """Pass the latest news on, at most every ``every`` seconds, and the last of it when
    the work ends."""
    shown = float("-inf")
    pending = None
    while True:
        news, ended = take(POLL_S)
        pending = news or pending
        if pending is not None and (ended or time.monotonic() - shown >= every):
            yield pending
            pending, shown = None, time.monotonic()
        if ended:
            return


class Throttled:
    """A report that passes news on at most every ``every`` seconds, and always a final
    count (one not estimated that has reached its total): a worker process sends less."""

    def __init__(self, report: OnProgress, every: float = EVERY_S / 2):
        self._report = report
        self._every = every
        self._sent = float("-inf")

    def __call__(self, detail: Detail) -> None:
        now = time.monotonic()
        final = not detail.estimated and detail.expected is not None \
            and detail.done >= detail.expected
        if final or now - self._sent >= self._every:
            self._sent = now
            self._report(detail)
