"""Analysis of many Python files on every core, with the same result as one by one.

Files are handed to a pool of worker processes in chunks, the largest files
first so that no core is left with a long file at the end; results come back
in the order of the input whatever order they finish in, so the output equals
a serial run's byte for byte. The workers are started with ``spawn`` (a fresh
interpreter, safe when the parent runs threads: a progress display, GitPython)
and need nothing from the parent but the file's path and bytes: the analysis
is a pure function of them (:func:`oshealth.analysis.pyfile.analyse`).

A few files are analysed in the calling process: starting interpreters costs
more than it saves below :data:`PARALLEL_MIN_BYTES` of source.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence

from oshealth import collector
from oshealth.analysis import pyfile

log = logging.getLogger(__name__)

#: Less source than this (in bytes, over every file to analyse) is analysed in the calling process.
PARALLEL_MIN_BYTES = 256 * 1024
#: A chunk holds at most this many files...
CHUNK_FILES = 32
#: ...and at most about this many bytes (a larger file makes a chunk of its own).
CHUNK_BYTES = 256 * 1024

#: How often the loop over results looks for a ^C, in seconds.
_POLL_SECONDS = 0.2

#: One file to analyse: its index in the input, its path, its bytes.
Task = tuple[int, str, bytes]
#: Called in the calling process with each batch of finished results.
OnDone = Callable[[list[pyfile.PythonFile]], None]


def available_cores() -> int:
    """The number of cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def workers_for(files: Sequence[tuple[str, bytes]], jobs: int | None) -> int:
    """How many worker processes to use: 0 (in process) for ``jobs=1`` or little source, else up to ``jobs``.

    Args:
        files: ``(path, bytes)`` of each file to analyse.
        jobs: The most processes wanted; None for every available core.

    Returns:
        The number of worker processes, or 0 to analyse in the calling process.
    """
    wanted = available_cores() if jobs is None else max(1, jobs)
    if wanted == 1 or len(files) < 2 or sum(len(data) for _, data in files) < PARALLEL_MIN_BYTES:
        return 0
    return min(wanted, len(files))


def analyse_files(files: Sequence[tuple[str, bytes]], jobs: int | None, on_done: OnDone) -> list[pyfile.PythonFile]:
    """Analyse every file, on several processes when it pays.

    Args:
        files: ``(path, bytes)`` of each file.
        jobs: The most processes to use; None for every available core, 1 for the calling process only.
        on_done: Receives each batch of results as it is ready, in the calling process.

    Returns:
        One record per file, in the order of ``files``.
    """
    workers = workers_for(files, jobs)
    tasks = [(i, path, data) for i, (path, data) in enumerate(files)]
    if workers == 0:
        return _in_process(tasks, on_done)
    results: list[pyfile.PythonFile | None] = [None] * len(tasks)
    try:
        # records come back pickled: unpickling them with the collector on costs as much as the analysis
        with collector.paused():
            _in_pool(tasks, workers, results, on_done)
    except concurrent.futures.process.BrokenProcessPool as exc:
        # a worker died (out of memory, a crash in a C extension): finish here what it left undone
        log.warning("a worker process died (%s): the rest is analysed in this process", exc)
        _in_process([t for t in tasks if results[t[0]] is None], on_done, results)
    return [r for r in results if r is not None]


def _in_process(
    tasks: list[Task], on_done: OnDone, results: list[pyfile.PythonFile | None] | None = None
) -> list[pyfile.PythonFile]:
    """Analyse the tasks one by one here, reporting every chunk's worth of them."""
    done: list[pyfile.PythonFile] = []
    for chunk in _chunks(tasks, sort=False):
        batch = analyse_chunk(chunk)
        for index, record in batch:
            if results is not None:
                results[index] = record
            done.append(record)
        on_done([record for _, record in batch])
    return done


def _in_pool(tasks: list[Task], workers: int, results: list[pyfile.PythonFile | None], on_done: OnDone) -> None:
    """Analyse the tasks on ``workers`` processes, filling ``results`` by input index.

    Raises:
        KeyboardInterrupt: ^C came; the pool was stopped first (see :func:`_deferred_interrupts`).
    """
    context = multiprocessing.get_context("spawn")
    log.debug("analysing %d files on %d processes", len(tasks), workers)
    with _deferred_interrupts() as interrupted:
        pool = concurrent.futures.ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker)
        try:
            pending = {pool.submit(analyse_chunk, chunk) for chunk in _chunks(tasks, sort=True)}
            while pending and not interrupted():
                done, pending = concurrent.futures.wait(pending, _POLL_SECONDS, concurrent.futures.FIRST_COMPLETED)
                for future in done:
                    batch = future.result()
                    for index, record in batch:
                        results[index] = record
                    on_done([record for _, record in batch])
        finally:
            pool.shutdown(wait=True, cancel_futures=True)  # workers finish the chunk in hand
    if interrupted():
        raise KeyboardInterrupt


@contextlib.contextmanager
def _deferred_interrupts() -> Iterator[Callable[[], bool]]:
    """Turn ^C into a flag while the pool works, so that it is stopped in good order.

    ^C raised anywhere in the pool's own bookkeeping (a submission, a queue)
    can leave it unable to shut down, and terminating workers can cut a
    result in half and leave the pool's thread waiting for the rest forever.
    So the handler only sets a flag, the loop stops taking results, and the
    pool is shut down: pending chunks are dropped, each worker finishes the
    chunk in hand (bounded by the per-file time limit). The previous handler
    is left alone when it is not Python's default (^C ignored, or handled by
    the caller), and outside the main thread, where no signal arrives.

    Yields:
        A function telling whether ^C came.
    """
    flag = threading.Event()
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield flag.is_set
        return
    signal.signal(signal.SIGINT, lambda signum, frame: flag.set())
    try:
        yield flag.is_set
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _start_worker() -> None:
    """Prepare a worker process: ^C is left to the calling process, and the worker ends when it ends.

    The calling process cancels pending work on ^C (workers print no traceback
    of their own); when it dies without shutting the pool down (``kill -9``),
    workers would otherwise wait for work forever.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    collector.tune()
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), name="oshealth-orphan-watch", daemon=True).start()


def _exit_with(sentinel: int) -> None:
    """Wait until the calling process is gone, then end this worker at once."""
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def _chunks(tasks: list[Task], *, sort: bool) -> list[list[Task]]:
    """Cut the tasks into chunks of at most :data:`CHUNK_FILES` files and about :data:`CHUNK_BYTES` bytes.

    Args:
        tasks: The tasks, in input order.
        sort: Largest files first (for a pool: the long ones start early and the short ones fill the gaps).

    Returns:
        The chunks.
    """
    ordered = sorted(tasks, key=lambda t: (-len(t[2]), t[0])) if sort else tasks
    chunks: list[list[Task]] = []
    current: list[Task] = []
    size = 0
    for task in ordered:
        if current and (len(current) >= CHUNK_FILES or size + len(task[2]) > CHUNK_BYTES):
            chunks.append(current)
            current, size = [], 0
        current.append(task)
        size += len(task[2])
    if current:
        chunks.append(current)
    return chunks


def analyse_chunk(chunk: list[Task]) -> list[tuple[int, pyfile.PythonFile]]:
    """Analyse a chunk of files (in a worker process or here); a module-level function, so ``spawn`` finds it.

    Args:
        chunk: The tasks.

    Returns:
        ``(input index, record)`` of each task.
    """
    return [(index, pyfile.analyse(path, data)) for index, path, data in chunk]
