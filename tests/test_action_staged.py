"""The pre-commit hook: the pull-request gate on the staged change, and the hook manifest."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from oshealth.action.staged import main
from oshealth.errors import GitError
from oshealth.git import GitRepository
from tests.gitrepo import RepoBuilder, git

ROOT = Path(__file__).resolve().parent.parent
MODULE = '"""Pkg."""\n\n\ndef old():\n    """Old."""\n'
CHANGELOG = "# Changelog\n\n## Unreleased\n\n## 1.0.0\n\n- first\n"


def _base(builder: RepoBuilder) -> RepoBuilder:
    builder.commit({"pkg/__init__.py": MODULE, "CHANGELOG.md": CHANGELOG}, message="base")
    return builder


def _stage(builder: RepoBuilder, files: dict[str, str]) -> None:
    for path, text in files.items():
        (builder.root / path).write_text(text)
        git(builder.root, "add", path)


def _state(root: Path) -> tuple[str, str, str]:
    return git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain"), git(root, "for-each-ref")


def test_undocumented_staged_function_fails_with_its_file_and_line(
    builder: RepoBuilder, capfd: pytest.CaptureFixture[str]
) -> None:
    _base(builder)
    _stage(builder, {"pkg/__init__.py": MODULE + "\n\ndef new(x):\n    return x\n"})
    before = _state(builder.root)
    code = main([], cwd=builder.root)
    out = capfd.readouterr().out
    assert code == 1
    assert "pkg/__init__.py:8  added public function `pkg.new` has no docstring" in out
    assert "public API change with no changelog entry: `pkg.new` added" in out
    assert _state(builder.root) == before  # no commit, no ref, the index as it was


def test_documented_staged_function_with_changelog_entry_passes(
    builder: RepoBuilder, capfd: pytest.CaptureFixture[str]
) -> None:
    _base(builder)
    _stage(builder, {
        "pkg/__init__.py": MODULE + '\n\ndef new(x):\n    """Return x."""\n    return x\n',
        "CHANGELOG.md": CHANGELOG.replace("## Unreleased\n", "## Unreleased\n\n- add new()\n"),
    })
    (builder.root / "pkg" / "__init__.py").write_text(MODULE + "\n\ndef unstaged():\n    return 1\n")
    code = main([], cwd=builder.root)
    out = capfd.readouterr().out
    assert code == 0, out
    assert "PASSED" in out and "unstaged" not in out  # only what git commit would record counts


def test_skip_label_is_passed_on(builder: RepoBuilder, capfd: pytest.CaptureFixture[str]) -> None:
    _base(builder)
    _stage(builder, {"pkg/__init__.py": MODULE + '\n\ndef new(x):\n    """Return x."""\n    return x\n'})
    assert main(["--label", "skip-changelog"], cwd=builder.root) == 0
    assert main([], cwd=builder.root) == 1
    assert "no changelog entry" in capfd.readouterr().out


def test_nothing_staged_passes_without_running_the_gate(
    builder: RepoBuilder, capfd: pytest.CaptureFixture[str]
) -> None:
    _base(builder)
    (builder.root / "pkg" / "__init__.py").write_text(MODULE + "\n\ndef unstaged():\n    return 1\n")
    assert main([], cwd=builder.root) == 0
    assert capfd.readouterr().out == "oshealth: nothing staged, nothing to gate\n"


def test_no_commit_yet_and_conflicts_are_usage_errors(
    builder: RepoBuilder, capfd: pytest.CaptureFixture[str]
) -> None:
    (builder.root / "a.py").write_text("x = 1\n")
    git(builder.root, "add", "a.py")
    assert main([], cwd=builder.root) == 2
    assert capfd.readouterr().err == (
        "oshealth: error: no commit yet: there is nothing to compare the staged change with\n")


def test_commit_staged_refuses_an_index_with_conflicts(builder: RepoBuilder) -> None:
    builder.commit({"a.txt": "one\n"})
    git(builder.root, "checkout", "-q", "-b", "side")
    builder.commit({"a.txt": "two\n"})
    git(builder.root, "checkout", "-q", "main")
    builder.commit({"a.txt": "three\n"})
    who = {"GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.com"}
    with pytest.raises(subprocess.CalledProcessError) as merge:
        git(builder.root, "merge", "-q", "side", env={**who, "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@x.org"})
    assert b"CONFLICT" in merge.value.stdout
    with pytest.raises(GitError, match="git write-tree failed"):
        GitRepository(builder.root).commit_staged()


def test_commit_staged_makes_a_dangling_commit_on_head(builder: RepoBuilder) -> None:
    _base(builder)
    _stage(builder, {"new.txt": "hello\n"})
    repo = GitRepository(builder.root)
    sha = repo.commit_staged()
    assert sha is not None
    assert git(builder.root, "rev-parse", f"{sha}^").strip() == builder.commits[-1]
    assert git(builder.root, "show", f"{sha}:new.txt") == "hello\n"
    assert git(builder.root, "for-each-ref", "--contains", sha) == ""  # no ref points at it


# --- the manifest ------------------------------------------------------------------------------------

VALID_STAGES = {"commit-msg", "post-checkout", "post-commit", "post-merge", "post-rewrite", "pre-commit",
                "pre-merge-commit", "pre-push", "pre-rebase", "prepare-commit-msg", "manual"}


def test_pre_commit_manifest_hooks() -> None:
    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [hook["id"] for hook in hooks] == ["oshealth-staged", "oshealth-diff"]
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= hook.keys()
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        assert set(hook["stages"]) <= VALID_STAGES
    assert hooks[0]["entry"] == "python -m oshealth.action.staged" and hooks[0]["stages"] == ["pre-commit"]
    assert hooks[1]["entry"] == "python -m oshealth diff --no-progress"
