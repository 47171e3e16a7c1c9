"""Facts about past releases, for the ``release-documentation`` check.

For the last N releases (by version, :mod:`oshealth.release.tags`) this reads
the changelog files at each release tag, and the public API each release added
over the release before it, with whether each addition had a docstring at the
tag. Nothing is judged here: the check does that.

Additions are found in the Python files the release changed (``git diff``
from the merge base, renames found): an object defined in a file no release
touched cannot have been added. A griffe snapshot of the whole package at every
tag cost 44 s per tag on sympy (6 tags: over 4 minutes). The changed files are
compared by their outlines and only those that may add something are parsed
(:mod:`oshealth.release.additions`); the trees and diffs are read by git
processes side by side, and every blob in one ``git cat-file``. Sympy's last 5
releases (1.14.0 changed 334 modules): 747 files parsed in 4.1 s of CPU before,
701 outlines and 60 parses in 0.75 s now.
"""

from __future__ import annotations

import concurrent.futures
import logging
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass

from oshealth import changelog, collector
from oshealth.analysis.public_api import is_test_file
from oshealth.errors import GitError
from oshealth.git import FileChange, GitRepository, Tag
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
        with collector.paused():  # an audit holds millions of objects: each full collection would walk them all
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

    Every blob is read once, and each distinct one analysed once (a file at
    one tag is the old side of the next).
    """
    releases = [(release, release_tags.previous(release, ordered)) for release in recent]
    objects = Objects()
    trees, changes = _read_ahead(repo, releases, objects)
    pairs = [_pair(trees, release, before, changes.get(release.tag.sha, [])) for release, before in releases]
    trees.read()
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


def _read_ahead(
    repo: GitRepository, releases: list[tuple[Release, Release | None]], objects: Objects
) -> tuple[_Trees, dict[str, list[FileChange]]]:
    """The trees and each release's changes since the release before, the git processes side by side.

    The diffs take the longest (from the merge base, renames found). The
    files whose blobs differ between two releases' trees are most of those
    they will list, so those blobs are read and outlined meanwhile.

    Returns:
        The trees, and the changes by release commit (releases without one before left out).
    """
    revisions = sorted({r.tag.sha for pair in releases for r in pair if r is not None})
    # a thread per git process: they wait on git, and the trees must not queue behind the diffs
    with concurrent.futures.ThreadPoolExecutor(max_workers=1 + len(revisions) + len(releases)) as pool:
        diffs = {release.tag.sha: pool.submit(repo.diff_changes, before.tag.sha, release.tag.sha)
                 for release, before in releases if before is not None}
        trees = _Trees(repo, dict(zip(revisions, pool.map(repo.tree_entries, revisions), strict=True)))
        for data in trees.read_ahead(_differing_python(trees, releases)):
            objects.outline(data)
        return trees, {commit: diff.result() for commit, diff in diffs.items()}


def _differing_python(trees: _Trees, releases: list[tuple[Release, Release | None]]) -> list[str]:
    """The blob ids of the importable Python files whose blob differs between a release and the one before."""
    blobs: list[str] = []
    for release, before in releases:
        if before is not None:
            for one, other in ((release.tag.sha, before.tag.sha), (before.tag.sha, release.tag.sha)):
                mine, theirs = trees.tree(one), trees.tree(other)
                paths = [p for p, blob in mine.items() if p.endswith(".py") and blob and theirs.get(p) != blob]
                blobs += [b for p in _importable(trees, one, paths) if (b := mine[p]) is not None]
    return blobs


def _pair(trees: _Trees, release: Release, before: Release | None, changes: list[FileChange]) -> _Pair:
    """The files to compare for one release (only those changed since ``before``), asked of ``trees``."""
    tag = release.tag.sha
    old: list[str] = []
    if before is None:
        new = [p for p in trees.files(tag) if p.endswith(".py")]
    else:
        new, old = _changed_python(changes)
        old = trees.want(before.tag.sha, _importable(trees, before.tag.sha, old))
    trees.want(tag, trees.changelog_paths(tag))
    return _Pair(release, before, trees.want(tag, _importable(trees, tag, new)), old)


def _changed_python(changes: list[FileChange]) -> tuple[list[str], list[str]]:
    """The Python files changed from one release to the next: their paths at the release (not deleted), and before."""
    new_paths = [c.path for c in changes if c.status != "D" and c.path.endswith(".py")]
    old_paths = [c.old_path or c.path for c in changes if c.status not in ("A", "C")]
    return new_paths, [p for p in old_paths if p.endswith(".py")]


def _importable(trees: _Trees, revision: str, paths: list[str]) -> list[str]:
    """The paths of the public API's source at ``revision`` (not test files), as ``release-check`` reads it.

    Files of :func:`oshealth.api.package_roots`'s packages and modules, through
    package folders only, as griffe visits them: not ``scripts/`` nor a vendored project.
    """
    roots, packages = trees.roots(revision), trees.packages(revision)
    return [p for p in paths if _in_roots(p, roots, packages) and not is_test_file(p)]


def _in_roots(path: str, roots: dict[str, str], packages: set[str]) -> bool:
    """Whether ``path`` is a top-level module of ``roots`` or below one of its packages, package folders all down."""
    folder = next(iter(roots.values()), None)  # package_roots searches one folder: src or the root
    prefix = f"{folder}/" if folder else ""
    if folder is None or not path.startswith(prefix):
        return False
    parts = path[len(prefix) :].split("/")
    if len(parts) == 1:
        return posixpath.splitext(parts[0])[0] in roots
    return parts[0] in roots and all(prefix + "/".join(parts[:depth]) in packages for depth in range(1, len(parts)))


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
    """The revisions' trees, one ``git ls-tree`` each, and their blobs: read ahead, then those asked for and missing."""

    def __init__(self, repo: GitRepository, trees: dict[str, dict[str, str | None]]) -> None:
        """Start with the trees already read (path -> blob id, by revision)."""
        self._repo = repo
        self._trees = trees
        self._packages: dict[str, set[str]] = {}
        self._roots: dict[str, dict[str, str]] = {}
        self._changelogs: dict[str, list[str]] = {}
        self._wanted: dict[str, None] = {}
        self._blobs: dict[str, bytes] = {}

    def files(self, revision: str) -> list[str]:
        """Every file path of ``revision``, sorted."""
        return sorted(self.tree(revision))

    def changelog_paths(self, revision: str) -> list[str]:
        """The changelog files of ``revision`` (see :func:`oshealth.changelog.find_changelogs`)."""
        if revision not in self._changelogs:
            self._changelogs[revision] = changelog.find_changelogs(self.tree(revision))
        return self._changelogs[revision]

    def packages(self, revision: str) -> set[str]:
        """The folders of ``revision`` that hold an ``__init__.py`` (or ``__init__.pyi``, as for griffe)."""
        if revision not in self._packages:
            inits = (p for p in self.tree(revision) if p.endswith(("/__init__.py", "/__init__.pyi")))
            self._packages[revision] = {p.rpartition("/")[0] for p in inits}
        return self._packages[revision]

    def roots(self, revision: str) -> dict[str, str]:
        """The top-level packages and modules of ``revision`` (see :func:`oshealth.api.package_roots`)."""
        if revision not in self._roots:
            from oshealth import api  # griffe loads only when releases are read: an audit reusing them skips it

            self._roots[revision] = api.package_roots(self.tree(revision))
        return self._roots[revision]

    def want(self, revision: str, paths: list[str]) -> list[str]:
        """Ask for the blobs of ``paths`` at ``revision`` (read by :meth:`read`); gives ``paths``."""
        tree = self.tree(revision)
        self._wanted.update(dict.fromkeys(blob for p in paths if (blob := tree.get(p)) is not None))
        return paths

    def read_ahead(self, blobs: list[str]) -> list[bytes]:
        """Read ``blobs`` before they are asked for; gives their content."""
        found = self._repo.read_objects(blobs)
        self._blobs.update(found)
        return list(found.values())

    def read(self) -> None:
        """Read every blob asked for and not read yet (a blob at several revisions once)."""
        missing = [blob for blob in self._wanted if blob not in self._blobs]
        if missing:
            self._blobs.update(self._repo.read_objects(missing))

    def blob(self, revision: str, path: str) -> bytes | None:
        """The content of ``path`` at ``revision`` if asked for, or None when the tree has no such file."""
        blob = self.tree(revision).get(path)
        return None if blob is None else self._blobs.get(blob)

    def changelogs(self, revision: str) -> dict[str, str]:
        """The changelog texts of ``revision`` (see :func:`changelog_texts`)."""
        paths = self.changelog_paths(revision)
        return _texts(paths, {p: data for p in paths if (data := self.blob(revision, p)) is not None})

    def tree(self, revision: str) -> dict[str, str | None]:
        """Path -> blob id of every file of ``revision`` (None for a submodule)."""
        if revision not in self._trees:
            self._trees[revision] = self._repo.tree_entries(revision)
        return self._trees[revision]


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
