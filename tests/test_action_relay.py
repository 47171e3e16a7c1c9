"""``comment`` mode: a trusted ``workflow_run`` posts the report an untrusted pull-request run left behind."""

from __future__ import annotations

import io
import json
from pathlib import Path

from oshealth.action.main import main
from tests.actionfake import READ_TOKEN, WRITE_TOKEN, actions_environment, fake_github, read_outputs

HEAD = "b" * 40
REPORT = "## oshealth diff: ❌ failed\n\n- `pkg/a.py:3` public function `pkg.a.f` has no docstring\n"


def _artifact(folder: Path, number: object = 5, head: str = HEAD) -> Path:
    folder.mkdir(parents=True)
    (folder / "oshealth-pr.json").write_text(json.dumps({"format": 1, "number": number, "base": "a" * 40,
                                                         "head": head}))
    (folder / "diff.md").write_text(REPORT)
    return folder


def _event(head: str = HEAD) -> dict[str, object]:
    return {"action": "completed",
            "workflow_run": {"head_sha": head, "event": "pull_request", "conclusion": "failure"}}


def _relay(tmp_path: Path, base_url: str, token: str, event: dict[str, object]) -> tuple[int, str, dict[str, str]]:
    env = actions_environment(tmp_path, "workflow_run", event, MODE="comment", TOKEN=token,
                              REPORT_DIR=str(tmp_path / "artifact"))
    env["GITHUB_API_URL"] = base_url
    stream = io.StringIO()
    code = main(env, stream=stream, cwd=tmp_path)
    return code, stream.getvalue(), env


def test_relay_posts_then_updates_the_sticky_comment(tmp_path: Path) -> None:
    _artifact(tmp_path / "artifact")
    with fake_github() as github:
        github.pulls[5] = HEAD
        code, log, env = _relay(tmp_path, github.base_url, WRITE_TOKEN, _event())
        again, _, _ = _relay(tmp_path, github.base_url, WRITE_TOKEN, _event())
    assert (code, again) == (0, 0)
    assert [c["body"] for c in github.comments[5]] == ["<!-- oshealth-diff -->\n" + REPORT]
    assert [r["method"] for r in github.writes()] == ["POST", "PATCH"]
    assert read_outputs(Path(env["GITHUB_OUTPUT"]))["comment-url"].endswith("/pull/5#issuecomment-1001")
    assert Path(env["GITHUB_STEP_SUMMARY"]).read_text().startswith(REPORT.rstrip("\n"))
    assert "oshealth: created the pull-request comment" in log


def test_relay_refuses_a_report_of_another_commit_than_the_run(tmp_path: Path) -> None:
    _artifact(tmp_path / "artifact", head="c" * 40)
    with fake_github() as github:
        github.pulls[5] = "c" * 40
        code, log, _ = _relay(tmp_path, github.base_url, WRITE_TOKEN, _event())
    assert code == 0 and github.requests == []
    assert f"::warning title=oshealth::the report is of commit {'c' * 12}, not of the workflow run's head " \
           f"{'b' * 12}: no comment" in log.splitlines()


def test_relay_refuses_a_record_naming_a_pull_request_at_another_commit(tmp_path: Path) -> None:
    _artifact(tmp_path / "artifact", number=6)  # a crafted record aiming at someone else's pull request
    with fake_github() as github:
        github.pulls[6] = "d" * 40
        code, log, _ = _relay(tmp_path, github.base_url, WRITE_TOKEN, _event())
    assert code == 0 and github.writes() == []
    assert (f"::notice title=oshealth::pull request 6 has moved on to {'d' * 12}; the report is of {'b' * 12}, "
            "so it is not posted") in log.splitlines()


def test_relay_with_a_read_only_token_gives_a_notice(tmp_path: Path) -> None:
    _artifact(tmp_path / "artifact")
    with fake_github() as github:
        github.pulls[5] = HEAD
        code, log, env = _relay(tmp_path, github.base_url, READ_TOKEN, _event())
    notices = [line for line in log.splitlines() if line.startswith("::notice")]
    assert code == 0 and github.comments == {}
    assert notices[0].startswith("::notice title=oshealth::the token cannot comment on pull request 5 (POST ")
    assert "HTTP 403 (Resource not accessible by integration)" in notices[0]
    assert "_No pull-request comment: the token is read-only" in Path(env["GITHUB_STEP_SUMMARY"]).read_text()


def test_relay_without_a_record_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "artifact").mkdir()
    with fake_github() as github:
        code, log, _ = _relay(tmp_path, github.base_url, WRITE_TOKEN, _event())
    assert code == 2 and "mode comment: cannot read" in log


def test_relay_rejects_a_record_without_a_number(tmp_path: Path) -> None:
    _artifact(tmp_path / "artifact", number="5; rm -rf /")
    with fake_github() as github:
        code, log, _ = _relay(tmp_path, github.base_url, WRITE_TOKEN, _event())
    assert code == 2 and "has no pull request number" in log and github.requests == []
