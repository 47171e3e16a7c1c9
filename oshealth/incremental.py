"""Fact collection that reuses earlier runs: per-file results, the parsed history, release facts.

Each collector gives exactly what a run without a cache gives (the tests
compare whole reports byte for byte); the cache only saves work:

* **Python files** are read (cheap) and keyed by path, git blob id and the
  check options; only files with no stored record are analysed, on every core
  (:mod:`oshealth.parallel`).
* **Docstring style** records are keyed by path, blob id, engine, engine
  version, convention and the package folders above the file (what a ruff
  verdict depends on, see :mod:`oshealth.analysis.docstyle`); the engine runs
  on the other files only.
* **History**: see :mod:`oshealth.history`.
* **Release facts** are keyed by the tags (names, commits, dates) and the
  number of releases read.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oshealth import parallel, parts, worktree
from oshealth.analysis import docstyle as docstyle_analysis
from oshealth.analysis import pyfile
from oshealth.cache import Cache
from oshealth.git import GitRepository, Tag

if TYPE_CHECKING:
    from oshealth.release.history import ReleaseHistory

Progress = Callable[[str, int, int], None]


@dataclass
class CollectStats:
    """What one collection reused and what it computed (logged, and read by tests).

    Attributes:
        files_cached: Python files whose record came from the cache.
        files_analysed: Python files analysed in this run.
        workers: Worker processes used for the analysis (0: in the calling process).
        style_cached: Files whose docstring-style verdict came from the cache.
        style_checked: Files handed to the docstring-style engine in this run.
        history: ``cached`` (same HEAD), ``extended`` (new commits read on top of a
            stored history), ``read`` (the whole history read from git) or ``none`` (no commits).
        commits_read: Commits read from git in this run.
        release: ``cached``, ``read`` or ``none``.
    """

    files_cached: int = 0
    files_analysed: int = 0
    workers: int = 0
    style_cached: int = 0
    style_checked: int = 0
    history: str = "none"
    commits_read: int = 0
    release: str = "none"


def settings_digest(settings: Mapping[str, Any]) -> str:
    """A stable text of the settings a cached record depends on (the check options)."""
    return json.dumps(settings, sort_keys=True, default=repr)


def analyse_python(
    root: Path,
    paths: Sequence[str],
    *,
    settings: str,
    cache: Cache | None,
    jobs: int | None,
    stats: CollectStats,
    progress: Progress | None,
) -> tuple[list[pyfile.PythonFile], list[tuple[str, str]]]:
    """Read every Python file once and analyse those the cache does not know.

    Args:
        root: The work tree.
        paths: The repository-relative ``.py`` paths, in order.
        settings: :func:`settings_digest` of the options records depend on.
        cache: The cache, or None.
        jobs: The most processes to analyse on (None: every core).
        stats: Updated with the counts.
        progress: Called as ``progress("files", done, total)``.

    Returns:
        The records in the order of ``paths`` (non-files left out), and
        ``(path, reason)`` of each file that could not be read.
    """
    contents, skipped = _read_files(root, paths)
    keys = {path: ("" if cache is None else cache.key("python", path, pyfile.blob_id(data), settings))
            for path, data in contents}
    found, unread_runs = _cached_records(cache, keys)
    stats.files_cached = len(found)
    missing = [(path, data) for path, data in contents if path not in found]
    done = len(found)
    if progress and done:
        progress("files", done, len(paths))

    def on_done(batch: list[pyfile.PythonFile]) -> None:
        """Store a finished batch (but records cut short by the time limit: they depend on the machine)."""
        nonlocal done
        if cache is not None:
            cache.put_many("python", [(keys[record.path], record) for record in batch if not record.timed_out])
        done += len(batch)
        if progress:
            progress("files", done, len(paths))

    stats.workers = parallel.workers_for(missing, jobs)
    analysed = {record.path: record for record in parallel.analyse_files(missing, jobs, on_done)}
    stats.files_analysed = len(analysed)
    records = [found.get(path) or analysed[path] for path, _ in contents]
    _keep_runs(cache, unread_runs, keys, records)
    return records, skipped


def _read_files(root: Path, paths: Sequence[str]) -> tuple[list[tuple[str, bytes]], list[tuple[str, str]]]:
    """Read each file that is a regular file (or a link to one inside the work tree); note those not read."""
    contents: list[tuple[str, bytes]] = []
    skipped: list[tuple[str, str]] = []
    base = os.fspath(root)
    real_root = os.path.realpath(root)
    for path in paths:
        full = os.path.join(base, path)  # os.path, not pathlib: this runs for every Python file
        try:
            mode = os.lstat(full).st_mode
            if stat.S_ISLNK(mode):
                if not os.path.isfile(full):
                    continue  # a link to a folder, or dangling
                if worktree.links_out(real_root, Path(full)):
                    skipped.append((path, worktree.OUTSIDE))
                    continue
            elif not stat.S_ISREG(mode):
                continue  # a socket, a folder...: not source
            with open(full, "rb") as handle:
                contents.append((path, handle.read()))
        except FileNotFoundError:
            continue  # gone since git listed it
        except OSError as exc:
            skipped.append((path, f"cannot read: {exc.strerror or exc}"))
    return contents, skipped


def _cached_records(
    cache: Cache | None, keys: Mapping[str, str]
) -> tuple[dict[str, pyfile.PythonFile], dict[str, list[str]]]:
    """The stored records of the files, by path (a record of another path is a miss), and the runs not read whole.

    Records are read a run at a time (:func:`oshealth.parts.runs_of`; sympy's
    1,603 in about 50 rows), then one by one for the runs not stored.
    """
    if cache is None:
        return {}, {}
    ordered = list(keys.values())
    by_key, unread = _read_runs(cache, ordered)
    by_key.update(cache.get_many("python", [key for key in ordered if key not in by_key], pyfile.PythonFile))
    found = {path: by_key[key] for path, key in keys.items() if key in by_key}
    return {path: record for path, record in found.items() if record.path == path}, unread


def _read_runs(cache: Cache, ordered: list[str]) -> tuple[dict[str, pyfile.PythonFile], dict[str, list[str]]]:
    """The records of the stored runs of ``ordered`` keys, by key, and the runs not stored."""
    runs = {cache.key("pythons", *run): run for run in parts.runs_of(ordered)}
    stored = cache.get_many("pythons", list(runs), tuple, _all_records)
    by_key: dict[str, pyfile.PythonFile] = {}
    for run_key, run in runs.items():
        if len(stored.get(run_key, ())) == len(run):
            by_key.update(zip(run, stored[run_key], strict=True))
    return by_key, {run_key: run for run_key, run in runs.items() if run_key not in stored}


def _all_records(value: tuple[Any, ...]) -> bool:
    """Whether a stored run holds records only."""
    return all(type(record) is pyfile.PythonFile for record in value)


def _keep_runs(cache: Cache | None, runs: Mapping[str, list[str]], keys: Mapping[str, str],
               records: Sequence[pyfile.PythonFile]) -> None:
    """Store each run not read whole whose records are all kept (none cut short by the time limit)."""
    if cache is None:
        return
    kept = {keys[record.path]: record for record in records if not record.timed_out}
    cache.put_many("pythons", [(run_key, tuple(kept[key] for key in run))
                               for run_key, run in runs.items() if all(key in kept for key in run)])


def docstyle(
    root: Path,
    records: Sequence[pyfile.PythonFile],
    files: Sequence[str],
    options: Mapping[str, Any],
    *,
    cache: Cache | None,
    stats: CollectStats,
) -> docstyle_analysis.DocstyleFacts:
    """Docstring style of every analysed file, the engine run only on files the cache does not know.

    Args:
        root: The work tree.
        records: The analysed Python files (their paths and blob ids).
        files: Every file of the work tree (for the repository's own convention).
        options: The docstring-style check's options.
        cache: The cache, or None.
        stats: Updated with the counts.

    Returns:
        What :func:`oshealth.analysis.docstyle.collect` gives for every file.
    """
    paths = [r.path for r in records]
    base = docstyle_analysis.collect(root, [], files, options)  # engine, version, convention: runs nothing
    if cache is None or base.error:
        stats.style_checked = len(set(paths))
        return docstyle_analysis.collect(root, paths, files, options)
    keys = _style_keys(cache, root, records, base)
    stored = cache.present("docstyle", sorted(set(keys.values())))
    missing = sorted({path for path in paths if keys[path] not in stored})
    stats.style_cached, stats.style_checked = len(set(paths)) - len(missing), len(missing)
    fresh = docstyle_analysis.collect(root, missing, files, options) if missing else base
    if fresh.error:  # the engine failed: give exactly what a run over every file gives
        stats.style_cached, stats.style_checked = 0, len(set(paths))
        return docstyle_analysis.collect(root, paths, files, options)
    cache.put_many("docstyle", [(keys[path], fresh.files[path]) for path in missing])
    judge = _Judge(root, files, options)
    return replace(base, files=StoredStyles(sorted(set(paths)), keys, fresh.files, cache, judge), identities=keys)


def _style_keys(cache: Cache, root: Path, records: Sequence[pyfile.PythonFile],
                base: docstyle_analysis.DocstyleFacts) -> dict[str, str]:
    """Each file's cache key: its blob, the engine and its version, the convention, the packages above it."""
    packages = _PackageFolders(root)
    return {
        r.path: cache.key("docstyle", r.path, r.blob_id, base.engine, base.engine_version, base.convention,
                          packages.above(r.path))
        for r in records
    }


@dataclass(frozen=True)
class _Judge:
    """Runs the engine on files whose stored verdict cannot be read after all (damaged, or the cache closed)."""

    root: Path
    files: Sequence[str]
    options: Mapping[str, Any]

    def __call__(self, paths: Sequence[str]) -> Mapping[str, docstyle_analysis.FileStyle]:
        """The verdicts on ``paths``, the engine run now."""
        return docstyle_analysis.collect(self.root, paths, self.files, self.options).files


class StoredStyles(Mapping[str, docstyle_analysis.FileStyle]):
    """Every file's verdict by path, sorted: those the cache holds are read when first asked for.

    A re-audit after one file changed asks for that file's verdict only (the
    check's parts of the others are stored), so the others are not decoded.
    """

    def __init__(self, paths: Sequence[str], keys: Mapping[str, str],
                 fresh: Mapping[str, docstyle_analysis.FileStyle], cache: Cache,
                 judge: Callable[[Sequence[str]], Mapping[str, docstyle_analysis.FileStyle]]) -> None:
        """The verdicts on ``paths``: ``fresh`` ones made now, the others stored under ``keys``."""
        self._paths = paths
        self._keys = keys
        self._known = dict(fresh)
        self._cache = cache
        self._judge = judge

    def __getitem__(self, path: str) -> docstyle_analysis.FileStyle:
        """A file's verdict; the first stored one asked for reads every stored one at once."""
        if path not in self._known:
            if path not in self._keys:
                raise KeyError(path)
            self._load()
        return self._known[path]

    def _load(self) -> None:
        """Read every stored verdict not read yet; judge again the files whose verdict cannot be read."""
        wanted = {path: self._keys[path] for path in self._paths if path not in self._known}
        found = self._cache.get_many("docstyle", sorted(set(wanted.values())), docstyle_analysis.FileStyle)
        self._known.update((path, found[key]) for path, key in wanted.items() if key in found)
        lost = [path for path in wanted if path not in self._known]
        if lost:
            self._known.update(self._judge(lost))

    def __iter__(self) -> Iterator[str]:
        """The paths, sorted."""
        return iter(self._paths)

    def __len__(self) -> int:
        """How many files were judged."""
        return len(self._paths)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as a plain dict (the cache stays with this run)."""
        return (dict, (dict(self.items()),))


class _PackageFolders:
    """Which folders above a file are packages (hold ``__init__.py``): ruff's verdicts depend on it."""

    def __init__(self, root: Path) -> None:
        """Look folders up under ``root``, each once."""
        self._root = root
        self._known: dict[str, bool] = {}

    def above(self, path: str) -> str:
        """One letter per folder above ``path``, outermost first: ``p`` for a package, ``-`` otherwise."""
        parts = path.split("/")[:-1]
        marks = []
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth])
            if folder not in self._known:
                here = self._root / folder
                self._known[folder] = (here / "__init__.py").is_file() or (here / "__init__.pyi").is_file()
            marks.append("p" if self._known[folder] else "-")
        return "".join(marks)


def release_history(
    repo: GitRepository, tags: Iterable[Tag], count: int, *, cache: Cache | None, stats: CollectStats
) -> ReleaseHistory:
    """The last ``count`` releases' facts, stored by the tags (names, commits, dates) they come from.

    Args:
        repo: The repository.
        tags: Its tags.
        count: How many releases to read.
        cache: The cache, or None.
        stats: Updated with whether the facts were read.

    Returns:
        What :func:`oshealth.release.history.collect` gives.
    """
    from oshealth.release import history  # loaded only when the check runs

    tags = list(tags)
    key = "" if cache is None else cache.key("release", str(count), *(f"{t.name} {t.sha} {t.created_at}" for t in tags))
    if cache is not None:
        found = cache.get_many("release", [key], history.ReleaseHistory)
        if key in found:
            stats.release = "cached"
            return found[key]
    facts = history.collect(repo, tags, count)
    stats.release = "read"
    if cache is not None and facts.problem is None:
        cache.put_many("release", [(key, facts)])
    return facts
