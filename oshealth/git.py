"""The one seam between oshealth and git.

Every git call goes through this module and failures surface as
:class:`~oshealth.errors.GitError` (or :class:`NotARepositoryError` for a bad
path). History is read in a single streaming ``git log`` pass; there is never
one process per commit or per file.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import git as gitpython

from oshealth.errors import GitError, NotARepositoryError
from oshealth.gitlog import Commit, FileChange, Tag, parse_log, parse_name_status, parse_unified_zero
from oshealth.gitprocess import file_digest, git_environment, split_batch, stderr_summary

__all__ = ["Commit", "FileChange", "GitRepository", "Tag"]

_LOG_FORMAT = "%x1e%H%x1f%P%x1f%aN%x1f%aE%x1f%at%x1f%s"
_FIELD = "\x1f"


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
        self._env = git_environment(os.environ)
        self._repo.git.update_environment(**{k: v for k, v in self._env.items() if os.environ.get(k) != v})

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
            raise GitError(f"git {args[0]} failed: {stderr_summary(exc)}") from exc

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

    def worktree_changes(self) -> list[str]:
        """Every path where the index or the work tree differs from HEAD, untracked ones included, sorted.

        Ignored files are left out, as :meth:`list_files` leaves them out.
        ``--no-optional-locks`` keeps git from rewriting the index, which a
        user's own git command could be holding at the same time.

        Returns:
            Repository-relative POSIX paths.
        """
        out = self._run("--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=all",
                        "--no-renames", "--ignore-submodules=none")
        # each entry is "XY path"; without renames no entry has a second path
        return sorted({entry[3:] for entry in out.split("\0") if len(entry) > 3})

    def tags(self) -> list[Tag]:
        """Every tag that points at a commit, oldest first."""
        out = self._run(
            "for-each-ref",
            "refs/tags",
            "--format=%(refname:strip=2)%1f%(*objectname)%1f%(objectname)"
            "%1f%(creatordate:unix)%1f%(*objecttype)%(objecttype)",
        )
        tags = []
        for line in out.splitlines():
            name, peeled, sha, created, kinds = line.split(_FIELD)
            if "commit" in kinds:
                tags.append(Tag(name, peeled or sha, int(created or 0)))
        return sorted(tags, key=lambda t: (t.created_at, t.name))

    def resolve(self, revision: str) -> str:
        """The commit id that ``revision`` names.

        Raises:
            GitError: No commit has that name (or the history is too shallow to hold it).
        """
        if revision.startswith("-"):
            raise GitError(f"not a revision: {revision!r}")
        try:
            return self._run("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").strip()
        except GitError as exc:
            raise GitError(f"unknown revision {revision!r} (a shallow clone may lack it: fetch-depth: 0)") from exc

    def merge_base(self, base: str, head: str) -> str:
        """The best common ancestor of two commits (what ``BASE...HEAD`` compares from)."""
        return self._run("merge-base", self.resolve(base), self.resolve(head)).strip()

    def commit_staged(self) -> str | None:
        """A commit of the staged tree on top of HEAD, made without touching a ref, the index or the work tree.

        ``git write-tree`` stores the index as a tree and ``git commit-tree``
        wraps it in a commit that no ref points at (git's garbage collection
        removes it later), so that code reading revisions (``oshealth diff``)
        can compare HEAD with the change about to be committed.

        Returns:
            The commit id, or None when nothing is staged (the index holds HEAD's tree).

        Raises:
            GitError: There is no commit yet, or the index has unresolved conflicts.
        """
        head = self.head()
        if head is None:
            raise GitError("no commit yet: there is nothing to compare the staged change with")
        tree = self._run("write-tree").strip()
        if tree == self._run("rev-parse", f"{head}^{{tree}}").strip():
            return None
        who = {"NAME": "oshealth", "EMAIL": "oshealth@localhost"}  # a dangling commit: any identity will do
        env = {f"GIT_{role}_{key}": value for role in ("AUTHOR", "COMMITTER") for key, value in who.items()}
        return self._run("commit-tree", tree, "-p", head, "-m", "oshealth: the staged change", env=env).strip()

    def files_at(self, revision: str) -> list[str]:
        """Every file path in the tree of ``revision``, sorted."""
        out = self._run("ls-tree", "-r", "-z", "--name-only", self.resolve(revision))
        return sorted(p for p in out.split("\0") if p)

    def tree_entries(self, revision: str) -> dict[str, str | None]:
        """Every file path in the tree of ``revision`` with its blob id (None for a submodule), sorted by path.

        The blob id is what :func:`oshealth.analysis.pyfile.blob_id` gives for the
        bytes: cached per-file records can be found without reading any file.
        """
        out = self._run("ls-tree", "-r", "-z", self.resolve(revision))
        entries: dict[str, str | None] = {}
        for line in out.split("\0"):
            meta, tab, path = line.partition("\t")
            kind = meta.split(" ")
            if tab and len(kind) == 3:
                entries[path] = kind[2] if kind[1] == "blob" else None
        return dict(sorted(entries.items()))

    def read_blobs(self, revision: str, paths: list[str]) -> dict[str, bytes]:
        """The content of ``paths`` in ``revision``, read in one ``git cat-file --batch`` process.

        Paths missing from that tree are left out of the result. Nothing is
        checked out: the work tree is never touched.
        """
        sha = self.resolve(revision)
        request = b"".join(f"{sha}:{p}".encode("utf-8", "surrogateescape") + b"\0" for p in paths)
        out = self._run_bytes(["cat-file", "--batch", "-z"], request)
        return split_batch(out, paths)

    def read_objects(self, ids: list[str]) -> dict[str, bytes]:
        """The content of the blobs ``ids`` name (see :meth:`tree_entries`), in one ``git cat-file --batch``.

        Ids that name no blob are left out; a blob asked for twice is read once.
        """
        unique = list(dict.fromkeys(ids))
        out = self._run_bytes(["cat-file", "--batch"], "".join(f"{i}\n" for i in unique).encode("ascii"))
        return split_batch(out, unique)

    def _run_bytes(self, args: list[str], stdin: bytes) -> bytes:
        """Run git with ``stdin`` and return raw stdout (for binary-safe batch reads)."""
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=self._env, input=stdin, capture_output=True, check=False
        )
        if done.returncode:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git {args[0]} failed: {detail[0] if detail else done.returncode}")
        return done.stdout

    def diff_changes(self, base: str, head: str) -> list[FileChange]:
        """Files changed from the merge base of ``base`` and ``head`` to ``head`` (renames found)."""
        out = self._run(
            "diff", "--no-ext-diff", "--name-status", "-z", "-M", f"{self.resolve(base)}...{self.resolve(head)}"
        )
        return parse_name_status(out)

    def changed_lines(self, base: str, head: str) -> dict[str, set[int]]:
        """Lines added or changed in ``head`` since its merge base with ``base``, per path.

        This is diff-cover's method: ``git diff -U0 BASE...HEAD``, keeping the
        ``+`` side of every hunk header.
        """
        out = self._run(
            "-c",
            "core.quotepath=off",
            "diff",
            "--no-ext-diff",
            "--no-color",
            "-U0",
            "-M",
            f"{self.resolve(base)}...{self.resolve(head)}",
        )
        return parse_unified_zero(out)

    def iter_history(self, revision: str = "HEAD") -> Iterator[Commit]:
        """Stream every commit reachable from ``revision``, newest first, in one git process.

        Yields:
            Commits with their changed files (renames detected with ``-M``).

        Raises:
            GitError: git failed while the history was read.
        """
        if self.head() is None:
            return
        try:
            proc = self._repo.git.log(
                "-z", "--name-status", "-M", f"--format={_LOG_FORMAT}", revision, "--", as_process=True
            )
        except gitpython.GitCommandError as exc:
            raise GitError(f"git log failed: {exc}") from exc
        finished = False
        try:
            yield from parse_log(proc.stdout)
            finished = True
        finally:
            proc.stdout.close()
            _wait_for_log(proc, finished)

    @property
    def common_dir(self) -> Path:
        """The repository's git directory shared by all its work trees (``.git`` of the main one)."""
        return Path(self._repo.common_dir).resolve()

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        """Whether commit ``ancestor`` is reachable from ``descendant`` (``git merge-base --is-ancestor``).

        A commit unknown to the repository (garbage-collected, never fetched) is no ancestor.
        """
        return self._quiet("merge-base", "--is-ancestor", ancestor, descendant) is not None

    def _quiet(self, *args: str) -> str | None:
        """Run one git command whose failure is an answer, not an error: its output, or None when it fails."""
        status, out, _ = self._repo.git.execute(["git", *args], with_exceptions=False, with_extended_output=True)
        return str(out) if status == 0 else None

    def rev_list(self, revision: str = "HEAD") -> list[str]:
        """The commit ids reachable from ``revision``, in the order ``git log`` shows them (no diffs read)."""
        return self._run("rev-list", revision, "--").split()

    def log_settings(self) -> str:
        """What, besides the commits themselves, shapes ``git log``'s output of the history.

        The names and e-mails are mapped through ``.mailmap`` (the work tree's
        file and the ``mailmap.file``/``mailmap.blob`` settings), and replace
        refs and grafts change which parents a commit has. A cache of the
        parsed history must be thrown away when any of these changes.

        Returns:
            A text that changes whenever one of them does.
        """
        config = self._quiet("config", "--get-regexp", r"^mailmap\.") or ""
        parts = [config, self._quiet("for-each-ref", "--format=%(refname) %(objectname)", "refs/replace") or ""]
        parts += [file_digest(p) for p in (self.root / ".mailmap", self.common_dir / "info" / "grafts")]
        for line in config.splitlines():
            key, _, value = line.partition(" ")
            if key == "mailmap.file":
                parts.append(file_digest(Path(os.path.expanduser(value))))
            elif key == "mailmap.blob":
                parts.append(self._quiet("rev-parse", "-q", "--verify", value) or "-")
        return "\n".join(parts)


def _wait_for_log(proc: Any, read_to_the_end: bool) -> None:
    """Reap a streaming ``git log``; its failure is an error only when its whole output was read.

    A reader that stops early closes the pipe, and git then dies of ``SIGPIPE``: that is no failure.

    Raises:
        GitError: git failed (a damaged repository: a blob it cannot read, a broken pack).
    """
    try:
        proc.wait()
    except gitpython.GitCommandError as exc:
        if read_to_the_end:
            raise GitError(f"git log failed: {stderr_summary(exc)}") from exc
