"""Which tags are releases, which release came before which, and the last one before HEAD.

A release is a tag whose name parses as a version (:mod:`oshealth.versions`).
Releases are ordered by PEP 440 version, not by date, so that a maintenance
release (``1.0.4`` tagged after ``1.1.0``) follows ``1.0.3``, the release it
was built from. Two tags naming the same version (``v1.0`` and ``1.0.0``)
count once: the newer tag is kept.

A repository may tag several products (pydantic tags ``v2.13.0`` and, since
pydantic-core moved in, ``core-v2.46.0``): the word before the version (``v``
and case ignored) names a tag family, and only the project's own family
counts: the unprefixed one when there is one, else that of the newest tag.
A family all of whose tags are older than that family's first one is an old
spelling of the same releases (``release-1.0`` before ``v2.0``) and counts too.
"""

from __future__ import annotations

from collections.abc import Iterable

from oshealth import versions
from oshealth.errors import GitError
from oshealth.git import GitRepository, Tag
from oshealth.versions import Release, Version


def releases(tags: Iterable[Tag], *, prereleases: bool = False, family: str | None = None) -> list[Release]:
    """The version tags of the project's tag family, one per version, lowest version first.

    Args:
        tags: Tags in any order.
        prereleases: Keep pre- and development releases (``2.0rc1``, ``2.0.dev3``).
        family: The tag family to keep (see :func:`family`); default: the project's own.

    Returns:
        The releases sorted by version (ties cannot happen: one tag per version).
    """
    found, _ = versions.version_tags(tags)
    found = _of_family(found, family)
    by_version: dict[tuple[object, ...], Release] = {}
    for release in found:  # oldest first, so the newest tag of a version wins
        if prereleases or not release.version.is_prerelease:
            by_version[release.version.key()] = release
    return sorted(by_version.values(), key=_order)


def family(release: Release) -> str:
    """A tag's family: the part of its name before the version, without ``v`` and case.

    Args:
        release: A version tag.

    Returns:
        ``""`` for ``1.0`` and ``v1.0``; ``"core-"`` for ``core-v2.46.0``.
    """
    name = release.tag.name.strip()
    return name[: len(name) - len(release.version.text)].lower().removesuffix("v")


def _of_family(found: list[Release], wanted: str | None) -> list[Release]:
    """The releases of family ``wanted`` (default: the project's own) and of its older spellings.

    Args:
        found: Version tags, oldest first.
        wanted: A family, or None.

    Returns:
        Those kept, in the same order.
    """
    families = {family(r) for r in found}
    if len(families) <= 1:
        return found
    if wanted is None:
        wanted = "" if "" in families else family(found[-1])
    kept = {wanted} | _older_spellings(found, wanted)
    return [r for r in found if family(r) in kept]


def _older_spellings(found: list[Release], wanted: str) -> set[str]:
    """The families whose every tag is older than the first tag of ``wanted`` (``found``: oldest first)."""
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for release in found:
        first.setdefault(family(release), release.tag.created_at)
        last[family(release)] = release.tag.created_at
    start = first.get(wanted)
    return set() if start is None else {f for f, newest in last.items() if newest < start}


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


def last_before(repo: GitRepository, head: str, tags: Iterable[Tag], version: Version | None = None
                ) -> Release | None:
    """The release a new release at ``head`` follows: the highest version tagged on an ancestor.

    Tags on ``head`` itself are passed over (they name the release being
    checked, not the one before it), as are tags on other branches, and
    tags of another family than ``head``'s own tag (else the project's).
    Final releases are preferred; pre-releases count only when there is no
    final one. When ``version`` (the version being released) is known, a final
    release between that ancestor and ``version`` that is not an ancestor
    comes after it: flask's 3.0.0 was tagged on a commit that 3.0.1's history
    does not hold, and 3.0.1 follows 3.0.0, not 2.3.3.

    Args:
        repo: The repository.
        head: The commit id of the release candidate.
        tags: Every tag of the repository.
        version: The version being released, when known.

    Returns:
        The last release before ``head``, or None when no ancestor is tagged with a version.

    Raises:
        GitError: git failed.
    """
    tags = list(tags)
    every = releases(tags, prereleases=True, family=_head_family(tags, head))
    candidates = [r for r in every if r.tag.sha != head]
    finals = [r for r in candidates if not r.version.is_prerelease]
    for pool in (finals, candidates):
        for release in reversed(pool):
            if is_ancestor(repo, release.tag.sha, head):
                return _between(release, finals, version)
    return None


def _head_family(tags: list[Tag], head: str) -> str | None:
    """The family of the version tag on ``head``, when it has tags of one family."""
    own = {family(r) for r in versions.version_tags(tags)[0] if r.tag.sha == head}
    return own.pop() if len(own) == 1 else None


def _between(last: Release, finals: list[Release], version: Version | None) -> Release:
    """The highest final release above ``last`` and below ``version``, else ``last``."""
    if version is None:
        return last
    above = [r for r in finals if last.version.key() < r.version.key() < version.key()]
    return above[-1] if above else last


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
