"""``oshealth release-check``: is HEAD ready to be released, with its documentation?

Between the last release tag (or ``--since``) and HEAD, read from git objects
(nothing is checked out): every public API addition has a docstring, breaking
changes are listed (and named in the release's changelog section), the
changelog has a non-empty section for the version being released, and the
docs folder or README changed when the public API did. The version is
``--version``, else ``[project] version`` of ``pyproject.toml`` at HEAD, else
a top-level package's ``__version__ = "..."`` at HEAD (read statically, for
dynamic versions), else a version tag on HEAD itself (a release being tagged,
or checked again after), else the changelog's unreleased section is checked.
When the version is known, the last release is the highest version below it
even if its tag is not on HEAD's history (see :func:`oshealth.release.tags.last_before`).
"""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path

from oshealth import __version__, api, api_diff, changelog, versions
from oshealth import config as config_module
from oshealth.errors import UsageError
from oshealth.facts import clock
from oshealth.git import GitRepository, Tag
from oshealth.release import history, notes, rules, settings
from oshealth.release import tags as release_tags
from oshealth.release.model import ReleaseReport


def check(path: Path, *, since: str | None = None, version: str | None = None, display_path: str | None = None
          ) -> ReleaseReport:
    """Check whether HEAD of the repository at ``path`` is ready to be released.

    Args:
        path: A directory inside the work tree.
        since: The revision of the last release (default: the highest version
            tag on an ancestor of HEAD, tags on HEAD itself passed over).
        version: The version being released (default: ``pyproject.toml``'s).
        display_path: How to name the repository in the report.

    Returns:
        The report; ``ready`` says whether every ``fail``-level rule passed.

    Raises:
        UsageError: No commits, no release tag and no ``since``, a bad version, or bad config.
        GitError: ``since`` names no commit.
    """
    repo = GitRepository(path)
    head = repo.head()
    if head is None:
        raise UsageError("the repository has no commits to release")
    given = _given_version(version)
    config = config_module.load(repo.root)
    gate_settings = settings.parse(config.sections.get("release"), config.source or "config")
    every_tag = repo.tags()
    new = api.snapshot(repo, head)
    wanted, source = (given, "--version") if given else _version(repo, head, new, every_tag)
    since_name, since_sha, since_version = _since(repo, head, since, every_tag, wanted)
    old = api.snapshot(repo, since_sha)
    changes = api_diff.compare(old, new)
    found = notes.find(history.changelog_texts(repo, head), wanted)
    files_at_head = repo.files_at(head)
    changed = sorted({p for c in repo.diff_changes(since_sha, head) for p in (c.path, c.old_path) if p})
    context = rules.Context(
        since=since_name, since_version=since_version, version=wanted, version_source=source,
        changes=changes, notes=found, changelogs=tuple(changelog.find_changelogs(files_at_head)),
        fragments=tuple(changelog.fragments(files_at_head)), changed_files=tuple(changed), settings=gate_settings,
        api_errors=tuple(sorted(set(old.errors) | set(new.errors))),
    )
    return ReleaseReport(
        version=__version__,
        generated_at=datetime.fromtimestamp(clock(), UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        repository=display_path if display_path is not None else str(path),
        since=since_name,
        since_commit=since_sha,
        head=head,
        release_version=wanted,
        version_source=source,
        items=rules.evaluate(context),
        changes=changes,
        notes=found,
        docs_changed=rules.docs_files(context),
    )


def _since(repo: GitRepository, head: str, since: str | None, tags: list[Tag], wanted: str | None
           ) -> tuple[str, str, versions.Version | None]:
    """The last release: ``(name, commit id, version or None)``; ``wanted`` is the version being released.

    Raises:
        UsageError: No ``since`` and no version tag on an ancestor of HEAD.
        GitError: ``since`` names no commit.
    """
    if since is not None:
        return since, repo.resolve(since), versions.parse(since)
    last = release_tags.last_before(repo, head, tags, versions.parse(wanted) if wanted else None)
    if last is None:
        hint = " (this clone is shallow: fetch the tags with fetch-depth: 0)" if repo.is_shallow() else ""
        raise UsageError(f"no release tag (a tag named as a version) before HEAD{hint}; name the last release "
                         "with --since TAG")
    return last.tag.name, last.tag.sha, last.version


def _given_version(given: str | None) -> str | None:
    """The ``--version`` value without its tag prefix (``v1.2.0`` gives ``1.2.0``).

    Raises:
        UsageError: It is not a version.
    """
    if given is None:
        return None
    parsed = versions.parse(given)
    if parsed is None:
        raise UsageError(f"--version {given!r}: not a version (such as 1.2.0)")
    return parsed.text


def _version(repo: GitRepository, head: str, snapshot: api.ApiSnapshot, tags: list[Tag]
             ) -> tuple[str | None, str]:
    """The version being released when no ``--version`` is given, and its source.

    Returns:
        ``(version, "pyproject.toml")``, ``(version, "__version__")``, ``(version, "tag")`` or ``(None, "none")``.
    """
    found = project_version(repo.read_blobs(head, ["pyproject.toml"]).get("pyproject.toml"))
    if found:
        return found, "pyproject.toml"
    found = package_version(snapshot)
    if found:
        return found, "__version__"
    found = head_tag_version(head, tags)
    return (found, "tag") if found else (None, "none")


def head_tag_version(head: str, tags: list[Tag]) -> str | None:
    """The version a tag on HEAD names (black's and requests' versions live only in their tags at build time).

    Args:
        head: The commit id of HEAD.
        tags: Every tag of the repository.

    Returns:
        The highest version tagged on HEAD (of the project's own tag family), or None.
    """
    on_head = release_tags.releases([t for t in tags if t.sha == head], prereleases=True)
    return on_head[-1].version.text if on_head else None


_STRING_VALUE = re.compile(r"""=\s*(?:'([^']*)'|"([^"]*)")\s*$""")


def package_version(snapshot: api.ApiSnapshot) -> str | None:
    """The version a top-level package states as ``__version__ = "1.2.3"``.

    Args:
        snapshot: The public API at HEAD (``__version__`` is a public attribute there).

    Returns:
        The version, or None when no top-level package states one, or packages disagree.
    """
    found = set()
    for path, obj in snapshot.objects.items():
        if path.count(".") != 1 or not path.endswith(".__version__"):
            continue
        match = _STRING_VALUE.search(obj.signature)
        parsed = versions.parse(match.group(1) or match.group(2)) if match else None
        if parsed is not None:
            found.add(parsed.text)
    return found.pop() if len(found) == 1 else None


def project_version(data: bytes | None) -> str | None:
    """``[project] version`` of a ``pyproject.toml``, when it is static and a version.

    Args:
        data: The file's bytes, or None when there is none.

    Returns:
        The version text, or None (no file, unreadable, dynamic version, or not a version).
    """
    if data is None:
        return None
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    project = table.get("project")
    value = project.get("version") if isinstance(project, dict) else None
    parsed = versions.parse(value) if isinstance(value, str) else None
    return parsed.text if parsed else None
