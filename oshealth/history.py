"""The history reachable from HEAD, read from git once and then only extended.

The commits of the last HEADs audited are stored in the cache
(:mod:`oshealth.cache`). When an old HEAD is an ancestor of the new one, only
``OLD..NEW`` is read from git and the commits are put in ``git log``'s order
(``git rev-list``, which reads no diffs: ``git log`` walks by commit date, so
a merged branch's older commits may sit among the stored ones). A rewritten
history (amend, rebase, reset to another branch) is read again whole; so is
one whose ``.mailmap``, replace refs or grafts changed. Shallow clones are not
cached (deepening one changes the history of the same HEAD).
"""

from __future__ import annotations

import logging

from oshealth.cache import HISTORIES_KEPT, Cache, gc_paused
from oshealth.git import Commit, GitRepository
from oshealth.incremental import CollectStats, Progress

log = logging.getLogger(__name__)

#: Commits read between two progress reports.
COMMITS_PER_REPORT = 500


def read_history(
    repo: GitRepository, *, cache: Cache | None, stats: CollectStats, progress: Progress | None,
    revision: str | None = None,
) -> tuple[Commit, ...]:
    """The history reachable from HEAD, newest first, read from git only where the cache lacks it.

    Args:
        repo: The repository.
        cache: The cache, or None.
        stats: Updated with how the history was obtained.
        progress: Called as ``progress("commits", read, 0)`` while commits are read.
        revision: Another commit to start from instead of HEAD (the change gate's ends).

    Returns:
        The commits in ``git log``'s order.
    """
    head = repo.head() if revision is None else repo.resolve(revision)
    if head is None:
        return ()
    if cache is None or repo.is_shallow():
        commits = _read_log(repo, "HEAD" if revision is None else head, stats, progress)
    else:
        where = (str(repo.common_dir), cache.key("history", repo.log_settings()))
        commits = _stored_history(repo, cache, where, head, stats, progress) or _read_log(repo, head, stats, progress)
        if stats.history != "cached":
            cache.put_history(*where, head, commits)
    stats.history = stats.history if stats.history != "none" else "read"
    if progress:
        progress("commits", len(commits), 0)
    return commits


def _stored_history(
    repo: GitRepository,
    cache: Cache,
    where: tuple[str, str],
    head: str,
    stats: CollectStats,
    progress: Progress | None,
) -> tuple[Commit, ...] | None:
    """The history of ``head`` from a stored one: the same HEAD's, or an ancestor's extended; else None."""
    heads = cache.history_heads(*where)
    if head in heads:
        commits = _load_history(cache, where, head)
        if commits is not None:
            stats.history = "cached"
            return commits
    for old in heads[:HISTORIES_KEPT]:
        if old == head or not repo.is_ancestor(old, head):
            continue
        previous = _load_history(cache, where, old)
        if previous is not None:
            commits = _extend(repo, previous, _read_log(repo, f"{old}..{head}", stats, progress), head)
            if commits is not None:
                stats.history = "extended"
                return commits
    return None


def _load_history(cache: Cache, where: tuple[str, str], head: str) -> tuple[Commit, ...] | None:
    """A stored history of ``head``, checked to be commits and to start at ``head``."""

    def valid(commits: tuple[Commit, ...]) -> bool:
        """Whether the value is a history of ``head``."""
        return bool(commits) and commits[0].sha == head and all(type(c) is Commit for c in commits)

    return cache.get_history(*where, head, tuple, valid)


def _extend(
    repo: GitRepository, previous: tuple[Commit, ...], new: tuple[Commit, ...], head: str
) -> tuple[Commit, ...] | None:
    """The stored history plus the new commits, in the order ``git log`` gives them.

    ``git log`` walks by commit date, so a merged branch's older commits may sit
    among the stored ones; the order comes from ``git rev-list``, which reads no
    diffs. None when the two do not make up exactly the history of ``head``.
    """
    order = repo.rev_list(head)
    by_sha = {c.sha: c for c in previous}
    by_sha.update((c.sha, c) for c in new)
    if len(order) != len(by_sha) or len(previous) + len(new) != len(by_sha) or not all(s in by_sha for s in order):
        log.info("stored history does not match git's: read again")
        return None
    return tuple(by_sha[sha] for sha in order)


def _read_log(repo: GitRepository, revision: str, stats: CollectStats, progress: Progress | None) -> tuple[Commit, ...]:
    """Read ``git log revision`` in one streaming pass, reporting progress."""
    commits: list[Commit] = []
    with gc_paused():  # only new objects, no garbage: collections would find nothing
        for commit in repo.iter_history(revision):
            commits.append(commit)
            if progress and len(commits) % COMMITS_PER_REPORT == 0:
                progress("commits", stats.commits_read + len(commits), 0)
    stats.commits_read += len(commits)
    return tuple(commits)
