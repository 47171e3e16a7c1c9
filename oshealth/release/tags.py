"""Which tags are releases, which release came before which, and the last one before HEAD.

A release is a tag whose name parses as a version (:mod:`oshealth.versions`).
Releases are ordered by PEP 440 version, not by date, so that a maintenance
release (``1.0.4`` tagged after ``1.1.0``) follows ``1.0.3``, the release it
was built from. Two tags naming the same version (``v1.0`` and ``1.0.0``)
count once: the newer tag is kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from oshealth import versions
from oshealth.errors import GitError
from oshealth.git import GitRepository, Tag
from oshealth.versions import Release


def releases(tags: Iterable[Tag], *, prereleases: bool = False) -> list[Release]:
    """The version tags, one per version, lowest version first.

    Args:
        tags: Tags in any order.
        prereleases: Keep pre- and development releases (``2.0rc1``, ``2.0.dev3``).

    Returns:
        The releases sorted by version (ties cannot happen: one tag per version).
    """
    found, _ = versions.version_tags(tags)
    by_version: dict[tuple[object, ...], Release] = {}
    for release in found:  # oldest first, so the newest tag of a version wins
        if prereleases or not release.version.is_prerelease:
            by_version[release.version.key()] = release
    return sorted(by_version.values(), key=_order)


def _order(release: Release) -> tuple[object, ...]:
    """Sort key of a release: its version (PEP 440)."""
    return release.version.key()


def previous(release: Release, ordered: list[Release]) -> Release | None:
    """The release with the highest version below ``release``'s.

    Args:
        release: A release.
        ordered: Releases sorted by version, as :func:`releases` gives them.

    Returns:
        The release before it, or None for the first one.
    """
    lower = [r for r in ordered if r.version.key() < release.version.key()]
    return lower[-1] if lower else None


def last_before(repo: GitRepository, head: str, tags: Iterable[Tag]) -> Release | None:
    """The release a new release at ``head`` follows: the highest version tagged on an ancestor.

    Tags on ``head`` itself are passed over (they name the release being
    checked, not the one before it), as are tags on other branches. Final
    releases are preferred; pre-releases count only when there is no final one.

    Args:
        repo: The repository.
        head: The commit id of the release candidate.
        tags: Every tag of the repository.

    Returns:
        The last release before ``head``, or None when no ancestor is tagged with a version.

    Raises:
        GitError: git failed.
    """
    candidates = [r for r in releases(tags, prereleases=True) if r.tag.sha != head]
    finals = [r for r in candidates if not r.version.is_prerelease]
    for pool in (finals, candidates):
        for release in reversed(pool):
            if is_ancestor(repo, release.tag.sha, head):
                return release
    return None


def is_ancestor(repo: GitRepository, commit: str, head: str) -> bool:
    """Whether ``commit`` is reachable from ``head``.

    Args:
        repo: The repository.
        commit: A commit id.
        head: Another commit id.

    Returns:
        True when ``commit`` is ``head`` or one of its ancestors.
    """
    try:
        return repo.merge_base(commit, head) == commit
    except GitError:  # unrelated histories have no merge base
        return False
