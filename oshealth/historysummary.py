"""What the history checks read of the history, folded from its commits and extended with new ones.

The ``activity``, ``contributor-spread`` and ``tests`` checks need little of
each commit: its time, its author signature (name, e-mail), whether it is a
merge, and its added, modified and renamed paths. A :class:`HistorySummary`
holds exactly that, folded commit by commit: sorted commit times, counts and
first and last times per signature, the changes grouped by path
(:class:`~oshealth.truckfactor.PathChanges`, everything the truck factor
follows renames through) and the recent commits that changed Python source.
Folding does not depend on the order of the commits, so a summary extended
with the commits of ``OLD..NEW`` equals the one folded from the whole history
of ``NEW``, and the cache (:mod:`oshealth.history`) stores it beside the
commits: a new commit costs one fold, not a pass over the history.

Identities are merged and bots left out when a check reads the summary, from
the per-signature figures: a new commit that links two identities gives the
result a fresh walk of the commits gives. A few answers that depend only on a
signature, an e-mail or a path are worked out once, when it first appears:
its identity nodes (:func:`oshealth.identities.identity_nodes`), whether it is
a well-known bot, its organisation, and whether Linguist counts the path as
source with no ``.gitattributes`` override.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from oshealth import identities, linguist
from oshealth.git import Commit
from oshealth.testpaths import is_test_path
from oshealth.truckfactor import PathChanges

DAY = 86_400
#: How far before the audit's clock recent commits are kept: the ``tests`` check's window (365 days) and a
#: month more, for an audit whose clock is set back a little (an older ``SOURCE_DATE_EPOCH``).
RECENT_DAYS = 400
#: New commit times inserted one by one up to this many; more are merged by sorting.
_INSERT_LIMIT = 64

#: An author signature: ``(name, email)`` as ``git log`` gives them (``.mailmap`` applied).
Signature = tuple[str, str]
#: A recent non-merge commit that added or modified Python source: its time, those source paths, its test paths.
RecentCommit = tuple[int, tuple[str, ...], tuple[str, ...]]


@dataclass
class HistorySummary:
    """The history as the history checks read it (see the module notes).

    Attributes:
        times: Every commit's author time, sorted (merges included).
        commits: Signature -> its commits (merges included).
        non_merges: Signature -> its commits that are not merges (signatures with none left out).
        first: Signature -> its earliest author time.
        last: Signature -> its latest author time.
        identity_nodes: Signature -> its identity-merging nodes.
        bots: The signatures :func:`oshealth.identities.is_bot` knows as bots without options.
        organisations: E-mail -> :func:`oshealth.identities.organisation` without options.
        changes: A/M/R changes grouped by path, by signature.
        source_paths: Paths of ``changes`` that Linguist counts as source by name alone.
        other_paths: The other paths of ``changes``.
        recent_since: The time from which ``recent`` holds every such commit; None: since the first commit.
        recent: Non-merge commits from ``recent_since`` on that added or modified non-test ``.py`` files, sorted.
    """

    times: array[int] = field(default_factory=lambda: array("q"))
    commits: dict[Signature, int] = field(default_factory=dict)
    non_merges: dict[Signature, int] = field(default_factory=dict)
    first: dict[Signature, int] = field(default_factory=dict)
    last: dict[Signature, int] = field(default_factory=dict)
    identity_nodes: dict[Signature, tuple[str, ...]] = field(default_factory=dict)
    bots: set[Signature] = field(default_factory=set)
    organisations: dict[str, str | None] = field(default_factory=dict)
    changes: PathChanges[Signature] = field(default_factory=PathChanges)
    source_paths: set[str] = field(default_factory=set)
    other_paths: set[str] = field(default_factory=set)
    recent_since: int | None = None
    recent: list[RecentCommit] = field(default_factory=list)

    @classmethod
    def build(cls, commits: Iterable[Commit], recent_since: int | None = None) -> HistorySummary:
        """Fold a whole history.

        Args:
            commits: Every commit of the history, in any order.
            recent_since: Keep the recent commits from this time on (None: all of them).

        Returns:
            The summary.
        """
        summary = cls(recent_since=recent_since)
        summary.fold(commits)
        return summary

    def fold(self, commits: Iterable[Commit]) -> None:
        """Add commits that the summary does not hold yet (in any order).

        Args:
            commits: The new commits.
        """
        canonical = {sig: sig for sig in self.commits}  # one shared tuple per signature: a small pickle
        times: list[int] = []
        paths = len(self.changes.created) + len(self.changes.delivered)
        for commit in commits:
            key = (commit.author_name, commit.author_email)
            sig = canonical.get(key)
            if sig is None:
                sig = canonical[key] = key
                self._new_signature(sig, commit.authored_at)
            self._fold_commit(commit, sig)
            times.append(commit.authored_at)
        self._add_times(times)
        if len(self.changes.created) + len(self.changes.delivered) != paths:
            self._classify_paths()
        self.recent.sort()

    def _new_signature(self, sig: Signature, when: int) -> None:
        """Start the figures of a signature seen for the first time, and work out what depends on it alone."""
        self.commits[sig] = 0
        self.first[sig] = self.last[sig] = when
        self.identity_nodes[sig] = identities.identity_nodes(*sig)
        if identities.is_bot(*sig):
            self.bots.add(sig)
        email = sig[1]
        if email not in self.organisations:
            self.organisations[email] = identities.organisation(email)

    def _fold_commit(self, commit: Commit, sig: Signature) -> None:
        """Add one commit's figures (its signature already known)."""
        when = commit.authored_at
        self.commits[sig] += 1
        if when < self.first[sig]:
            self.first[sig] = when
        elif when > self.last[sig]:
            self.last[sig] = when
        self.changes.add(commit.changes, sig)
        if len(commit.parents) > 1:
            return
        self.non_merges[sig] = self.non_merges.get(sig, 0) + 1
        if self.recent_since is None or when >= self.recent_since:
            recent = _recent(commit)
            if recent is not None:
                self.recent.append(recent)

    def _add_times(self, new: list[int]) -> None:
        """Insert new commit times, keeping ``times`` sorted."""
        if len(new) <= _INSERT_LIMIT:
            for when in new:
                bisect.insort(self.times, when)
        else:
            self.times = array("q", sorted([*self.times, *new]))

    def _classify_paths(self) -> None:
        """Ask Linguist about the paths not classified yet (the answer for a path never changes)."""
        unasked = (self.changes.created.keys() | self.changes.delivered.keys()) - self.source_paths - self.other_paths
        source = set(linguist.source_files(unasked))
        self.source_paths |= source
        self.other_paths |= unasked - source

    def keep_recent_from(self, since: int) -> None:
        """Drop the recent commits before ``since`` (when later than what is kept now).

        Args:
            since: The new start of ``recent``.
        """
        if self.recent_since is not None and since <= self.recent_since:
            return
        self.recent_since = since
        self.recent = [r for r in self.recent if r[0] >= since]

    def recent_between(self, start: int, end: int) -> list[RecentCommit] | None:
        """The recent source commits made from ``start`` to ``end`` (both included).

        Args:
            start: The window's start.
            end: Its end.

        Returns:
            The commits, or None when the summary does not reach back to ``start``.
        """
        if self.recent_since is not None and start < self.recent_since:
            return None
        low = bisect.bisect_left(self.recent, (start,))
        high = bisect.bisect_left(self.recent, (end + 1,))
        return self.recent[low:high]

    def __len__(self) -> int:
        """The number of commits."""
        return len(self.times)


