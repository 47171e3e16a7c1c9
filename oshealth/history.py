"""The history reachable from HEAD, read from git once and then only extended.

The commits of the last HEADs audited are stored in the cache
(:mod:`oshealth.cache`). When an old HEAD is an ancestor of the new one, only
``OLD..NEW`` is read from git. When those commits are one line on top of OLD
(the usual new commits on a branch) they simply come before OLD's history and
only they are stored, as a part above OLD's (at most :data:`MAX_PARTS` parts
make up a history; then it is stored whole). Otherwise they are put in ``git
log``'s order (``git rev-list``, which reads no diffs: ``git log`` walks by
commit date, so a merged branch's older commits may sit among the stored ones)
and the whole history is stored. A rewritten
history (amend, rebase, reset to another branch) is read again whole; so is
one whose ``.mailmap``, replace refs or grafts changed. Shallow clones are not
cached (deepening one changes the history of the same HEAD).
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass

from oshealth import collector
from oshealth.cache import HISTORIES_KEPT, Cache
from oshealth.git import Commit, GitRepository
from oshealth.incremental import CollectStats, Progress

log = logging.getLogger(__name__)

#: Commits read between two progress reports.
COMMITS_PER_REPORT = 500
#: Stored parts one history may be put together from before it is stored whole again.
MAX_PARTS = 16


@dataclass(frozen=True)
class _Part:
    """A stored history: every commit of a HEAD, or only those above the stored history of ``base``.

    Attributes:
        base: The HEAD whose stored history comes after these commits, or None
            when they are the whole history.
        commits: The commits, newest first; above a base they are a single line
            of one-parent commits, the last one a child of ``base``.
    """

    base: str | None
    commits: tuple[Commit, ...]


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
        commits = _cached_history(repo, cache, (str(repo.common_dir), cache.key("history", repo.log_settings())),
                                  head, stats, progress)
    stats.history = stats.history if stats.history != "none" else "read"
    if progress:
        progress("commits", len(commits), 0)
    return commits


def _cached_history(
    repo: GitRepository,
    cache: Cache,
    where: tuple[str, str],
    head: str,
    stats: CollectStats,
    progress: Progress | None,
) -> tuple[Commit, ...]:
    """The history of ``head`` through the cache: stored, extended from a stored one, or read and stored."""
    heads = cache.history_heads(*where)
    if head in heads:
        found = _load_history(cache, where, head)
        if found is not None:
            stats.history = "cached"
            cache.touch_histories(*where, found[1])
            return found[0]
    for old in heads[:HISTORIES_KEPT]:
        if old == head or not repo.is_ancestor(old, head):
            continue
        previous = _load_history(cache, where, old)
        if previous is None:
            continue
        new = _read_log(repo, f"{old}..{head}", stats, progress)
        if _on_top(new, old):
            # git log walks one line of commits down to OLD, then goes on exactly as `git log OLD`
            stored = _Part(old, new) if len(previous[1]) < MAX_PARTS else _Part(None, new + previous[0])
            cache.touch_histories(*where, previous[1])
            cache.put_history(*where, head, stored, stored.base)
            stats.history = "extended"
            return new + previous[0]
        commits = _merged(repo, previous[0], new, head)
        if commits is not None:
            cache.put_history(*where, head, _Part(None, commits))
            stats.history = "extended"
            return commits
    commits = _read_log(repo, head, stats, progress)
    cache.put_history(*where, head, _Part(None, commits))
    return commits


def _on_top(new: tuple[Commit, ...], old: str) -> bool:
    """Whether ``new`` is one line of one-parent commits whose oldest is a child of ``old``."""
    below = [c.sha for c in new[1:]] + [old]
    return bool(new) and all(c.parents == (parent,) for c, parent in zip(new, below, strict=True))


def _load_history(cache: Cache, where: tuple[str, str], head: str) -> tuple[tuple[Commit, ...], list[str]] | None:
    """The stored history of ``head`` and the HEADs of the parts it was put together from; None if incomplete."""
    parts: list[tuple[Commit, ...]] = []
    heads: list[str] = []
    current: str | None = head
    while current is not None and len(heads) <= MAX_PARTS:
        part = cache.get_history(*where, current, _Part, _valid_part)
        if part is None or part.commits[0].sha != current or (part.base and not _on_top(part.commits, part.base)):
            return None
        parts.append(part.commits)
        heads.append(current)
        current = part.base
    if current is not None:
        return None
    return tuple(itertools.chain.from_iterable(parts)), heads


def _valid_part(part: _Part) -> bool:
    """Whether a stored value is a non-empty run of commits."""
    return bool(part.commits) and type(part.commits) is tuple and all(type(c) is Commit for c in part.commits)


def _merged(
    repo: GitRepository, previous: tuple[Commit, ...], new: tuple[Commit, ...], head: str
) -> tuple[Commit, ...] | None:
    """The stored history plus new commits that merged other lines, in the order ``git log`` gives them.

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
    with collector.paused():  # only new objects, no garbage: collections would find nothing
        for commit in repo.iter_history(revision):
            commits.append(commit)
            if progress and len(commits) % COMMITS_PER_REPORT == 0:
                progress("commits", stats.commits_read + len(commits), 0)
    stats.commits_read += len(commits)
    return tuple(commits)
