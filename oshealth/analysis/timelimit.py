"""A per-file time limit: a file whose analysis runs away becomes a finding, not a stall.

The analysis of one file is linear in its size (one parse, one walk, one
masking pass; files over :data:`oshealth.analysis.source.MAX_PARSE_BYTES`
are not parsed), so the limit is a safety net for what nobody foresaw.

How it stops the work: in the main thread of a process (the command line,
and each worker process of the parallel analysis, whose tasks run in their
main thread) an interval timer (``signal.setitimer(ITIMER_REAL)``) raises
:class:`TimeLimitExceeded` in the analysing code, which the caller turns into
a record with an error. Work that :func:`oshealth.analysis.source.run_deep`
moved to its deep-stack thread is stopped the same way: the waiting main
thread receives the exception and hands it to that thread. A signal is
handled between two bytecodes, so a long call into C (one ``ast.parse``)
finishes first. The limit is not applied outside the main thread, nor while
another interval timer of the process runs (it is left alone).

The limit comes from :data:`TIME_LIMIT_ENV` (seconds; ``0`` turns it off),
else :data:`DEFAULT_SECONDS`.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

log = logging.getLogger(__name__)

#: Environment variable holding the per-file time limit in seconds (``0``: no limit).
TIME_LIMIT_ENV = "OSHEALTH_FILE_TIME_LIMIT"
#: The limit when the environment does not set one.
DEFAULT_SECONDS = 30.0


class TimeLimitExceeded(Exception):
    """The analysis of one file ran past its time limit."""


def seconds_from_env() -> float | None:
    """The per-file time limit the environment asks for.

    Returns:
        Seconds, or None for no limit (``0`` or a negative value); a value
        that is not a number gives :data:`DEFAULT_SECONDS` (and a warning).
    """
    raw = os.environ.get(TIME_LIMIT_ENV, "").strip()
    if not raw:
        return DEFAULT_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        log.warning("%s=%r is not a number of seconds: using %g", TIME_LIMIT_ENV, raw, DEFAULT_SECONDS)
        return DEFAULT_SECONDS
    return seconds if seconds > 0 else None


class _Alarm:
    """The interval timer of one limited call and whether it may still fire."""

    armed = False

    @classmethod
    def handler(cls, signum: int, frame: FrameType | None) -> None:
        """Raise in the interrupted code, unless the limited call already ended."""
        if cls.armed:
            cls.armed = False
            raise TimeLimitExceeded


def can_limit() -> bool:
    """Whether a time limit can be applied here: the main thread, with no interval timer running."""
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        and not _Alarm.armed
    )


@contextmanager
def time_limit(seconds: float | None) -> Iterator[bool]:
    """Raise :class:`TimeLimitExceeded` in the block once it has run ``seconds``.

    Args:
        seconds: The limit; None for none.

    Yields:
        Whether the limit applies (see :func:`can_limit`).
    """
    if seconds is None or not can_limit():
        yield False
        return
    previous = signal.signal(signal.SIGALRM, _Alarm.handler)
    _Alarm.armed = True
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield True
    finally:
        _Alarm.armed = False  # first: a signal arriving now finds the call over and does nothing
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def stop_thread(thread: threading.Thread) -> None:
    """Ask a thread to stop by raising :class:`TimeLimitExceeded` in it at its next bytecode.

    Used on the deep-stack thread of :func:`oshealth.analysis.source.run_deep`
    when the time limit interrupts the main thread waiting for it (CPython's
    ``PyThreadState_SetAsyncExc``; a no-op where that is missing).

    Args:
        thread: A started thread.
    """
    ident = thread.ident
    set_async_exc = getattr(ctypes.pythonapi, "PyThreadState_SetAsyncExc", None)
    if ident is None or set_async_exc is None or not thread.is_alive():
        return
    set_async_exc(ctypes.c_ulong(ident), ctypes.py_object(TimeLimitExceeded))