def _recent(commit: Commit) -> RecentCommit | None:
    """What the ``tests`` check reads of a non-merge commit: its time, changed source and test paths.

    Args:
        commit: The commit.

    Returns:
        None when it added or modified no non-test ``.py`` file (it cannot count as a source commit).
    """
    sources: list[str] = []
    tests: list[str] = []
    for change in commit.changes:
        if is_test_path(change.path):
            tests.append(change.path)
        elif change.path.endswith(".py") and change.status != "D":
            sources.append(change.path)
    return (commit.authored_at, tuple(sources), tuple(tests)) if sources else None


class _Facts(Protocol):
    """What :func:`of` reads of :class:`~oshealth.facts.RepoFacts` (which imports this module)."""

    @property
    def commits(self) -> Sequence[Commit]:
        """The history."""

    @property
    def history_summary(self) -> HistorySummary | None:
        """Its summary, when the facts carry one."""


def of(facts: _Facts) -> HistorySummary:
    """The history summary of the facts: the one they carry, else one made of their commits.

    Args:
        facts: The repository's facts.

    Returns:
        The summary.
    """
    return facts.history_summary if facts.history_summary is not None else of_commits(facts.commits)


#: The last summary :func:`of_commits` made, with the commits it was made of.
_LAST: list[tuple[Sequence[Commit], HistorySummary]] = []


def of_commits(commits: Sequence[Commit]) -> HistorySummary:
    """The summary of a history given as commits (facts built without one: the change gate's ends, tests).

    The last summary made is kept, so that three checks over the same
    facts fold the commits once.

    Args:
        commits: The history.

    Returns:
        Its summary, every recent commit kept.
    """
    if not _LAST or _LAST[0][0] is not commits:
        _LAST[:] = [(commits, HistorySummary.build(commits))]
    return _LAST[0][1]
