"""The Action's plumbing: workflow commands, outputs, the summary limit, inputs, the event payload, annotations."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from oshealth.action import annotate
from oshealth.action.context import read_context
from oshealth.action.settings import Mode, read_inputs
from oshealth.action.workflow import SUMMARY_LIMIT, Workflow, command, cut_utf8, escape_data, escape_property
from oshealth.errors import UsageError
from tests.actionfake import pull_request_event, read_outputs

# --- workflow commands -------------------------------------------------------------------------------


def test_message_escapes_percent_cr_lf_like_actions_core() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"


def test_property_also_escapes_colon_and_comma() -> None:
    assert escape_property("C:\\a,b\n%") == "C%3A\\a%2Cb%0A%25"


def test_annotation_command_line() -> None:
    line = command("error", "no docstring:\nadd one", {"file": "pkg/a,b.py", "line": 3, "title": "rule: docs"})
    assert line == "::error file=pkg/a%2Cb.py,line=3,title=rule%3A docs::no docstring:%0Aadd one"


def test_none_properties_are_left_out_and_bare_command_has_no_space() -> None:
    assert command("notice", "hi", {"file": None, "title": None}) == "::notice::hi"
    assert command("warning", "x", {"line": None, "title": "t"}) == "::warning title=t::x"


def test_a_message_cannot_start_a_second_command() -> None:
    line = command("notice", "fine\n::error::injected")
    assert "\n" not in line
    assert line == "::notice::fine%0A::error::injected"


def test_stop_commands_wraps_with_a_random_token() -> None:
    stream = io.StringIO()
    workflow = Workflow(None, None, stream)
    with workflow.commands_stopped():
        workflow.log("::error::from the repository")
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("::stop-commands::")
    token = lines[0].removeprefix("::stop-commands::")
    assert len(token) == 32
    assert lines[1] == "::error::from the repository"
    assert lines[2] == f"::{token}::"


# --- outputs -----------------------------------------------------------------------------------------


def test_outputs_use_heredoc_delimiters_and_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("")
    workflow = Workflow(out, None, io.StringIO())
    workflow.set_output("score", "7.5")
    workflow.set_output("multi", "line one\nname<<EOF\nEOF\nline=four")
    workflow.set_output("empty", "")
    text = out.read_text()
    assert text.startswith("score<<ghadelimiter_")
    assert read_outputs(out) == {"score": "7.5", "multi": "line one\nname<<EOF\nEOF\nline=four", "empty": ""}


def test_outputs_outside_actions_go_nowhere() -> None:
    Workflow(None, None, io.StringIO()).set_output("score", "1")  # no file, no error


# --- summary -----------------------------------------------------------------------------------------


def test_summary_is_appended(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier\n")
    assert Workflow(None, summary).add_summary("## oshealth") is False
    assert summary.read_text() == "earlier\n## oshealth\n"


def test_summary_is_cut_under_one_mebibyte_on_a_line_boundary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("")
    line = "| row | é€😀 |\n"  # multi-byte characters: the limit counts bytes
    text = line * (SUMMARY_LIMIT // len(line.encode()) + 100)
    assert Workflow(None, summary).add_summary(text) is True
    data = summary.read_bytes()
    assert len(data) <= SUMMARY_LIMIT
    written = data.decode("utf-8")
    body, note = written.split("\n\n_The summary was cut", 1)
    assert body + "\n" == line * (body.count("\n") + 1)  # whole lines only
    assert len(data) > SUMMARY_LIMIT - len(line.encode()) - 5  # cut no more than needed
    assert "1 MiB" in note


def test_summary_cut_counts_what_the_file_already_holds(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("x" * (SUMMARY_LIMIT - 100))
    Workflow(None, summary).add_summary("y\n" * 1000)
    assert summary.stat().st_size <= SUMMARY_LIMIT


def test_cut_utf8_never_splits_a_character() -> None:
    assert cut_utf8("ab😀", 5, "") == "ab"
    assert cut_utf8("short", 100, "!") == "short"


# --- inputs ------------------------------------------------------------------------------------------


def test_inputs_defaults() -> None:
    inputs = read_inputs({})
    assert (inputs.mode, inputs.comment, inputs.fail_on_gate, inputs.max_annotations) == (Mode.AUTO, True, True, 10)
    assert inputs.fail_under is None and inputs.labels == () and inputs.sarif is None


def test_inputs_values() -> None:
    inputs = read_inputs({
        "INPUT_MODE": "audit", "INPUT_FAIL_UNDER": " 6.5 ", "INPUT_COMMENT": "FALSE", "INPUT_FAIL_ON_GATE": "False",
        "INPUT_LABELS": "skip-changelog, docs\nbreaking,docs", "INPUT_SARIF": "out/o.sarif",
        "INPUT_MAX_ANNOTATIONS": "3",
    })
    assert inputs.mode is Mode.AUDIT and inputs.fail_under == 6.5
    assert inputs.comment is False and inputs.fail_on_gate is False
    assert inputs.labels == ("skip-changelog", "docs", "breaking")
    assert inputs.sarif == Path("out/o.sarif") and inputs.max_annotations == 3


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("MODE", "deploy", "input mode: 'deploy' is not one of auto, pr, audit, release, comment"),
        ("COMMENT", "yes", "input comment: 'yes' is not a boolean (true or false)"),
        ("FAIL_UNDER", "eleven", "input fail-under: 'eleven' is not a number"),
        ("FAIL_UNDER", "11", "input fail-under: 11 is not between 0 and 10"),
        ("MAX_ANNOTATIONS", "-1", "input max-annotations: '-1' is not a whole number"),
    ],
)
def test_bad_inputs_are_usage_errors(name: str, value: str, message: str) -> None:
    with pytest.raises(UsageError) as info:
        read_inputs({f"INPUT_{name}": value})
    assert str(info.value) == message


# --- the event payload -------------------------------------------------------------------------------


def _context(tmp_path: Path, name: str, event: object) -> object:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))
    return read_context({"GITHUB_EVENT_NAME": name, "GITHUB_EVENT_PATH": str(path), "GITHUB_SHA": "f" * 40,
                         "GITHUB_REPOSITORY": "o/r", "GITHUB_RUN_ID": "12"})


def test_pull_request_ends_come_from_the_payload_not_github_sha(tmp_path: Path) -> None:
    event = pull_request_event(5, "a" * 40, "b" * 40, labels=("skip-changelog", "docs"))
    context = _context(tmp_path, "pull_request", event)
    pr = context.pull_request  # type: ignore[attr-defined]
    assert (pr.number, pr.base_sha, pr.head_sha) == (5, "a" * 40, "b" * 40)
    assert pr.labels == ("docs", "skip-changelog") and pr.from_fork is False
    assert context.run_url == "https://github.com/o/r/actions/runs/12"  # type: ignore[attr-defined]


def test_fork_pull_request_is_recognised(tmp_path: Path) -> None:
    context = _context(tmp_path, "pull_request_target", pull_request_event(5, "a" * 40, "b" * 40, fork=True))
    assert context.pull_request.from_fork is True  # type: ignore[attr-defined]


def test_push_event_has_no_pull_request(tmp_path: Path) -> None:
    assert _context(tmp_path, "push", {"after": "c" * 40}).pull_request is None  # type: ignore[attr-defined]


def test_pull_request_payload_without_commits_is_a_usage_error(tmp_path: Path) -> None:
    event = pull_request_event(5, "a" * 40, "b" * 40)
    del event["pull_request"]["head"]["sha"]
    with pytest.raises(UsageError, match=r"pull_request\.head\.sha"):
        _context(tmp_path, "pull_request", event)


def test_unreadable_payload_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "event.json"
    path.write_text("{not json")
    with pytest.raises(UsageError, match="cannot read the event payload"):
        read_context({"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": str(path)})


# --- annotations -------------------------------------------------------------------------------------


def _finding(path: str | None, line: int | None, severity: str, message: str) -> dict[str, object]:
    return {"path": path, "line": line, "severity": severity, "message": message, "rule": "r", "fingerprint": "f"}


def test_audit_findings_rank_errors_first_and_are_capped_per_level() -> None:
    report = {"checks": [
        {"id": "a", "status": "pass", "findings": [_finding("x.py", 1, "note", f"n{i}") for i in range(3)]},
        {"id": "b", "status": "fail", "findings": [_finding("y.py", i + 1, "warning", f"w{i}") for i in range(4)]
         + [_finding(None, None, "error", "e0"), _finding("z.py", 0, "error", "e1")]},
    ]}
    selection = annotate.select(annotate.from_report(report, prefix="sub/"), per_level=2)
    assert [(a.level, a.message, a.path, a.line) for a in selection.shown] == [
        ("error", "e0", None, None), ("error", "e1", "sub/z.py", None),
        ("warning", "w0", "sub/y.py", 1), ("warning", "w1", "sub/y.py", 2),
        ("notice", "n0", "sub/x.py", 1), ("notice", "n1", "sub/x.py", 1),
    ]
    assert selection.omitted() == {"warning": 2, "notice": 1}
    assert annotate.summary_note(selection).startswith(
        "_Line annotations: GitHub shows only a few per step, so 2 of 4 warnings, 2 of 3 notices are annotated")


def test_diff_findings_only_from_failing_or_warning_rules_and_warn_caps_the_level() -> None:
    report = {"kind": "diff", "rules": [
        {"id": "docstrings", "status": "fail", "findings": [_finding("a.py", 3, "error", "no docstring")]},
        {"id": "tests", "status": "warn", "findings": [_finding("a.py", 1, "error", "no test changed")]},
        {"id": "complexity", "status": "pass", "findings": [_finding("a.py", 9, "note", "delta +1")]},
        {"id": "changelog", "status": "skip", "findings": [_finding(None, None, "error", "skipped")]},
    ]}
    selection = annotate.select(annotate.from_report(report), per_level=10)
    assert [(a.level, a.title, a.message) for a in selection.shown] == [
        ("error", "oshealth docstrings", "no docstring"), ("warning", "oshealth tests", "no test changed")]
    assert annotate.summary_note(selection) == ""


def test_annotations_are_written_as_escaped_commands() -> None:
    stream = io.StringIO()
    selection = annotate.select([annotate.Annotation("error", "oshealth x", "50%\ndone", "a:b.py", 4)], 10)
    annotate.write(Workflow(None, None, stream), selection)
    assert stream.getvalue() == "::error file=a%3Ab.py,line=4,title=oshealth x::50%25%0Adone\n"
