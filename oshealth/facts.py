"""Repository facts: everything oshealth reads from a repository, read once.

Checks are pure functions of :class:`RepoFacts`; they never run git or open
files. Collection reads each Python file once (see
:mod:`oshealth.analysis.pyfile`) and the history in one streaming pass.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from oshealth import ci, history, incremental, worktree
from oshealth.analysis import docstyle as docstyle_analysis
from oshealth.analysis import pyfile
from oshealth.cache import Cache
from oshealth.clock import CLOCK_STEP as CLOCK_STEP
from oshealth.clock import audit_clock as audit_clock
from oshealth.clock import clock as clock
from oshealth.config import Config
from oshealth.git import Commit, GitRepository, Tag
from oshealth.historysummary import HistorySummary
from oshealth.incremental import CollectStats

if TYPE_CHECKING:
    from oshealth.release.history import ReleaseHistory

log = logging.getLogger(__name__)

#: Largest document (README, CI config...) read as text.
MAX_DOCUMENT_BYTES = 1024 * 1024
#: Folders whose files are read as documents (community files, CI, docs index).
DOCUMENT_FOLDERS = (
    ".github", ".gitlab", ".circleci", ".azure-pipelines", "docs", "doc", "changelog.d", "newsfragments"
)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SkippedFile:
    """A file that could not be read at all (permissions, vanished...).

    Attributes:
        path: Repository-relative POSIX path.
        reason: Why it was skipped.
    """

    path: str
    reason: str


@dataclass(frozen=True)
class RepoFacts:
    """Everything the checks may look at.

    Attributes:
        root: Absolute path of the work tree (never rendered into reports).
        head: HEAD commit id, or None for a repository with no commits.
        branch: Current branch, or None when detached or unborn.
        is_shallow: Whether the clone is shallow, so history is incomplete.
        files: Every file of the work tree (tracked, plus untracked not ignored),
            minus ``exclude`` patterns; sorted repository-relative POSIX paths.
        python_files: Analysis of every ``*.py`` file in ``files``, sorted by path.
        documents: Text of small files at the root and in :data:`DOCUMENT_FOLDERS`
            (README, LICENSE, CHANGELOG, CI configs, ``pyproject.toml``...), and of
            the scripts the CI configurations run.
        commits: History reachable from HEAD, newest first (read from the cache
            only when first used: the built-in checks read ``history_summary``).
        tags: Tags pointing at commits, oldest first.
        now: The audit's clock, seconds since the epoch (``SOURCE_DATE_EPOCH`` if set).
        skipped: Files that could not be read.
        config: The oshealth configuration in force.
        docstyle: Docstring style violations of ``python_files`` (ruff's or
            pydocstyle's D rules); None unless the docstring-style check runs.
        release_history: Changelogs and public API added at the last release tags;
            None unless the release-documentation check runs.
        history_summary: What the history checks read of ``commits``
            (:mod:`oshealth.historysummary`); None when the facts were built
            without one, and the checks then summarise ``commits``.
    """

    root: Path
    head: str | None
    branch: str | None
    is_shallow: bool
    files: tuple[str, ...]
    python_files: tuple[pyfile.PythonFile, ...]
    documents: Mapping[str, str]
    commits: Sequence[Commit]
    tags: tuple[Tag, ...]
    now: int
    skipped: tuple[SkippedFile, ...] = ()
    config: Config = field(default_factory=Config)
    docstyle: docstyle_analysis.DocstyleFacts | None = None
    release_history: ReleaseHistory | None = None
    history_summary: HistorySummary | None = None

    def document(self, *names: str) -> tuple[str, str] | None:
        """Find the first document whose path equals one of ``names``, case-insensitively.

        Args:
            names: Candidate repository-relative paths, in order of preference.

        Returns:
            ``(path, text)`` of the first match, or None.
        """
        by_lower = {path.lower(): path for path in self.documents}
        for name in names:
            path = by_lower.get(name.lower())
            if path is not None:
                return path, self.documents[path]
        return None


def collect(
    repo: GitRepository,
    config: Config,
    progress: Progress | None = None,
    *,
    cache: Cache | None = None,
    jobs: int | None = 1,
    stats: CollectStats | None = None,
    now: int | None = None,
) -> RepoFacts:
    """Read every fact about ``repo`` that the checks need.

    The facts are the same with or without a cache and whatever ``jobs`` is.

    Args:
        repo: The opened repository.
        config: The configuration (its ``exclude`` patterns apply here).
        progress: Called as ``progress(stage, done, total)`` while working.
        cache: Reuse and store per-file results, the history and release facts here.
        jobs: The most processes analysing files (None: every core; 1: this process only).
        stats: Receives what was reused and what was computed.
        now: The audit clock (default: :func:`audit_clock`).

    Returns:
        The repository's facts.
    """
    stats = stats if stats is not None else CollectStats()
    files = tuple(p for p in repo.list_files() if not config.is_excluded(p))
    python_files, skipped = _analyse_python(repo.root, files, progress, config, cache, jobs, stats)
    # the history is read on a thread while the docstring-style engine and the release history mostly
    # wait for their own processes (ruff, git); beside the file analysis it only contends with the pool
    reading = _Background(lambda: history.read(repo, cache=cache, stats=stats, progress=progress, now=now))
    judging = _Background(lambda: _docstyle(repo.root, python_files, files, config, cache, stats))
    tags = tuple(repo.tags())
    release_history = _release_history(repo, tags, config, cache, stats)
    documents = _read_documents(repo.root, files)  # while ruff judges the files on its own thread
    style = judging.result()
    found = reading.result()
    log.info("collected: %s", stats)
    return RepoFacts(
        root=repo.root,
        head=repo.head(),
        branch=repo.branch(),
        is_shallow=repo.is_shallow(),
        files=files,
        python_files=python_files,
        documents=documents,
        commits=found.commits,
        tags=tags,
        now=audit_clock() if now is None else now,
        skipped=skipped,
        config=config,
        docstyle=style,
        release_history=release_history,
        history_summary=found.summary,
    )


T = TypeVar("T")


class _Background(Generic[T]):
    """A function run on a thread of its own; :meth:`result` waits for it.

    The thread is a daemon: ^C in the main thread is not held up by it.
    """

    def __init__(self, func: Callable[[], T]) -> None:
        """Start ``func``."""
        self._outcome: tuple[bool, object] = (False, RuntimeError("the background thread did not finish"))
        self._thread = threading.Thread(target=self._run, args=(func,), daemon=True, name="oshealth-facts")
        self._thread.start()

    def _run(self, func: Callable[[], T]) -> None:
        """Keep what ``func`` returns or raises."""
        try:
            self._outcome = (True, func())
        except BaseException as exc:  # handed to the waiting thread, which raises it
            self._outcome = (False, exc)

    def result(self) -> T:
        """What the function returned; what it raised is raised here."""
        self._thread.join()
        done, value = self._outcome
        if not done:
            raise cast(BaseException, value)
        return cast(T, value)


def _docstyle(root: Path, python_files: tuple[pyfile.PythonFile, ...], files: tuple[str, ...], config: Config,
              cache: Cache | None, stats: CollectStats) -> docstyle_analysis.DocstyleFacts | None:
    """The docstring style of the Python files, judged only when the docstring-style check runs."""
    if not config.wants("docstring-style"):
        return None
    options = config.check_options.get("docstring-style", {})
    return incremental.docstyle(root, python_files, files, options, cache=cache, stats=stats)


def _release_history(
    repo: GitRepository, tags: tuple[Tag, ...], config: Config, cache: Cache | None, stats: CollectStats
) -> ReleaseHistory | None:
    """The last releases' changelogs and API additions, read only for the release-documentation check."""
    if not config.wants("release-documentation") or repo.is_shallow():
        return None
    count = config.check_options.get("release-documentation", {}).get("releases", 5)
    return incremental.release_history(repo, tags, int(count), cache=cache, stats=stats)


def _analyse_python(
    root: Path,
    files: tuple[str, ...],
    progress: Progress | None,
    config: Config,
    cache: Cache | None,
    jobs: int | None,
    stats: CollectStats,
) -> tuple[tuple[pyfile.PythonFile, ...], tuple[SkippedFile, ...]]:
    """Read every ``.py`` file of the work tree once; analyse those the cache does not hold.

    Args:
        root: The work tree.
        files: Every file of the work tree.
        progress: Called as files are done, if given.
        config: Its check options are part of each record's cache key.
        cache: The cache, or None.
        jobs: The most processes analysing files.
        stats: Receives the counts.

    Returns:
        ``(analysed files, files that could not be read)``, in the order of ``files``.
    """
    targets = [p for p in files if p.endswith(".py")]
    settings = incremental.settings_digest(config.check_options)
    analysed, unread = incremental.analyse_python(
        root, targets, settings=settings, cache=cache, jobs=jobs, stats=stats, progress=progress
    )
    return tuple(analysed), tuple(SkippedFile(path, reason) for path, reason in unread)


def _is_document(path: str) -> bool:
    """Whether a file is read as a document: in the root or a documentation folder.

    Args:
        path: Repository-relative POSIX path.

    Returns:
        True for root files and files under :data:`DOCUMENT_FOLDERS`.
    """
    head, _, _ = path.partition("/")
    return "/" not in path or head in DOCUMENT_FOLDERS


def _read_documents(root: Path, files: tuple[str, ...]) -> dict[str, str]:
    """Read the text documents checks may look at.

    Args:
        root: The work tree.
        files: Every file of the work tree.

    Returns:
        Path -> text for document files, and for the scripts the CI configurations
        among them run, up to :data:`MAX_DOCUMENT_BYTES` and not binary
        (undecodable bytes replaced); unreadable files are left out.
    """
    documents = _read_texts(root, [path for path in files if _is_document(path)])
    known = set(files)
    scripts = {s for p, text in documents.items() if ci.is_ci_config(p) for s in ci.called_scripts(text, known)}
    documents.update(_read_texts(root, sorted(scripts - documents.keys())))
    return dict(sorted(documents.items()))


def _read_texts(root: Path, paths: list[str]) -> dict[str, str]:
    """The text of each file in ``paths`` up to :data:`MAX_DOCUMENT_BYTES`: not binary, readable, in the work tree."""
    documents: dict[str, str] = {}
    for path in paths:
        full = root / path
        try:
            if not worktree.regular_file(root, full) or full.stat().st_size > MAX_DOCUMENT_BYTES:
                continue
            data = full.read_bytes()
        except OSError:
            continue
        if b"\0" not in data:
            documents[path] = data.decode("utf-8", errors="replace")
    return documents
