"""The one seam between oshealth and git.

Every git call goes through this module and failures surface as
:class:`~oshealth.errors.GitError` (or :class:`NotARepositoryError` for a bad
path). History is read in a single streaming ``git log`` pass; there is never
one process per commit or per file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import git as gitpython

from oshealth.errors import GitError, NotARepositoryError

_RECORD = "\x1e"
_FIELD = "\x1f"
_LOG_FORMAT = "%x1e%H%x1f%P%x1f%aN%x1f%aE%x1f%at%x1f%s"


@dataclass(frozen=True)
class FileChange:
    """One file touched by a commit, as ``git log --name-status -M`` reports it.

    Attributes:
        status: The change letter: A, M, D, R (rename), C (copy) or T (type change).
        path: The path after the change.
        old_path: The path before a rename or copy, else None.
    """

    status: str
    path: str
    old_path: str | None = None


@dataclass(frozen=True)
class Commit:
    """One commit of the history, authors already mapped through ``.mailmap``.

    Attributes:
        sha: Full commit id.
        parents: Parent commit ids (two or more for a merge).
        author_name: Author name, ``.mailmap`` applied.
        author_email: Author e-mail, ``.mailmap`` applied, lower-cased.
        authored_at: Author time, seconds since the epoch (UTC).
        subject: First line of the message.
        changes: Files changed; empty for merges (git log shows no diff for them).
    """

    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    authored_at: int
    subject: str
    changes: tuple[FileChange, ...]

    @property
    def is_merge(self) -> bool:
        """Whether the commit has more than one parent."""
        return len(self.parents) > 1


@dataclass(frozen=True)
class Tag:
    """A tag pointing (possibly through an annotated tag) at a commit.

    Attributes:
        name: Tag name without ``refs/tags/``.
        sha: The commit it points at.
        created_at: Tag date for annotated tags, else the commit date (epoch seconds).
    """

    name: str
    sha: str
    created_at: int


class GitRepository:
    """A local git work tree, opened through GitPython."""

    def __init__(self, path: Path) -> None:
        """Open the work tree that contains ``path``.

        Args:
            path: A directory inside a git work tree.

        Raises:
            NotARepositoryError: The path is not a directory, not inside a git
                repository, or the repository has no work tree.
        """
        if not path.is_dir():
            raise NotARepositoryError(f"{path}: not a directory")
        try:
            self._repo = gitpython.Repo(path, search_parent_directories=True)
        except (gitpython.InvalidGitRepositoryError, gitpython.NoSuchPathError) as exc:
            raise NotARepositoryError(f"{path}: not a git repository") from exc
        except gitpython.GitError as exc:
            raise NotARepositoryError(f"{path}: cannot open as a git repository: {exc}") from exc
        if self._repo.bare or self._repo.working_tree_dir is None or not self._has_work_tree():
            raise NotARepositoryError(f"{path}: a bare repository has no work tree to audit")
        self.root = Path(self._repo.working_tree_dir).resolve()

    def _has_work_tree(self) -> bool:
        """Ask git whether the repository has a work tree.

        Returns:
            True inside a work tree.

        Raises:
            NotARepositoryError: git refuses the repository (unsafe owner, broken config...).
        """
        # GitPython trusts core.bare, which a bare mirror without a config file lacks: ask git itself
        try:
            return self._run("rev-parse", "--is-inside-work-tree").strip() == "true"
        except GitError as exc:
            raise NotARepositoryError(f"{self._repo.git_dir}: git refuses the repository: {exc}") from exc

    def _run(self, *args: str, **kwargs: Any) -> str:
        """Run one git command and give its output.

        Args:
            *args: The git subcommand and its arguments.
            **kwargs: Options for GitPython's ``execute``.

        Returns:
            The command's standard output.

        Raises:
            GitError: git failed; the message holds its most telling error line.
        """
        try:
            return str(self._repo.git.execute(["git", *args], **kwargs))
        except gitpython.GitCommandError as exc:
            raise GitError(f"git {args[0]} failed: {_stderr_summary(exc)}") from exc

    def head(self) -> str | None:
        """The commit id of HEAD, or None in a repository with no commits."""
        try:
            return self._repo.head.commit.hexsha
        except ValueError:
            return None

    def branch(self) -> str | None:
        """The current branch name, or None when HEAD is detached or unborn."""
        try:
            return None if self._repo.head.is_detached else self._repo.active_branch.name
        except (TypeError, ValueError):
            return None

    def is_shallow(self) -> bool:
        """Whether the clone is shallow (history cut by ``--depth``)."""
        return self._run("rev-parse", "--is-shallow-repository").strip() == "true"

    def list_files(self) -> list[str]:
        """Tracked files plus untracked files not ignored, sorted, as in the work tree.

        Files that are tracked but deleted from the work tree are left out.

        Returns:
            Repository-relative POSIX paths.
        """
        out = self._run("ls-files", "-z", "--cached", "--others", "--exclude-standard")
        paths = {p for p in out.split("\0") if p}
        return sorted(p for p in paths if os.path.lexists(self.root / p))

    def tags(self) -> list[Tag]:
        """Every tag that points at a commit, oldest first."""
        out = self._run(
            "for-each-ref", "refs/tags", "--format=%(refname:strip=2)%1f%(*objectname)%1f%(objectname)"
            "%1f%(creatordate:unix)%1f%(*objecttype)%(objecttype)",
        )
        tags = []
        for line in out.splitlines():
            name, peeled, sha, created, kinds = line.split(_FIELD)
            if "commit" in kinds:
                tags.append(Tag(name, peeled or sha, int(created or 0)))
        return sorted(tags, key=lambda t: (t.created_at, t.name))

    def iter_history(self) -> Iterator[Commit]:
        """Stream every commit reachable from HEAD, newest first, in one git process.

        Yields:
            Commits with their changed files (renames detected with ``-M``).

        Raises:
            GitError: git failed while the history was read.
        """
        if self.head() is None:
            return
        try:
            proc = self._repo.git.log(
                "-z", "--name-status", "-M", f"--format={_LOG_FORMAT}", "HEAD", as_process=True
            )
        except gitpython.GitCommandError as exc:
            raise GitError(f"git log failed: {exc}") from exc
        try:
            yield from _parse_log(proc.stdout)
        finally:
            proc.stdout.close()
            proc.wait()


def _stderr_summary(exc: gitpython.GitCommandError) -> str:
    """The most telling line of git's error output (its ``fatal:`` line if any)."""
    text = exc.stderr if isinstance(exc.stderr, str) else str(exc.stderr or "")
    lines = [line.strip().strip("'").removeprefix("stderr: '") for line in text.strip().splitlines()]
    lines = [line for line in lines if line]
    fatal = [line for line in lines if line.startswith(("fatal:", "error:"))]
    return (fatal or lines or [f"exit status {exc.status}"])[0]


