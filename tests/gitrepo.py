"""A small builder of real git repositories for tests, with fixed authors and dates."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

#: Environment that isolates git from the machine's and the user's config.
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
}
#: 2024-01-01T00:00:00Z; commits advance one day each unless told otherwise.
BASE_TIME = 1_704_067_200
DAY = 86_400


def git(cwd: Path, *args: str, env: Mapping[str, str] | None = None, input: bytes | None = None) -> str:
    """Run git in ``cwd`` with an isolated config; return stdout (raises on failure)."""
    full_env = {**os.environ, **GIT_ENV, **(env or {})}
    done = subprocess.run(["git", *args], cwd=cwd, env=full_env, input=input, capture_output=True, check=True)
    return done.stdout.decode("utf-8", errors="replace")


@dataclass
class RepoBuilder:
    """Writes commits into a fresh repository.

    Example::

        repo = RepoBuilder(tmp_path / "r")
        repo.commit({"pkg/a.py": "def f():\\n    pass\\n"}, author="Ann <ann@example.com>")
        repo.tag("v1.0.0")
    """

    root: Path
    clock: int = BASE_TIME
    commits: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        git(self.root, "init", "-q", "-b", "main")

    def commit(
        self,
        files: Mapping[str, str | bytes | None],
        *,
        message: str = "change",
        author: str = "Alice Example <alice@example.com>",
        when: int | None = None,
        renames: Mapping[str, str] | None = None,
    ) -> str:
        """Apply renames, write (or delete, with None) files, commit everything; return the sha."""
        for old, new in (renames or {}).items():
            (self.root / new).parent.mkdir(parents=True, exist_ok=True)
            git(self.root, "mv", old, new)
        for path, content in files.items():
            target = self.root / path
            if content is None:
                git(self.root, "rm", "-q", "--", path)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        git(self.root, "add", "-A")
        self.clock = when if when is not None else self.clock + DAY
        name, _, email = author.partition(" <")
        stamp = f"{self.clock} +0000"
        env = {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email.rstrip(">"),
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email.rstrip(">"),
            "GIT_COMMITTER_DATE": stamp,
        }
        git(self.root, "commit", "-q", "--allow-empty", "-m", message, env=env)
        sha = git(self.root, "rev-parse", "HEAD").strip()
        self.commits.append(sha)
        return sha

    def tag(self, name: str, message: str | None = None) -> None:
        """Tag HEAD (annotated when a message is given)."""
        env = {"GIT_COMMITTER_NAME": "Tagger", "GIT_COMMITTER_EMAIL": "t@example.com",
               "GIT_COMMITTER_DATE": f"{self.clock} +0000"}
        args = ["tag", "-a", name, "-m", message] if message else ["tag", name]
        git(self.root, *args, env=env)


def load_sample(name: str, target: Path) -> Path:
    """Rebuild ``sample_repos/NAME.fi`` (a git fast-export stream) into ``target`` and check it out."""
    stream = (Path(__file__).resolve().parent.parent / "sample_repos" / f"{name}.fi").read_bytes()
    target.mkdir(parents=True, exist_ok=True)
    git(target, "init", "-q", "-b", "main")
    git(target, "fast-import", "--quiet", input=stream)
    git(target, "checkout", "-q", "-f", "main")
    return target
