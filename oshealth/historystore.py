"""The stored histories of one repository: commits in parts, summaries beside them.

The commits of a HEAD are stored as a chain of parts (:class:`Part`): the
commits above an older stored HEAD, down to a part that holds a whole
history. A :class:`Record` beside some of the HEADs holds the
:class:`~oshealth.historysummary.HistorySummary` of their history; the summary
of any stored HEAD is the nearest record down its chain with the parts above
it folded in (:func:`summarised`), so the commits themselves are only decoded
when someone asks for them (:class:`StoredCommits`).

Records are written where a whole history or a history put together again is
stored, not on every new commit: a run that finds one new commit stores a
part of one commit, and the next run folds it in again (a few microseconds)
instead of writing the summary (a megabyte on sympy) each time. Records are
pickles stored with a CRC-32, uncompressed: the cache reads one on every
run, and decompressing it would cost more than reading the larger bytes.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from oshealth import collector
from oshealth.cache import HISTORIES_KEPT, Cache
from oshealth.git import Commit, GitRepository
from oshealth.historysummary import HistorySummary

#: Parts one history may be stored in before it is put together again.
MAX_PARTS = 16
#: A history is stored whole again when the commits above its bottom part reach this fraction of it.
WHOLE_AGAIN = 4
#: Records kept per repository (those of the last kept HEADs' chains).
RECORDS_KEPT = HISTORIES_KEPT + 1


@dataclass(frozen=True)
class Part:
    """The stored commits of a HEAD: all of them, or those above the stored history of ``base``.

    Attributes:
        base: The HEAD whose stored history comes after these commits, or None
            when they are the whole history.
        commits: The commits, newest first.
        ordered: Whether ``git log`` gives these commits, then those of ``base``
            (one line of one-parent commits on top of it); otherwise they are
            put in ``git log``'s order when the whole history is loaded
            (new commits that merged other lines).
    """

    base: str | None
    commits: tuple[Commit, ...]
    ordered: bool = True


@dataclass(frozen=True)
class Record:
    """The summary of a stored HEAD's history, with the shape of its chain of parts.

    Attributes:
        summary: The summary of the whole history.
        parts: The parts the HEAD's commits are stored in.
        above: The commits in those parts above the bottom one (the whole history stored last).
    """

    summary: HistorySummary
    parts: int
    above: int


@dataclass
class Chain:
    """A stored HEAD's summary, found through :func:`summarised`.

    Attributes:
        summary: The summary of the HEAD's history (the record's, parts above it folded in).
        parts: The parts the HEAD's commits are stored in.
        above: The commits in those parts above the bottom one.
    """

    summary: HistorySummary
    parts: int
    above: int


class Store:
    """The stored histories of one repository under one set of ``git log`` settings."""

    def __init__(self, cache: Cache, repo: str, context: str) -> None:
        """Use ``cache`` for the repository whose git directory is ``repo``.

        Args:
            cache: The cache.
            repo: The repository's common git directory.
            context: The key of what shapes ``git log``'s output (see :meth:`GitRepository.log_settings`).
        """
        self.cache = cache
        self._where = (repo, context)
        self._kind = "history-summary:" + hashlib.sha256(repo.encode("utf-8", "surrogateescape")).hexdigest()

    def heads(self) -> list[str]:
        """The HEADs whose commits are stored, last used first."""
        return self.cache.history_heads(*self._where)

    def part(self, head: str) -> Part | None:
        """The stored part of ``head``, or None (missing, damaged, or not a part of ``head``)."""
        part = self.cache.get_history(*self._where, head, Part, _valid_part)
        if part is None or not _heads_part(part, head):
            return None
        return part

    def put_part(self, head: str, part: Part) -> None:
        """Store the part of ``head`` (the oldest stored HEADs beyond the last kept are dropped)."""
        self.cache.put_history(*self._where, head, part, part.base)

    def touch(self, head: str) -> None:
        """Mark ``head``'s stored history as just used (its chain outlives older ones)."""
        self.cache.touch_histories(*self._where, [head])

    def record(self, head: str) -> Record | None:
        """The stored record of ``head``, or None."""
        data = self.cache.get_bytes(self._kind, self._key(head))
        if data is None or len(data) < 4 or int.from_bytes(data[:4], "big") != zlib.crc32(data[4:]):
            return None
        try:
            with collector.paused():
                value = pickle.loads(data[4:])
        except Exception:  # any damage at all is a miss
            return None
        return value if type(value) is Record and type(value.summary) is HistorySummary else None

    def put_record(self, head: str, record: Record) -> None:
        """Store the record of ``head``; only the last :data:`RECORDS_KEPT` stored are kept."""
        data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        self.cache.put_bytes(self._kind, self._key(head), zlib.crc32(data).to_bytes(4, "big") + data)
        self.cache.keep_groups(self._kind, len(self._key(head)), RECORDS_KEPT)

    def _key(self, head: str) -> str:
        """The key of ``head``'s record."""
        return self.cache.key("history-summary", self._where[1], head)


def _valid_part(part: Part) -> bool:
    """Whether a stored value is a non-empty run of commits."""
    return bool(part.commits) and type(part.commits) is tuple and all(type(c) is Commit for c in part.commits)


