"""Facts about past releases, for the ``release-documentation`` check.

For the last N releases (by version, :mod:`oshealth.release.tags`) this reads,
at each release tag and the one before the oldest of them: the changelog files
and the public API (:func:`oshealth.api.snapshot`). That is N+1 snapshots,
whatever the length of the history. Each release then records the public API
it added over the release before it, with whether each addition had a
docstring at the tag. Nothing is judged here: the check does that.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from oshealth import api, api_diff, changelog
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
        api_errors: Packages whose API could not be read at either tag.
    """

    tag: str
    version: str
    commit: str
    previous: str | None
    changelogs: Mapping[str, str]
    added: tuple[Addition, ...]
    api_errors: tuple[str, ...] = ()


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
    """Snapshot each recent release and the one before the oldest, and record what each added."""
    snapshots: dict[str, api.ApiSnapshot] = {}
    records = []
    for release in recent:
        before = release_tags.previous(release, ordered)
        for wanted in (before, release):
            if wanted is not None and wanted.tag.name not in snapshots:
                snapshots[wanted.tag.name] = api.snapshot(repo, wanted.tag.sha)
        current = snapshots[release.tag.name]
        old = snapshots[before.tag.name] if before is not None else None
        records.append(_record(repo, release, before, old, current))
    return records


def _record(
    repo: GitRepository, release: Release, before: Release | None, old: api.ApiSnapshot | None, new: api.ApiSnapshot
) -> ReleaseRecord:
    """Build the record of one release from its snapshot and the previous one's."""
    objects = new.objects.values() if old is None else api_diff.compare(old, new).added
    added = tuple(
        Addition(obj.path, obj.kind, obj.file, obj.line, bool((obj.docstring or "").strip()))
        for obj in sorted(objects, key=lambda o: o.path)
        if obj.kind in DOCUMENTED_KINDS and not (obj.kind == "function" and is_special(obj.path))
    )
    errors = tuple(sorted(set(new.errors) | set(old.errors if old else ())))
    return ReleaseRecord(
        tag=release.tag.name,
        version=release.version.text,
        commit=release.tag.sha,
        previous=before.tag.name if before else None,
        changelogs=changelog_texts(repo, release.tag.sha),
        added=added,
        api_errors=errors,
    )


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
