"""Facts about past releases, for the ``release-documentation`` check.

For the last N releases (by version, :mod:`oshealth.release.tags`) this reads
the changelog files at each release tag, and the public API each release added
over the release before it, with whether each addition had a docstring at the
tag. Nothing is judged here: the check does that.

Additions are found from the per-file AST records (:mod:`oshealth.analysis.pyfile`,
the same parse every check uses) of the Python files the release changed, at
both tags: an object defined in a file no release touched cannot have been
added. A griffe snapshot of the whole package at every tag cost 44 s per tag on
sympy (6 tags: over 4 minutes); this reads only the changed files.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from oshealth import changelog
from oshealth.analysis.public_api import is_test_file
from oshealth.errors import GitError
from oshealth.git import GitRepository, Tag
from oshealth.release import tags as release_tags
from oshealth.release.additions import DOCUMENTED_KINDS, Addition, Objects, is_special
from oshealth.versions import Release

__all__ = [
    "DOCUMENTED_KINDS", "Addition", "ReleaseHistory", "ReleaseRecord", "changelog_texts", "collect", "is_special",
]

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class ReleaseRecord:
    """One release as shipped.

    Attributes:
        tag: The tag name.
        version: Its version (without tag prefix).
        commit: The tagged commit.
        previous: The tag of the release before it (None for the first release).
        changelogs: Changelog path -> text, at the tag, in order of preference.
        added: Public modules, classes and functions added since ``previous``
            (everything public for the first release), sorted by path.
    """

    tag: str
    version: str
    commit: str
    previous: str | None
    changelogs: Mapping[str, str]
    added: tuple[Addition, ...]


@dataclass(frozen=True)
class ReleaseHistory:
    """The recent releases of a repository.

    Attributes:
        release_tags: How many tags name final releases (all of them, not only those read).
        releases: The last releases read, oldest first.
        problem: Why the history could not be read (a git failure), else None.
    """

    release_tags: int
    releases: tuple[ReleaseRecord, ...]
    problem: str | None = None


def collect(repo: GitRepository, tags: list[Tag], count: int) -> ReleaseHistory:
    """Read the last ``count`` releases of ``repo``.

    Args:
        repo: The repository.
        tags: Its tags.
        count: How many releases to read (at least 1).

    Returns:
        The history; ``problem`` says why when git could not read a tag.
    """
    ordered = release_tags.releases(tags)
    recent = ordered[-max(1, count) :]
    try:
        records = _records(repo, ordered, recent)
    except GitError as exc:
        log.debug("release history unreadable", exc_info=True)
        return ReleaseHistory(len(ordered), (), f"cannot read the release tags: {exc}")
    return ReleaseHistory(len(ordered), tuple(records), None)


@dataclass(frozen=True)
class _Pair:
    """A release, the one before it, and the importable Python files that differ between them.

    Attributes:
        release: The release.
        before: The release before it, or None for the first one.
        new: The files at the release (every one for the first release).
        old: Their paths at ``before`` (deleted and renamed files included).
    """

    release: Release
    before: Release | None
    new: list[str]
    old: list[str]


def _records(repo: GitRepository, ordered: list[Release], recent: list[Release]) -> list[ReleaseRecord]:
    """Record what each recent release added over the release before it.

    Every blob is read in one ``git cat-file`` per revision, and each distinct
    one analysed at most once (a file at one tag is the old side of the next).
    """
    trees = _Trees(repo)
    pairs = [_pair(repo, trees, release, release_tags.previous(release, ordered)) for release in recent]
    trees.read()
    objects = Objects()
    return [
        ReleaseRecord(
            tag=pair.release.tag.name,
            version=pair.release.version.text,
            commit=pair.release.tag.sha,
            previous=pair.before.tag.name if pair.before else None,
            changelogs=trees.changelogs(pair.release.tag.sha),
            added=_additions(trees, objects, pair),
        )
        for pair in pairs
    ]


def _pair(repo: GitRepository, trees: _Trees, release: Release, before: Release | None) -> _Pair:
    """The files to compare for one release (only those changed since ``before``), asked of ``trees``."""
    tag = release.tag.sha
    old: list[str] = []
    if before is None:
        new = [p for p in trees.files(tag) if p.endswith(".py")]
    else:
        new, old = _changed_python(repo, before.tag.sha, tag)
        old = trees.want(before.tag.sha, _importable(trees, before.tag.sha, old))
    trees.want(tag, changelog.find_changelogs(trees.files(tag)))
    return _Pair(release, before, trees.want(tag, _importable(trees, tag, new)), old)


def _changed_python(repo: GitRepository, before: str, tag: str) -> tuple[list[str], list[str]]:
    """The Python files changed from ``before`` to ``tag``: their paths at ``tag`` (not deleted), and at ``before``."""
    changes = repo.diff_changes(before, tag)
    new_paths = [c.path for c in changes if c.status != "D" and c.path.endswith(".py")]
    old_paths = [c.old_path or c.path for c in changes if c.status not in ("A", "C")]
    return new_paths, [p for p in old_paths if p.endswith(".py")]


def _importable(trees: _Trees, revision: str, paths: list[str]) -> list[str]:
    """The paths in package folders (``__init__.py`` at ``revision``) that are not test files."""
    packages = trees.packages(revision)
    return [p for p in paths if p.rpartition("/")[0] in packages and not is_test_file(p)]


def _additions(trees: _Trees, objects: Objects, pair: _Pair) -> tuple[Addition, ...]:
    """Public modules, classes and functions defined at the release and not at the release before.

    A changed file whose outline names nothing new is not parsed: it cannot
    add anything. Objects are named by their module's dotted path.
    """
    known: set[str] = set()
    if pair.before is not None:
        for path in pair.old:
            data = trees.blob(pair.before.tag.sha, path)
            if data is not None:
                known |= objects.names_before(path, data)
    new: dict[str, Addition] = {}
    for path in pair.new:
        data = trees.blob(pair.release.tag.sha, path)
        if data is not None and not (pair.before is not None and objects.names_only(path, data, known)):
            new.update(objects.parsed(path, data)[1])
    return tuple(addition for name, addition in sorted(new.items()) if name not in known)


class _Trees:
    """The revisions' file lists and the blobs asked for, each revision's read in one ``git cat-file``."""

    def __init__(self, repo: GitRepository) -> None:
        """Read nothing yet."""
        self._repo = repo
        self._files: dict[str, list[str]] = {}
        self._packages: dict[str, set[str]] = {}
        self._wanted: dict[str, dict[str, None]] = {}
        self._blobs: dict[str, dict[str, bytes]] = {}

    def files(self, revision: str) -> list[str]:
        """Every file path of ``revision``, sorted."""
        if revision not in self._files:
            self._files[revision] = self._repo.files_at(revision)
        return self._files[revision]

    def packages(self, revision: str) -> set[str]:
        """The folders of ``revision`` that hold an ``__init__.py``."""
        if revision not in self._packages:
            inits = (p for p in self.files(revision) if p.endswith("/__init__.py"))
            self._packages[revision] = {p.rpartition("/")[0] for p in inits}
        return self._packages[revision]

    def want(self, revision: str, paths: list[str]) -> list[str]:
        """Ask for the blobs of ``paths`` at ``revision`` (read by :meth:`read`); gives ``paths``."""
        self._wanted.setdefault(revision, {}).update(dict.fromkeys(paths))
        return paths

    def read(self) -> None:
        """Read every blob asked for."""
        for revision, paths in self._wanted.items():
            self._blobs[revision] = self._repo.read_blobs(revision, list(paths))

    def blob(self, revision: str, path: str) -> bytes | None:
        """The content of ``path`` at ``revision``, or None when the tree has no such file."""
        return self._blobs.get(revision, {}).get(path)

    def changelogs(self, revision: str) -> dict[str, str]:
        """The changelog texts of ``revision`` (see :func:`changelog_texts`)."""
        paths = changelog.find_changelogs(self.files(revision))
        return _texts(paths, {p: data for p in paths if (data := self.blob(revision, p)) is not None})


def changelog_texts(repo: GitRepository, revision: str) -> dict[str, str]:
    """The changelog files of a revision and their text (undecodable bytes replaced).

    Args:
        repo: The repository.
        revision: A commit id.

    Returns:
        Path -> text, root files first; binary files left out.
    """
    paths = changelog.find_changelogs(repo.files_at(revision))
    return _texts(paths, repo.read_blobs(revision, paths))


def _texts(paths: list[str], blobs: Mapping[str, bytes]) -> dict[str, str]:
    """The text of each path's blob, in the order of ``paths`` (undecodable bytes replaced, binary left out)."""
    return {p: blobs[p].decode("utf-8", "replace") for p in paths if p in blobs and b"\0" not in blobs[p]}