def _parse_log(stream: IO[bytes]) -> Iterator[Commit]:
    """Read ``git log``'s machine-readable output as it streams in.

    Args:
        stream: git's standard output.

    Yields:
        One commit per record.
    """
    buffer = b""
    for chunk in iter(lambda: stream.read(1 << 16), b""):
        buffer += chunk
        *complete, buffer = buffer.split(_RECORD.encode())
        for record in complete:
            if record:
                yield _parse_record(record.decode("utf-8", errors="replace"))
    if buffer:
        yield _parse_record(buffer.decode("utf-8", errors="replace"))


def _parse_record(record: str) -> Commit:
    """Read one commit record: header fields, then ``--name-status -z`` changes.

    Args:
        record: The record's text.

    Returns:
        The commit; renames and copies carry their old path.
    """
    header, _, body = record.partition("\0")
    sha, parents, name, email, when, subject = (header.split(_FIELD, 5) + [""] * 6)[:6]
    tokens = body.lstrip("\n").split("\0")
    changes: list[FileChange] = []
    i = 0
    while i < len(tokens) and tokens[i]:
        status = tokens[i].lstrip("\n")
        if status[:1] in ("R", "C"):
            changes.append(FileChange(status[0], tokens[i + 2], tokens[i + 1]))
            i += 3
        else:
            changes.append(FileChange(status[0], tokens[i + 1]))
            i += 2
    return Commit(
        sha=sha,
        parents=tuple(parents.split()),
        author_name=name,
        author_email=email.lower(),
        authored_at=int(when or 0),
        subject=subject,
        changes=tuple(changes),
    )
