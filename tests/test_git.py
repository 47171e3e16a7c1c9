from __future__ import annotations

import io
from pathlib import Path

import pytest

from oshealth.errors import GitError, NotARepositoryError
from oshealth.git import FileChange, GitRepository
from oshealth.gitlog import parse_log, parse_unified_zero, unquote_c
from oshealth.gitprocess import git_environment
from tests.gitrepo import RepoBuilder, git


def test_history_is_one_stream_with_renames_and_odd_names(builder: RepoBuilder) -> None:
    builder.commit({"pkg/a.py": "x = 1\n", "we ird\tname.py": "y = 2\n", "ünï.py": "z = 3\n"}, message="first")
    builder.commit({}, renames={"pkg/a.py": "pkg/b.py"}, author="Bob B <BOB@Example.org>", message="move")
    repo = GitRepository(builder.root)
    commits = list(repo.iter_history())
    assert [c.subject for c in commits] == ["move", "first"]
    assert commits[0].changes == (FileChange("R", "pkg/b.py", "pkg/a.py"),)
    assert commits[0].author_email == "bob@example.org"
    assert {ch.path for ch in commits[1].changes} == {"pkg/a.py", "we ird\tname.py", "ünï.py"}
    assert repo.list_files() == sorted(["pkg/b.py", "we ird\tname.py", "ünï.py"])
    assert repo.branch() == "main" and not repo.is_shallow()


def test_mailmap_is_applied(builder: RepoBuilder) -> None:
    builder.commit({".mailmap": "Alice Example <alice@example.com> <old@example.com>\n"})
    builder.commit({"a.py": "1\n"}, author="alice <old@example.com>")
    commits = list(GitRepository(builder.root).iter_history())
    assert {(c.author_name, c.author_email) for c in commits} == {("Alice Example", "alice@example.com")}


def test_merge_commits_are_kept_without_changes(builder: RepoBuilder) -> None:
    builder.commit({"a.py": "1\n"})
    git(builder.root, "checkout", "-q", "-b", "feature")
    builder.commit({"b.py": "2\n"})
    git(builder.root, "checkout", "-q", "main")
    builder.commit({"c.py": "3\n"})
    git(builder.root, "merge", "-q", "--no-ff", "-m", "merge", "feature",
        env={"GIT_AUTHOR_NAME": "M", "GIT_AUTHOR_EMAIL": "m@x",
             "GIT_COMMITTER_NAME": "M", "GIT_COMMITTER_EMAIL": "m@x"})
    merges = [c for c in GitRepository(builder.root).iter_history() if c.is_merge]
    assert len(merges) == 1 and merges[0].changes == ()


def test_tags_are_peeled_and_sorted(builder: RepoBuilder) -> None:
    first = builder.commit({"a.py": "1\n"})
    builder.tag("v0.1", "annotated")
    second = builder.commit({"a.py": "2\n"})
    builder.tag("v0.2")
    tags = GitRepository(builder.root).tags()
    assert [(t.name, t.sha) for t in tags] == [("v0.1", first), ("v0.2", second)]


def test_empty_repository_has_no_history(builder: RepoBuilder) -> None:
    repo = GitRepository(builder.root)
    assert repo.head() is None and list(repo.iter_history()) == [] and repo.tags() == []


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(NotARepositoryError, match="not a git repository"):
        GitRepository(tmp_path)
    with pytest.raises(NotARepositoryError, match="not a directory"):
        GitRepository(tmp_path / "missing")


def test_bare_repository_is_refused(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "--bare", "b.git")
    with pytest.raises(NotARepositoryError, match="bare repository"):
        GitRepository(tmp_path / "b.git")


def test_parser_handles_chunk_boundaries() -> None:
    record = "\x1eabc\x1f\x1fN\x1fe@x\x1f5\x1fsubj\0\nM\0f.py\0R090\0old.py\0new.py\0"
    stream = io.BytesIO((record * 3000).encode())
    commits = list(parse_log(stream))
    assert len(commits) == 3000
    assert commits[-1].changes == (FileChange("M", "f.py"), FileChange("R", "new.py", "old.py"))


def test_revision_reading_never_touches_the_work_tree(builder: RepoBuilder) -> None:
    base = builder.commit({"pkg/a.py": "x = 1\ny = 2\n", "we ird\nname.py": b"\x00\x01binary"})
    git(builder.root, "checkout", "-q", "-b", "feature")
    head = builder.commit({"pkg/a.py": "x = 1\ny = 3\nz = 4\n", "ünï.py": "u = 1\n"},
                          renames={"we ird\nname.py": "moved.py"})
    (builder.root / "pkg" / "a.py").write_text("local edit\n", encoding="utf-8")
    repo = GitRepository(builder.root)
    assert repo.resolve("main") == base and repo.resolve("HEAD") == head
    assert repo.merge_base("main", "feature") == base
    assert repo.files_at("main") == ["pkg/a.py", "we ird\nname.py"]
    blobs = repo.read_blobs("main", ["pkg/a.py", "we ird\nname.py", "missing.py"])
    assert blobs == {"pkg/a.py": b"x = 1\ny = 2\n", "we ird\nname.py": b"\x00\x01binary"}
    assert (builder.root / "pkg" / "a.py").read_text(encoding="utf-8") == "local edit\n"
    changes = {(c.status, c.path, c.old_path) for c in repo.diff_changes("main", "feature")}
    assert changes == {("M", "pkg/a.py", None), ("A", "ünï.py", None), ("R", "moved.py", "we ird\nname.py")}
    # a pure rename changes no line
    assert repo.changed_lines("main", "feature") == {"pkg/a.py": {2, 3}, "ünï.py": {1}}


def test_unknown_revisions_are_named(builder: RepoBuilder) -> None:
    builder.commit({"a.py": "1\n"})
    repo = GitRepository(builder.root)
    with pytest.raises(GitError, match="unknown revision 'nope'"):
        repo.resolve("nope")
    with pytest.raises(GitError, match="not a revision"):
        repo.resolve("--output=/tmp/x")


def test_c_quoted_paths_are_unquoted() -> None:
    assert unquote_c('"a\\tb\\303\\274.py"') == "a\tbü.py"
    assert unquote_c("plain.py") == "plain.py"
    diff = '+++ "b/sp ace\\n.py"\n@@ -0,0 +1,2 @@\n+a\n+b\n@@ -5 +7 @@\n'
    assert parse_unified_zero(diff) == {"sp ace\n.py": {1, 2, 7}}


def test_git_processes_get_the_memory_settings_after_the_callers(builder: RepoBuilder) -> None:
    builder.commit({"a.py": "1\n"})
    repo = GitRepository(builder.root)
    assert repo._run("config", "core.packedGitLimit").strip() == "64m"
    assert repo._run_bytes(["config", "core.deltaBaseCacheLimit"], b"").strip() == b"8m"
    env = git_environment({"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "user.name", "GIT_CONFIG_VALUE_0": "X"})
    assert env["GIT_CONFIG_COUNT"] == "4"
    assert (env["GIT_CONFIG_KEY_0"], env["GIT_CONFIG_VALUE_0"]) == ("user.name", "X")
    assert [env[f"GIT_CONFIG_KEY_{i}"] for i in (1, 2, 3)] == [
        "core.deltaBaseCacheLimit",
        "core.packedGitLimit",
        "core.packedGitWindowSize",
    ]
