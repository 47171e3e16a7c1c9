"""The Action on ``pull_request`` events: the real ``oshealth diff`` gate, its annotations and the sticky comment.

Each test builds a repository with a base branch and a pull request's
commits, writes the event payload GitHub would send, and runs the entry
point; comments go to the loopback stand-in for the REST API.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from oshealth.action.main import main
from tests.actionfake import (
    READ_TOKEN,
    WRITE_TOKEN,
    actions_environment,
    fake_github,
    pull_request_event,
    read_outputs,
)
from tests.gitrepo import RepoBuilder, git

MODULE = '"""Pkg."""\n\n\ndef old():\n    """Old."""\n'
CHANGELOG = "# Changelog\n\n## Unreleased\n\n## 1.0.0\n\n- first\n"
UNDOCUMENTED = MODULE + "\n\ndef new(x):\n    return x\n"
DOCUMENTED = MODULE + '\n\ndef new(x):\n    """Return x."""\n    return x\n'
ENTRY = CHANGELOG.replace("## Unreleased\n", "## Unreleased\n\n- add new()\n")


def _pull_request(builder: RepoBuilder) -> tuple[str, str]:
    """A base commit on main and a topic branch adding an undocumented public function."""
    base = builder.commit({"pkg/__init__.py": MODULE, "CHANGELOG.md": CHANGELOG}, message="base")
    git(builder.root, "checkout", "-q", "-b", "topic")
    head = builder.commit({"pkg/__init__.py": UNDOCUMENTED}, message="add new")
    return base, head


def _run(
    tmp_path: Path, cwd: Path, event: dict[str, object], api: str, **inputs: str
) -> tuple[int, str, dict[str, str]]:
    env = actions_environment(tmp_path, "pull_request", event, **inputs)
    env["GITHUB_API_URL"] = api
    env["GITHUB_WORKSPACE"] = str(cwd)
    stream = io.StringIO()
    code = main(env, stream=stream, cwd=cwd)
    return code, stream.getvalue(), env


def _errors(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("::error")]


def test_pull_request_gate_comments_then_updates_after_the_fix(builder: RepoBuilder, tmp_path: Path) -> None:
    base, head = _pull_request(builder)
    with fake_github() as github:
        code, log, env = _run(tmp_path / "one", builder.root, pull_request_event(8, base, head), github.base_url,
                              TOKEN=WRITE_TOKEN)
        outputs = read_outputs(Path(env["GITHUB_OUTPUT"]))
        report_dir = Path(env["RUNNER_TEMP"]) / "oshealth"
        first = json.loads((report_dir / "diff.json").read_text())
        summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
        markdown = (report_dir / "diff.md").read_text()
        fixed = builder.commit({"pkg/__init__.py": DOCUMENTED, "CHANGELOG.md": ENTRY}, message="document new")
        again, log2, env2 = _run(tmp_path / "two", builder.root, pull_request_event(8, base, fixed), github.base_url,
                                 TOKEN=WRITE_TOKEN)
        outputs2 = read_outputs(Path(env2["GITHUB_OUTPUT"]))
    # the payload's commits, not GITHUB_SHA (the merge commit)
    assert (first["base"], first["head"], first["merge_base"]) == (base, head, base)
    assert code == 1 and first["passed"] is False
    assert "::error file=pkg/__init__.py,line=8,title=oshealth docstrings::added public function `pkg.new` has " \
           "no docstring" in _errors(log)
    changelog = "::error file=pkg/__init__.py,line=8,title=oshealth changelog::"
    assert any(line.startswith(changelog) for line in _errors(log))
    assert outputs["passed"] == "false" and outputs["mode"] == "pr"
    assert first["scores"]["head"] is None and outputs["score"] == ""  # rule 6 (scores) is off by default
    assert outputs["comment-url"].endswith("/pull/8#issuecomment-1001")
    assert summary.startswith(markdown.rstrip("\n"))
    assert json.loads((report_dir / "oshealth-pr.json").read_text()) == {
        "format": 1, "number": 8, "base": base, "head": head}
    # the fix: the same comment, updated in place
    assert again == 0 and _errors(log2) == [] and outputs2["passed"] == "true"
    assert [(r["method"], r["path"].rsplit("/", 2)[-2:]) for r in github.writes()] == [
        ("POST", ["8", "comments"]), ("PATCH", ["comments", "1001"])]
    assert len(github.comments[8]) == 1
    body = github.comments[8][0]["body"]
    assert body.startswith("<!-- oshealth-diff -->\n") and body.count("<!-- oshealth-diff -->") == 1
    assert body.endswith((Path(env2["RUNNER_TEMP"]) / "oshealth" / "diff.md").read_text())
    assert "## oshealth diff: ✅ passed" in body
    assert outputs2["comment-url"] == outputs["comment-url"]


def test_fork_pull_request_with_a_read_only_token_gives_a_notice(builder: RepoBuilder, tmp_path: Path) -> None:
    base, head = _pull_request(builder)
    with fake_github() as github:
        code, log, env = _run(tmp_path, builder.root, pull_request_event(9, base, head, fork=True), github.base_url,
                              TOKEN=READ_TOKEN)
    notices = [line for line in log.splitlines() if line.startswith("::notice")]
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert code == 1  # the gate's verdict stands; the comment's failure does not change it
    assert github.comments == {} and [r["method"] for r in github.requests] == ["GET", "POST"]
    assert len(notices) == 1 and notices[0].startswith(
        "::notice title=oshealth::the token cannot comment on pull request 9 "
        "(POST /repos/octo/widgets/issues/9/comments: HTTP 403")
    assert "workflow_run pattern" in notices[0]
    markdown = (Path(env["RUNNER_TEMP"]) / "oshealth" / "diff.md").read_text()
    assert summary.startswith(markdown.rstrip("\n")) and "## oshealth diff: ❌ failed" in summary
    assert summary.endswith("\n\n_No pull-request comment: the token is read-only (a pull request from a fork?)._\n")
    assert read_outputs(Path(env["GITHUB_OUTPUT"]))["comment-url"] == ""


def test_skip_label_from_the_payload_reaches_the_gate(builder: RepoBuilder, tmp_path: Path) -> None:
    base = builder.commit({"pkg/__init__.py": MODULE, "CHANGELOG.md": CHANGELOG}, message="base")
    git(builder.root, "checkout", "-q", "-b", "topic")
    head = builder.commit({"pkg/__init__.py": DOCUMENTED}, message="documented, no changelog entry")
    event = pull_request_event(3, base, head, labels=("skip-changelog",))
    with fake_github() as github:
        code, log, env = _run(tmp_path, builder.root, event, github.base_url, COMMENT="false")
        without, _, env2 = _run(tmp_path / "again", builder.root, pull_request_event(3, base, head), github.base_url,
                                COMMENT="false")
    rules = {r["id"]: r["status"] for r in json.loads((Path(env["RUNNER_TEMP"]) / "oshealth" / "diff.json")
                                                       .read_text())["rules"]}
    rules2 = {r["id"]: r["status"] for r in json.loads((Path(env2["RUNNER_TEMP"]) / "oshealth" / "diff.json")
                                                        .read_text())["rules"]}
    assert (code, rules["changelog"]) == (0, "skip")
    assert (without, rules2["changelog"]) == (1, "fail")
    assert github.requests == []  # comment: false


def test_no_token_means_no_comment_and_a_notice(builder: RepoBuilder, tmp_path: Path) -> None:
    base, head = _pull_request(builder)
    with fake_github() as github:
        code, log, _ = _run(tmp_path, builder.root, pull_request_event(8, base, head), github.base_url,
                            FAIL_ON_GATE="false")
    assert code == 0 and github.requests == []
    assert "::notice title=oshealth::no token was given, so the pull request gets no comment" in log


def test_base_and_head_inputs_serve_other_events(builder: RepoBuilder, tmp_path: Path) -> None:
    base, head = _pull_request(builder)
    env = actions_environment(tmp_path, "workflow_dispatch", {}, MODE="pr", BASE="main", HEAD="topic")
    stream = io.StringIO()
    code = main(env, stream=stream, cwd=builder.root)
    report = json.loads((Path(env["RUNNER_TEMP"]) / "oshealth" / "diff.json").read_text())
    assert code == 1 and (report["base"], report["head"]) == (base, head)
    assert not (Path(env["RUNNER_TEMP"]) / "oshealth" / "oshealth-pr.json").exists()  # no pull request to record
