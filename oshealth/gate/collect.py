"""What a change is made of, read once from git objects: files, lines, symbols, public API.

The change is ``BASE...HEAD``: from the merge base of the two to HEAD, as a
pull request shows it. Nothing is checked out; the cost follows the change:
only changed files are analysed, and griffe visits only the changed modules
(and the ``__init__`` modules of the packages above them), from their blobs:
see :mod:`oshealth.gate.changed_api`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from oshealth import api, api_diff
from oshealth.api import ApiSnapshot
from oshealth.changelog import find_changelogs
from oshealth.config import Config
from oshealth.errors import GitError
from oshealth.gate import changed_api
from oshealth.git import FileChange, GitRepository
from oshealth.release import tags as release_tags
from oshealth.symbols import FileSymbols, compare_file, python_changes
from oshealth.versions import Version

#: Root files read at the head for settings (interrogate's, docstring conventions).
SETTINGS_FILES = ("pyproject.toml", "setup.cfg", "tox.ini", ".pydocstyle", ".pydocstyle.ini", "ruff.toml", ".ruff.toml")
SHALLOW_HINT = "a shallow clone lacks it: fetch the full history (actions/checkout with fetch-depth: 0)"


@dataclass(frozen=True)
class ChangeSet:
    """Everything the gate rules look at.

    Attributes:
        base: BASE's commit id.
        head: HEAD's commit id.
        merge_base: The commit compared from.
        changes: Every changed file (``exclude`` patterns applied), sorted by path.
        lines: Added or changed lines per head path (``git diff -U0``).
        python: Symbols of each changed Python file.
        head_files: Every file of the head's tree.
        head_blobs: Bytes at the head of changed Python files and changelogs, and of settings files.
        base_blobs: Bytes at the merge base of changed Python files (by their path there).
        api: Public API changes of the changed modules (None: no package touched).
        head_api: The head's snapshot of those modules, with griffe's tree (None: not read).
        api_errors: Packages griffe could not load.
        last_release: The highest version tagged on the merge base or an ancestor (None: no version tag, or
            not looked up): a changelog section naming a higher version is not released yet.
    """

    base: str
    head: str
    merge_base: str
    changes: tuple[FileChange, ...]
    lines: Mapping[str, frozenset[int]]
    python: tuple[FileSymbols, ...]
    head_files: tuple[str, ...]
    head_blobs: Mapping[str, bytes]
    base_blobs: Mapping[str, bytes] = field(default_factory=dict)
    api: api_diff.ApiChanges | None = None
    head_api: ApiSnapshot | None = None
    api_errors: tuple[str, ...] = field(default=())
    last_release: Version | None = None

    def changed_paths(self) -> list[str]:
        """Paths changed and still present at the head."""
        return [c.path for c in self.changes if c.status != "D"]

    def head_text(self, path: str) -> str | None:
        """A head file read as text (undecodable bytes replaced), if it was read."""
        data = self.head_blobs.get(path)
        return None if data is None else data.decode("utf-8", errors="replace")


def resolve_range(repo: GitRepository, base: str, head: str) -> tuple[str, str, str]:
    """BASE, HEAD and their merge base as commit ids.

    Raises:
        GitError: A revision is unknown or they share no history, with a line naming ``fetch-depth: 0``.
    """
    try:
        base_sha = repo.resolve(base)
    except GitError as exc:
        raise GitError(f"unknown base revision {base!r}: {SHALLOW_HINT}") from exc
    try:
        head_sha = repo.resolve(head)
    except GitError as exc:
        raise GitError(f"unknown head revision {head!r}: {SHALLOW_HINT}") from exc
    try:
        merge_base = repo.merge_base(base_sha, head_sha)
    except GitError as exc:
        raise GitError(f"no common ancestor of {base!r} and {head!r}: {SHALLOW_HINT}") from exc
    if not merge_base:
        raise GitError(f"no common ancestor of {base!r} and {head!r}: {SHALLOW_HINT}")
    return base_sha, head_sha, merge_base


def collect(repo: GitRepository, base: str, head: str, config: Config, *, with_api: bool = True) -> ChangeSet:
    """Read the change ``base...head``.

    Args:
        repo: The repository.
        base: BASE as given (branch, tag, sha).
        head: HEAD as given.
        config: The configuration (``exclude`` patterns apply).
        with_api: Whether to read the public API (griffe), needed by the docstrings, changelog and docs rules.

    Returns:
        The change set.

    Raises:
        GitError: A revision is unknown or the history too shallow.
    """
    base_sha, head_sha, merge_base = resolve_range(repo, base, head)
    changes = tuple(c for c in repo.diff_changes(merge_base, head_sha) if not config.is_excluded(c.path))
    lines = {p: frozenset(n) for p, n in repo.changed_lines(merge_base, head_sha).items() if not config.is_excluded(p)}
    py_changes = python_changes(changes)
    old_paths = [c.old_path or c.path for c in py_changes if c.status != "A"]
    base_blobs = repo.read_blobs(merge_base, old_paths)
    head_files = tuple(repo.files_at(head_sha))
    head_blobs = repo.read_blobs(head_sha, _read_at_head(changes, py_changes, head_files))
    python = _compared(py_changes, base_blobs, head_blobs, lines)
    change_set = ChangeSet(base_sha, head_sha, merge_base, changes, lines, python, head_files, head_blobs, base_blobs)
    if not with_api:
        return change_set
    return _with_api(repo, replace(change_set, last_release=last_release(repo, merge_base)))


def last_release(repo: GitRepository, commit: str) -> Version | None:
    """The highest version tagged on ``commit`` or one of its ancestors, pre-releases included.

    Tags on other branches, and tags made after the change (a later release of
    an old pull request), are not ancestors: they do not count.
    """
    for release in reversed(release_tags.releases(repo.tags(), prereleases=True)):
        if release_tags.is_ancestor(repo, release.tag.sha, commit):
            return release.version
    return None


def _read_at_head(changes: Sequence[FileChange], py_changes: Sequence[FileChange], head_files: tuple[str, ...]) -> list[
        str]:
    """The files read at the head: changed Python files, settings files, changed changelogs."""
    wanted = [c.path for c in py_changes if c.status != "D"] + [f for f in SETTINGS_FILES if f in head_files]
    return wanted + find_changelogs(c.path for c in changes if c.status != "D")


def _compared(py_changes: Sequence[FileChange], base_blobs: Mapping[str, bytes], head_blobs: Mapping[str, bytes],
              lines: Mapping[str, frozenset[int]]) -> tuple[FileSymbols, ...]:
    """Each changed Python file analysed at both ends, its symbols compared."""
    return tuple(
        compare_file(c, base_blobs.get(c.old_path or c.path), head_blobs.get(c.path), lines.get(c.path, frozenset()))
        for c in py_changes
    )


def _with_api(repo: GitRepository, change_set: ChangeSet) -> ChangeSet:
    """Compare the public API of the changed modules (the packages above them give their place only)."""
    base_files = repo.files_at(change_set.merge_base)
    touched = {p for fs in change_set.python for p in (fs.path, fs.old_path) if p}
    if not _packages_of(touched, base_files) | _packages_of(touched, change_set.head_files):
        return change_set
    paths = touched | changed_api.structural_paths(touched, base_files, change_set.head_files)
    old = changed_api.snapshot(repo, change_set.merge_base, base_files, paths)
    new = changed_api.snapshot(repo, change_set.head, change_set.head_files, paths)
    errors = tuple(sorted(set(old.errors) | set(new.errors)))
    return replace(change_set, api=api_diff.compare(old, new), head_api=new, api_errors=errors)


def _packages_of(paths: set[str], files: list[str] | tuple[str, ...]) -> set[str]:
    """The top-level packages or modules (of a tree's ``files``) that hold any of ``paths``."""
    roots = api.package_roots(files)
    return {name for name, folder in roots.items() if any(api.in_root(p, name, folder) for p in paths)}