def _heads_part(part: Part, head: str) -> bool:
    """Whether ``part`` can be the part of ``head``: its newest commit, above a base as it says."""
    if part.base is not None and not part.ordered:
        return any(c.sha == head for c in part.commits)
    return part.commits[0].sha == head and (part.base is None or on_top(part.commits, part.base))


def on_top(new: Sequence[Commit], old: str) -> bool:
    """Whether ``new`` is one line of one-parent commits whose oldest is a child of ``old``."""
    below = [c.sha for c in new[1:]] + [old]
    return bool(new) and all(c.parents == (parent,) for c, parent in zip(new, below, strict=True))


def summarised(store: Store, head: str) -> Chain | None:
    """The summary of ``head``'s stored history: its nearest record, the parts above it folded in.

    Args:
        store: The stored histories.
        head: A stored HEAD.

    Returns:
        The summary and the shape of the chain, or None when no record is
        found above the part that holds a whole history.
    """
    above: list[Part] = []
    current = head
    while len(above) <= MAX_PARTS:
        record = store.record(current)
        if record is not None:
            summary = record.summary
            for done in above:
                summary.fold(done.commits)
            return Chain(summary, record.parts + len(above), record.above + sum(len(p.commits) for p in above))
        part = store.part(current)
        if part is None or part.base is None:
            return None
        above.append(part)
        current = part.base
    return None


def load(repo: GitRepository, store: Store, head: str) -> tuple[tuple[Commit, ...], int, int] | None:
    """Every stored commit of ``head``, in ``git log``'s order.

    Args:
        repo: The repository (``git rev-list`` orders parts that merged other lines).
        store: The stored histories.
        head: A stored HEAD.

    Returns:
        ``(commits, parts, commits above the bottom part)``, or None when a part is
        missing or the parts do not make up the history of ``head``.
    """
    parts = _chain(store, head)
    if parts is None:
        return None
    commits = tuple(c for part in parts for c in part.commits)
    if not all(part.ordered for part in parts):
        ordered = reordered(repo, commits, head)
        if ordered is None:
            return None
        commits = ordered
    return commits, len(parts), sum(len(part.commits) for part in parts[:-1])


def _chain(store: Store, head: str) -> list[Part] | None:
    """Every part of ``head``'s stored history, newest first; None when one is missing."""
    parts: list[Part] = []
    current: str | None = head
    while current is not None and len(parts) <= MAX_PARTS:
        part = store.part(current)
        if part is None:
            return None
        parts.append(part)
        current = part.base
    return parts if current is None else None


def reordered(repo: GitRepository, commits: tuple[Commit, ...], head: str) -> tuple[Commit, ...] | None:
    """``commits`` in the order ``git log head`` gives them (``git rev-list``, which reads no diffs).

    ``git log`` walks by commit date, so a merged branch's older commits may sit
    among older stored ones. None when they are not exactly the history of ``head``.
    """
    order = repo.rev_list(head)
    by_sha = {c.sha: c for c in commits}
    if len(order) != len(by_sha) or len(commits) != len(by_sha) or not all(s in by_sha for s in order):
        return None
    return tuple(by_sha[sha] for sha in order)


def top_parts(store: Store, head: str, count: int) -> tuple[list[Part], str] | None:
    """The ``count`` newest parts of ``head``'s chain, and the HEAD of the part below them.

    Args:
        store: The stored histories.
        head: A stored HEAD.
        count: How many parts to read (fewer than the chain holds).

    Returns:
        The parts, newest first, and the base of the last one; None when one is missing.
    """
    parts: list[Part] = []
    current = head
    for _ in range(count):
        part = store.part(current)
        if part is None or part.base is None:
            return None
        parts.append(part)
        current = part.base
    return parts, current


class StoredCommits(Sequence[Commit]):
    """A history whose commits are read only when first asked for (from the cache, else from git).

    Its length is known without reading them. It compares equal to any
    sequence of the same commits, and pickles as a tuple.
    """

    def __init__(self, count: int, read: Callable[[], tuple[Commit, ...]]) -> None:
        """A history of ``count`` commits that ``read`` gives.

        Args:
            count: How many commits ``read`` gives.
            read: Gives the commits, newest first.
        """
        self._count = count
        self._read: Callable[[], tuple[Commit, ...]] | None = read
        self._commits: tuple[Commit, ...] = ()
        self._lock = threading.Lock()

    def _all(self) -> tuple[Commit, ...]:
        """The commits, read on the first call."""
        with self._lock:
            if self._read is not None:
                self._commits, self._read = self._read(), None
            return self._commits

    def __len__(self) -> int:
        """The number of commits (none read)."""
        return self._count

    @property
    def loaded(self) -> bool:
        """Whether the commits were read."""
        return self._read is None

    def __getitem__(self, index: Any) -> Any:
        """A commit, or a tuple of them for a slice (typed as ``Sequence[Commit]`` says)."""
        return self._all()[index]

    def __iter__(self) -> Iterator[Commit]:
        """The commits, newest first."""
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        """Whether ``other`` is a sequence of the same commits."""
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and self._all() == tuple(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        """The commits as a tuple would show them."""
        return repr(self._all())

    def __reduce__(self) -> tuple[type[tuple[Commit, ...]], tuple[tuple[Commit, ...]]]:
        """Pickle as the tuple of commits."""
        return tuple, (self._all(),)
