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
from oshealth.analysis import pyfile
from oshealth.analysis.public_api import is_public, is_test_file, module_name
from oshealth.errors import GitError
from oshealth.git import GitRepository, Tag
from oshealth.release import tags as release_tags
from oshealth.versions import Release

log = logging.getLogger(__name__)

#: Kinds of public objects that are expected to carry a docstring (interrogate's; special methods
#: such as ``__init__`` are left out: their class documents them).
DOCUMENTED_KINDS = frozenset({"module", "class", "function"})


@dataclass(frozen=True)
class Addition:
    """A public object a release added.

    Attributes:
        path: Dotted path.
        kind: ``module``, ``class`` or ``function``.
        file: Repository-relative file at the tag.
        line: Its line at the tag (None for a module).
        documented: Whether it had a non-empty docstring at the tag.
    """

    path: str
    kind: str
    file: str
    line: int | None
    documented: bool


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


def _records(repo: GitRepository, ordered: list[Release], recent: list[Release]) -> list[ReleaseRecord]:
    """Record what each recent release added over the release before it."""
    records = []
    for release in recent:
        before = release_tags.previous(release, ordered)
        added = _additions(repo, before.tag.sha if before else None, release.tag.sha)
        records.append(
            ReleaseRecord(
                tag=release.tag.name,
                version=release.version.text,
                commit=release.tag.sha,
                previous=before.tag.name if before else None,
                changelogs=changelog_texts(repo, release.tag.sha),
                added=added,
            )
        )
    return records


def _additions(repo: GitRepository, before: str | None, tag: str) -> tuple[Addition, ...]:
    """Public modules, classes and functions defined at ``tag`` and not at ``before``.

    Only the Python files changed between the two tags are read (all of them for
    a first release); objects are named by their module's dotted path.
    """
    old_paths: list[str] = []
    if before is None:
        new_paths = [p for p in repo.files_at(tag) if p.endswith(".py")]
    else:
        new_paths, old_paths = _changed_python(repo, before, tag)
    new = _public_objects(repo, tag, new_paths)
    old = _public_objects(repo, before, old_paths) if before is not None else {}
    return tuple(addition for path, addition in sorted(new.items()) if path not in old)


def _changed_python(repo: GitRepository, before: str, tag: str) -> tuple[list[str], list[str]]:
    """The Python files changed from ``before`` to ``tag``: their paths at ``tag`` (not deleted), and at ``before``."""
    changes = repo.diff_changes(before, tag)
    new_paths = [c.path for c in changes if c.status != "D" and c.path.endswith(".py")]
    old_paths = [c.old_path or c.path for c in changes if c.status not in ("A", "C")]
    return new_paths, [p for p in old_paths if p.endswith(".py")]


def _public_objects(repo: GitRepository, revision: str, paths: list[str]) -> dict[str, Addition]:
    """The documentable public objects defined in ``paths`` at ``revision``, by dotted path."""
    packages = {p.rpartition("/")[0] for p in repo.files_at(revision) if p.endswith("/__init__.py")}
    wanted = [p for p in paths if p.rpartition("/")[0] in packages and not is_test_file(p)]
    objects: dict[str, Addition] = {}
    for path, data in repo.read_blobs(revision, wanted).items():
        objects.update(_file_objects(path, data))
    return objects


def _file_objects(path: str, data: bytes) -> dict[str, Addition]:
    """The documentable public objects of one file, special methods left out, by dotted path."""
    record = pyfile.analyse(path, data, docstrings_only=True)
    objects: dict[str, Addition] = {}
    for index, node in enumerate(record.doc_nodes):
        kind = _KINDS.get(node.node_type)
        dotted = module_name(path) + (f".{node.qualname}" if node.qualname else "")
        if kind and is_public(record.doc_nodes, index, path) and not (kind == "function" and is_special(dotted)):
            objects[dotted] = Addition(dotted, kind, path, node.line, node.covered)
    return objects


_KINDS = {"Module": "module", "ClassDef": "class", "FunctionDef": "function", "AsyncFunctionDef": "function"}


def is_special(path: str) -> bool:
    """Whether an object is a special method (``__init__``, ``__repr__``): documented by its class."""
    name = path.rsplit(".", 1)[-1]
    return name.startswith("__") and name.endswith("__") and len(name) > 4


def changelog_texts(repo: GitRepository, revision: str) -> dict[str, str]:
    """The changelog files of a revision and their text (undecodable bytes replaced).

    Args:
        repo: The repository.
        revision: A commit id.

    Returns:
        Path -> text, root files first; binary files left out.
    """
    paths = changelog.find_changelogs(repo.files_at(revision))
    blobs = repo.read_blobs(revision, paths)
    return {p: blobs[p].decode("utf-8", "replace") for p in paths if p in blobs and b"\0" not in blobs[p]}
