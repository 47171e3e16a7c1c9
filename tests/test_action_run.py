"""The Action's entry point in a simulated GitHub Actions environment, on real repositories.

Each test builds a repository, writes an event payload and the runner's
variables (``GITHUB_*``, ``INPUT_*``, temporary summary and output files),
and runs ``oshealth.action.main``; the gate is the real ``oshealth`` command,
run as a subprocess. Pull-request comments go to a loopback stand-in for the
REST API (:mod:`tests.actionfake`).
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from oshealth import config
from oshealth.action.main import main
from tests.actionfake import actions_environment, pull_request_event, read_outputs
from tests.gitrepo import RepoBuilder, git

UNDOCUMENTED = "def area(width, height):\n    if width < 0:\n        return 0\n    return width * height\n"
DOCUMENTED = (
    '"""Shapes."""\n\n\ndef perimeter(width, height):\n    """Twice the sum of the sides."""\n'
    "    return 2 * (width + height)\n"
)


def _project(builder: RepoBuilder) -> RepoBuilder:
    builder.commit({"README.md": "# Shapes\n", "shapes/__init__.py": DOCUMENTED}, message="start")
    builder.commit({"shapes/area.py": UNDOCUMENTED}, message="area")
    return builder


def _run(env: dict[str, str], cwd: Path, **kwargs: object) -> tuple[int, str]:
    stream = io.StringIO()
    code = main(env, stream=stream, cwd=cwd, **kwargs)  # type: ignore[arg-type]
    return code, stream.getvalue()


def _runner(env: dict[str, str]) -> tuple[dict[str, str], str]:
    return read_outputs(Path(env["GITHUB_OUTPUT"])), Path(env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")


def _commands(log: str, name: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith(f"::{name} ") or line.startswith(f"::{name}::")]


def test_audit_on_a_push_writes_summary_outputs_annotations(builder: RepoBuilder, tmp_path: Path) -> None:
    _project(builder)
    env = actions_environment(tmp_path, "push", {"after": builder.commits[-1]}, MODE="auto")
    env["GITHUB_WORKSPACE"] = str(builder.root)
    code, log = _run(env, builder.root)
    outputs, summary = _runner(env)
    report_dir = Path(env["RUNNER_TEMP"]) / "oshealth"
    report = json.loads((report_dir / "report.json").read_text())
    assert code == 0
    assert outputs["mode"] == "audit" and outputs["passed"] == "true" and outputs["exit-code"] == "0"
    assert outputs["score"] == f"{report['score']:g}"
    assert outputs["json-report"] == str(report_dir / "report.json")
    assert outputs["sarif-file"] == str(report_dir / "report.sarif") and outputs["comment-url"] == ""
    assert summary.startswith((report_dir / "report.md").read_text().rstrip("\n"))
    assert summary.startswith("## oshealth: ")
    # the terminal report sits between stop-commands markers, the annotations after them
    token = re.search(r"^::stop-commands::(\w+)$", log, re.MULTILINE)
    assert token is not None
    inside = log[token.end() : log.index(f"::{token.group(1)}::")]
    assert "Overall: " in inside
    assert ("::warning file=shapes/area.py,line=1,title=oshealth docstring-coverage::"
            "public function `shapes.area.area` has no docstring") in _commands(log, "warning")
    findings = [f for check in report["checks"] for f in check["findings"]]
    assert len(_commands(log, "error")) == min(10, sum(f["severity"] == "error" for f in findings))
    assert len(_commands(log, "warning")) == min(10, sum(f["severity"] == "warning" for f in findings))


def test_fail_under_fails_the_step_unless_told_not_to(builder: RepoBuilder, tmp_path: Path) -> None:
    _project(builder)
    env = actions_environment(tmp_path, "push", {}, MODE="audit", FAIL_UNDER="9.5")
    code, _ = _run(env, builder.root)
    outputs, summary = _runner(env)
    assert (code, outputs["passed"], outputs["exit-code"]) == (1, "false", "1")
    assert "gate `--fail-under 9.5`: ❌ failed" in summary
    env = actions_environment(tmp_path / "again", "push", {}, MODE="audit", FAIL_UNDER="9.5", FAIL_ON_GATE="false")
    code, _ = _run(env, builder.root)
    assert (code, _runner(env)[0]["passed"]) == (0, "false")


def test_annotations_are_capped_and_the_summary_says_how_many(builder: RepoBuilder, tmp_path: Path) -> None:
    _project(builder)
    env = actions_environment(tmp_path, "push", {}, MODE="audit", MAX_ANNOTATIONS="1")
    code, log = _run(env, builder.root)
    _, summary = _runner(env)
    report = json.loads((Path(env["RUNNER_TEMP"]) / "oshealth" / "report.json").read_text())
    counts = {level: sum(f["severity"] == level for c in report["checks"] for f in c["findings"])
              for level in ("error", "warning", "note")}
    assert code == 0 and counts["warning"] > 1 and counts["note"] > 1
    assert [len(_commands(log, name)) for name in ("error", "warning", "notice")] == [
        min(1, counts["error"]), 1, 1]
    assert (f"1 of {counts['warning']} warnings, 1 of {counts['note']} notices are annotated") in summary


def test_sarif_copy_and_a_checkout_in_a_subfolder(builder: RepoBuilder, tmp_path: Path) -> None:
    _project(builder)
    env = actions_environment(tmp_path, "push", {}, MODE="audit", SARIF="out/oshealth.sarif")
    env["GITHUB_WORKSPACE"] = str(builder.root.parent)  # actions/checkout with path: repo
    code, log = _run(env, builder.root)
    outputs, _ = _runner(env)
    copied = builder.root / "out" / "oshealth.sarif"
    assert code == 0 and outputs["sarif-file"] == str(copied)
    assert copied.read_text() == (Path(env["RUNNER_TEMP"]) / "oshealth" / "report.sarif").read_text()
    assert json.loads(copied.read_text())["version"] == "2.1.0"
    assert any(line.startswith("::warning file=repo/shapes/area.py,line=1,") for line in log.splitlines())


def test_config_input_replaces_the_repository_config(builder: RepoBuilder, tmp_path: Path) -> None:
    _project(builder)
    (tmp_path / "only.toml").write_text('select = ["complexity"]\nfail-under = 9\n')
    env = actions_environment(tmp_path, "push", {}, MODE="audit", CONFIG=str(tmp_path / "only.toml"))
    code, _ = _run(env, builder.root)
    report = json.loads((Path(env["RUNNER_TEMP"]) / "oshealth" / "report.json").read_text())
    assert [check["id"] for check in report["checks"]] == ["complexity"]
    assert report["fail_under"] == 9 and code == (0 if report["passed"] else 1)


def test_missing_config_file_is_an_input_error(builder: RepoBuilder, tmp_path: Path) -> None:
    _project(builder)
    env = actions_environment(tmp_path, "push", {}, MODE="audit", CONFIG="nowhere.toml")
    code, log = _run(env, builder.root)
    assert code == 2
    assert _commands(log, "error") == ["::error title=oshealth::input config: nowhere.toml is not a file"]
    assert "input config: nowhere.toml is not a file" in _runner(env)[1]


def test_oshealth_config_variable_reads_a_pyproject_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.oshealth]\nignore = ["activity"]\n')
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / ".oshealth.toml").write_text('ignore = ["tests"]\n')
    monkeypatch.setenv("OSHEALTH_CONFIG", str(tmp_path / "pyproject.toml"))
    loaded = config.load(tmp_path / "repo")
    assert loaded.ignore == ("activity",) and loaded.source == f"{tmp_path / 'pyproject.toml'} [tool.oshealth]"
    monkeypatch.setenv("OSHEALTH_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(config.ConfigError, match="OSHEALTH_CONFIG=.*missing.toml: not a file"):
        config.load(tmp_path / "repo")


def _shallow_clone(builder: RepoBuilder, target: Path) -> Path:
    git(builder.root.parent, "clone", "-q", "--depth", "1", f"file://{builder.root}", str(target))
    return target


def test_shallow_clone_pull_request_names_the_fetch_depth(builder: RepoBuilder, tmp_path: Path) -> None:
    _project(builder)
    base, head = builder.commits
    clone = _shallow_clone(builder, tmp_path / "shallow")
    env = actions_environment(tmp_path, "pull_request", pull_request_event(4, base, head), MODE="pr")
    code, log = _run(env, clone)
    outputs, summary = _runner(env)
    message = (f"the base commit {base[:12]} is not in this shallow clone: set `fetch-depth: 0` on actions/checkout "
               "(or a depth that reaches the merge base of the pull request and its base branch)")
    assert code == 2
    assert _commands(log, "error") == ["::error title=oshealth::" + message]
    assert summary == f"## oshealth\n\n❌ {message}\n"  # `fetch-depth: 0` shown as code
    assert outputs == {"passed": "false", "exit-code": "2"}
    assert not (Path(env["RUNNER_TEMP"]) / "oshealth").exists()  # the gate never ran


def test_unrelated_histories_have_no_merge_base(builder: RepoBuilder, tmp_path: Path) -> None:
    _project(builder)
    git(builder.root, "checkout", "-q", "--orphan", "other")
    builder.commit({"other.txt": "x\n"}, message="orphan")
    env = actions_environment(tmp_path, "pull_request", pull_request_event(4, builder.commits[1], builder.commits[2]))
    code, log = _run(env, builder.root)
    assert code == 2
    assert "no merge base of" in log and "(the histories are unrelated)" in log


def test_shallow_clone_audit_warns_and_goes_on(builder: RepoBuilder, tmp_path: Path) -> None:
    _project(builder)
    clone = _shallow_clone(builder, tmp_path / "shallow")
    env = actions_environment(tmp_path, "push", {}, MODE="audit")
    code, log = _run(env, clone)
    outputs, summary = _runner(env)
    assert code == 0 and outputs["passed"] == "true"
    warning = _commands(log, "warning")[0]
    assert warning.startswith("::warning title=oshealth::this clone is shallow, so the history checks")
    assert "set `fetch-depth: 0` on actions/checkout for a full audit" in warning
    assert "⚠️ this clone is shallow" in summary


def test_pr_mode_needs_a_pull_request_or_both_ends(builder: RepoBuilder, tmp_path: Path) -> None:
    _project(builder)
    env = actions_environment(tmp_path, "push", {}, MODE="pr")
    code, log = _run(env, builder.root)
    assert code == 2
    assert _commands(log, "error") == [
        "::error title=oshealth::mode pr needs a pull_request event (this is push) or the base and head inputs"]


def test_bad_input_is_reported_as_an_error(builder: RepoBuilder, tmp_path: Path) -> None:
    _project(builder)
    env = actions_environment(tmp_path, "push", {}, MODE="deploy")
    code, log = _run(env, builder.root)
    assert code == 2 and _commands(log, "error")[0].startswith("::error title=oshealth::input mode: 'deploy'")


def test_a_gate_that_cannot_run_gives_its_exit_code_and_last_error_line(builder: RepoBuilder, tmp_path: Path) -> None:
    _project(builder)
    env = actions_environment(tmp_path, "push", {}, MODE="audit")
    broken = [sys.executable, "-c", "import sys; sys.stderr.write('oshealth: error: bad config\\n'); sys.exit(2)"]
    code, log = _run(env, builder.root, command=broken)
    outputs, summary = _runner(env)
    assert code == 2
    assert _commands(log, "error") == ["::error title=oshealth::oshealth (audit) could not run: bad config (exit 2)"]
    assert outputs == {"passed": "false", "exit-code": "2"}
    assert "could not run: bad config" in summary


def test_a_gate_that_writes_no_report_is_an_internal_error(builder: RepoBuilder, tmp_path: Path) -> None:
    _project(builder)
    env = actions_environment(tmp_path, "push", {}, MODE="audit")
    code, log = _run(env, builder.root, command=[sys.executable, "-c", "pass"])
    assert code == 3
    assert "could not run: no report was written (exit 0)" in log


def test_release_mode_annotates_what_is_missing(builder: RepoBuilder, tmp_path: Path) -> None:
    builder.commit({"pkg/__init__.py": '"""Pkg."""\n\n\ndef old():\n    """Old."""\n',
                    "CHANGELOG.md": "# Changelog\n\n## 1.0.0\n\n- first\n"}, message="one")
    builder.tag("v1.0.0")
    builder.commit({"pkg/__init__.py": '"""Pkg."""\n\n\ndef old():\n    """Old."""\n\n\ndef new(x):\n    return x\n'},
                   message="new")
    env = actions_environment(tmp_path, "push", {}, MODE="release", VERSION="1.1.0")
    code, log = _run(env, builder.root)
    outputs, summary = _runner(env)
    report = json.loads((Path(env["RUNNER_TEMP"]) / "oshealth" / "release.json").read_text())
    assert (code, report["ready"], outputs["passed"], outputs["score"], outputs["sarif-file"]) == (
        1, False, "false", "", "")
    assert summary.startswith("## oshealth release-check: ❌ NOT ready to release 1.1.0")
    errors = _commands(log, "error")
    assert ("::error file=pkg/__init__.py,line=8,title=oshealth docstrings::"
            "function `pkg.new` added since v1.0.0 has no docstring") in errors
    assert "::error file=CHANGELOG.md,title=oshealth changelog::CHANGELOG.md has no section for 1.1.0" in errors
    failing = [f for item in report["items"] if item["status"] in ("fail", "warn") for f in item["findings"]]
    assert len(errors) + len(_commands(log, "warning")) == len(failing)


def test_release_mode_on_a_shallow_clone_names_the_fetch_depth(builder: RepoBuilder, tmp_path: Path) -> None:
    _project(builder)
    clone = _shallow_clone(builder, tmp_path / "shallow")
    env = actions_environment(tmp_path, "push", {}, MODE="release")
    code, log = _run(env, clone)
    assert code == 2
    assert _commands(log, "error") == [
        "::error title=oshealth::the release gate reads the history since the last release tag, but this clone is "
        "shallow: set `fetch-depth: 0` on actions/checkout (it fetches every commit and tag)"]
