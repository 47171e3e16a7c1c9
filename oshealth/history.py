"""The history reachable from HEAD, read from git once and then only extended.

The commits of the last HEADs audited are stored in the cache, with the
summary the history checks read (:mod:`oshealth.historysummary`,
:mod:`oshealth.historystore`). When an old HEAD is an ancestor of the new
one, only ``OLD..NEW`` is read from git: the new commits are folded into
OLD's summary and stored as a part above OLD's commits (when they are one
line on top of OLD, ``git log`` gives them before OLD's history; otherwise,
new commits that merged other lines, the whole history is put in ``git
log``'s order with ``git rev-list`` when it is loaded). At most
:data:`~oshealth.historystore.MAX_PARTS` parts make up a history; then it is
put together again: the parts above the oldest in one, or all in one when
they have grown to a quarter of the history. The commits themselves are read
from the cache only when someone asks for them (plugins, the change gate):
the built-in checks read the summary.

A rewritten history (amend, rebase, reset to another branch) is read again
whole; so is one whose ``.mailmap``, replace refs or grafts changed. Shallow
clones are not cached (deepening one changes the history of the same HEAD).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from oshealth import collector
from oshealth.cache import HISTORIES_KEPT, Cache
from oshealth.clock import audit_clock
from oshealth.git import Commit, GitRepository
from oshealth.historystore import (
    MAX_PARTS,
    WHOLE_AGAIN,
    Chain,
    Part,
    Record,
    Store,
    StoredCommits,
    load,
    on_top,
    reordered,
    summarised,
    top_parts,
)
from oshealth.historysummary import DAY, RECENT_DAYS, HistorySummary
from oshealth.incremental import CollectStats, Progress

__all__ = ["MAX_PARTS", "History", "read", "read_history"]

log = logging.getLogger(__name__)

#: Commits read between two progress reports.
COMMITS_PER_REPORT = 500


@dataclass(frozen=True)
class History:
    """The history of a HEAD.

    Attributes:
        commits: Its commits, newest first (read from the cache only when first used).
        summary: What the history checks read of them.
    """

    commits: Sequence[Commit]
    summary: HistorySummary


def read_history(
    repo: GitRepository, *, cache: Cache | None, stats: CollectStats, progress: Progress | None,
    revision: str | None = None,
) -> tuple[Commit, ...]:
    """The commits reachable from HEAD, newest first, read from git only where the cache lacks them.

    Args:
        repo: The repository.
        cache: The cache, or None.
        stats: Updated with how the history was obtained.
        progress: Called as ``progress("commits", read, 0)`` while commits are read.
        revision: Another commit to start from instead of HEAD (the change gate's ends).

    Returns:
        The commits in ``git log``'s order.
    """
    return tuple(read(repo, cache=cache, stats=stats, progress=progress, revision=revision).commits)


def read(
    repo: GitRepository, *, cache: Cache | None, stats: CollectStats, progress: Progress | None,
    revision: str | None = None, now: int | None = None,
) -> History:
    """The history reachable from HEAD and its summary, read from git only where the cache lacks them.

    Args:
        repo: The repository.
        cache: The cache, or None.
        stats: Updated with how the history was obtained.
        progress: Called as ``progress("commits", read, 0)`` while commits are read.
        revision: Another commit to start from instead of HEAD (the change gate's ends).
        now: The audit's clock (default :func:`~oshealth.clock.audit_clock`): the summary
            keeps the commits of the :data:`~oshealth.historysummary.RECENT_DAYS` before it.

    Returns:
        The commits in ``git log``'s order, and their summary.
    """
    head = repo.head() if revision is None else repo.resolve(revision)
    if head is None:
        return History((), HistorySummary())
    since = ((audit_clock() if now is None else now) // DAY - RECENT_DAYS) * DAY
    if cache is None or repo.is_shallow():
        commits = _read_log(repo, "HEAD" if revision is None else head, stats, progress)
        found = History(commits, HistorySummary.build(commits, since))
    else:
        store = Store(cache, str(repo.common_dir), cache.key("history", repo.log_settings()))
        found = _cached_history(repo, store, head, since, stats, progress)
    stats.history = stats.history if stats.history != "none" else "read"
    if progress:
        progress("commits", len(found.summary), 0)
    return found


def _cached_history(
    repo: GitRepository, store: Store, head: str, since: int, stats: CollectStats, progress: Progress | None
) -> History:
    """The history of ``head`` through the cache: stored, extended from a stored one, or read and stored."""
    heads = store.heads()
    if head in heads:
        found = _summary(repo, store, head, since)
        if found is not None:
            stats.history = "cached"
            store.touch(head)
            return History(_lazy(repo, store, head, len(found.summary)), found.summary)
    for old in heads[:HISTORIES_KEPT]:
        if old == head or not repo.is_ancestor(old, head):
            continue
        chain = _summary(repo, store, old, since)
        if chain is None:
            continue
        new = _read_log(repo, f"{old}..{head}", stats, progress)
        chain.summary.fold(new)
        chain.summary.keep_recent_from(since)
        store.touch(old)  # the history below the new part stays among the last used
        _store_extension(repo, store, (head, old, new), chain)
        stats.history = "extended"
        return History(_lazy(repo, store, head, len(chain.summary)), chain.summary)
    commits = _read_log(repo, head, stats, progress)
    summary = HistorySummary.build(commits, since)
    store.put_part(head, Part(None, commits))
    store.put_record(head, Record(summary, 1, 0))
    return History(commits, summary)


def _summary(repo: GitRepository, store: Store, head: str, since: int) -> Chain | None:
    """The summary of ``head``'s stored history, else its stored commits summarised again; None when incomplete."""
    chain = summarised(store, head)
    if chain is None:  # the record was dropped: summarise the stored commits again
        loaded = load(repo, store, head)
        if loaded is None:
            return None
        chain = Chain(HistorySummary.build(loaded[0], since), loaded[1], loaded[2])
        store.put_record(head, Record(chain.summary, chain.parts, chain.above))
    chain.summary.keep_recent_from(since)
    return chain


def _store_extension(
    repo: GitRepository, store: Store, change: tuple[str, str, tuple[Commit, ...]], chain: Chain
) -> None:
    """Store the commits ``change`` adds (``(head, old HEAD, new commits)``) on top of the old HEAD's.

    Args:
        repo: The repository.
        store: The stored histories.
        change: The new HEAD, the stored HEAD below it and the commits between them.
        chain: The old HEAD's chain, its summary already extended with the new commits.
    """
    head, old, new = change
    if chain.parts < MAX_PARTS:
        store.put_part(head, Part(old, new, on_top(new, old)))
        return
    if (chain.above + len(new)) * WHOLE_AGAIN < len(chain.summary) and _put_top_together(store, change, chain):
        return
    # the parts above the oldest have grown to a quarter of the history: all of it in one part again
    loaded = load(repo, store, old)
    whole = None if loaded is None else reordered(repo, new + loaded[0], head)
    store.put_part(head, Part(None, whole or tuple(repo.iter_history(head))))
    store.put_record(head, Record(chain.summary, 1, 0))


def _put_top_together(store: Store, change: tuple[str, str, tuple[Commit, ...]], chain: Chain) -> bool:
    """Store the new commits and the parts above the oldest as one part, with the summary; False if one is missing.

    Args:
        store: The stored histories.
        change: The new HEAD, the stored HEAD below it and the commits between them.
        chain: The old HEAD's chain, its summary already extended with the new commits.

    Returns:
        Whether they were stored.
    """
    head, old, new = change
    top = top_parts(store, old, chain.parts - 1)
    if top is None:
        return False
    parts, bottom = top
    ordered = on_top(new, old) and all(part.ordered for part in parts)
    store.put_part(head, Part(bottom, new + tuple(c for part in parts for c in part.commits), ordered))
    store.put_record(head, Record(chain.summary, 2, chain.above + len(new)))
    return True


def _lazy(repo: GitRepository, store: Store, head: str, count: int) -> StoredCommits:
    """The commits of ``head``, read when first used: from the cache while it is open, else from git."""

    def read_all() -> tuple[Commit, ...]:
        """Load the stored commits, or read them from git."""
        loaded = load(repo, store, head)
        if loaded is not None and len(loaded[0]) == count:
            return loaded[0]
        log.info("stored history of %s not found: read from git", head)
        return tuple(repo.iter_history(head))

    return StoredCommits(count, read_all)


def _read_log(repo: GitRepository, revision: str, stats: CollectStats, progress: Progress | None) -> tuple[Commit, ...]:
    """Read ``git log revision`` in one streaming pass, reporting progress."""
    commits: list[Commit] = []
    with collector.paused():  # only new objects, no garbage: collections would find nothing
        for commit in repo.iter_history(revision):
            commits.append(commit)
            if progress and len(commits) % COMMITS_PER_REPORT == 0:
                progress("commits", stats.commits_read + len(commits), 0)
    stats.commits_read += len(commits)
    return tuple(commits)
