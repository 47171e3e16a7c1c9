"""SARIF: valid against the official 2.1.0 schema and shaped the way GitHub code scanning takes it."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest

from oshealth import registry
from oshealth.cli import run
from oshealth.models import Finding, Severity, Status
from oshealth.render import sarif, sarifresults
from oshealth.render.sarif import FINGERPRINT_KEY, MAX_DESCRIPTION, artifact_uri, help_markdown, render
from tests.gitrepo import RepoBuilder
from tests.golden import SAMPLES, sample_run
from tests.reportutil import report, view

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "shared" / "data" / "sarif-schema-2.1.0.json"
# RFC 3986 relative reference made of unreserved characters, "/" and percent-escapes only
URI = re.compile(r"(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})+")
ODD_PATHS = ["odd dir/ex#port?.py", "100%.py", "new\nline.py", "é/ü.py", "a:b.py", "[x] (1).py"]
UNDOCUMENTED = "def f():\n    pass\n"


def validate(log: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def check_github_rules(log: dict[str, Any]) -> None:
    """What GitHub's upload needs beyond the schema (docs: "SARIF support for code scanning")."""
    (sarif_run,) = log["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    for rule in rules:
        assert rule["shortDescription"]["text"] and len(rule["shortDescription"]["text"]) <= MAX_DESCRIPTION
        assert rule["fullDescription"]["text"] and len(rule["fullDescription"]["text"]) <= MAX_DESCRIPTION
        assert rule["help"]["text"] and rule["help"]["markdown"]
    fingerprints = [result["partialFingerprints"][FINGERPRINT_KEY] for result in sarif_run["results"]]
    assert len(set(fingerprints)) == len(fingerprints)
    for result in sarif_run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        (location,) = result["locations"]
        assert URI.fullmatch(location["physicalLocation"]["artifactLocation"]["uri"])


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_sarif_is_valid_and_matches_the_json(name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    sample = sample_run(name, tmp_path_factory)
    log = json.loads(sample.outputs["sarif"])
    validate(log)
    check_github_rules(log)
    data = json.loads(sample.outputs["json"])
    expected = [(c["id"], f["severity"], f["path"], f["line"], f["message"]) for c in data["checks"]
                for f in c["findings"]]
    got = []
    for result in log["runs"][0]["results"]:
        physical = result["locations"][0]["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        got.append((result["ruleId"], result["level"], None if uri == "." else unquote(uri),
                    physical.get("region", {}).get("startLine"), result["message"]["text"]))
    assert got == expected
    assert log["runs"][0]["properties"]["score"] == data["score"]


def test_sample_counts(tmp_path_factory: pytest.TempPathFactory) -> None:
    log = json.loads(sample_run("undocumented_script", tmp_path_factory).outputs["sarif"])
    (sarif_run,) = log["runs"]
    assert sarif_run["tool"]["driver"]["name"] == "oshealth"
    assert [r["name"] for r in sarif_run["tool"]["driver"]["rules"]] == [
        "Activity", "Complexity", "ContributorSpread", "DocstringCoverage", "DocstringStyle", "ProjectDocs",
        "ReleaseDocumentation", "Tests"]
    levels = [r["level"] for r in sarif_run["results"]]
    assert (len(levels), levels.count("error"), levels.count("warning"), levels.count("note")) == (42, 2, 37, 3)
    assert sarif_run["invocations"] == [{"executionSuccessful": True, "endTimeUtc": "2024-12-31T00:00:00Z"}]
    assert sarif_run["automationDetails"]["id"].startswith("oshealth/")
    assert sarif_run["originalUriBaseIds"]["%SRCROOT%"]["description"]["text"]


def test_rule_help_is_the_check_documentation(tmp_path_factory: pytest.TempPathFactory) -> None:
    log = json.loads(sample_run("well_kept", tmp_path_factory).outputs["sarif"])
    classes = registry.discover()
    for rule in log["runs"][0]["tool"]["driver"]["rules"]:
        cls = classes[rule["id"]]
        assert rule["help"]["text"] == cls.documentation()
        assert rule["shortDescription"]["text"] == cls.summary()
        assert rule["help"]["markdown"].startswith(f"**{cls.summary()}**\n\n")
        assert "\n\n**Fix:** " in rule["help"]["markdown"]
        assert rule["properties"]["tags"] == sorted({"oshealth", cls.category})


def test_help_markdown_marks_labels_up() -> None:
    doc = "Summary line.\n\nWhat: this.\nMore of it.\nWhy: that.\n\nFix: do it."
    assert help_markdown(doc) == (
        "**Summary line.**\n\n**What:** this.\nMore of it.\n\n**Why:** that.\n\n**Fix:** do it."
    )


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("pkg/mod.py", "pkg/mod.py"),
        ("odd dir/ex#port?.py", "odd%20dir/ex%23port%3F.py"),
        ("100%.py", "100%25.py"),
        ("new\nline.py", "new%0Aline.py"),
        ("é/ü.py", "%C3%A9/%C3%BC.py"),
        ("a:b.py", "a%3Ab.py"),  # unencoded, "a:" would read as a URI scheme
        ("caf\udce9.py", "caf%E9.py"),  # an undecodable name keeps its original byte
        (None, "."),
    ],
)
def test_artifact_uri(path: str | None, uri: str) -> None:
    assert artifact_uri(path) == uri
    assert URI.fullmatch(uri)
    if path:
        assert unquote(uri, errors="surrogateescape") == path


def test_odd_file_names_end_to_end(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    builder.commit({path: UNDOCUMENTED for path in ODD_PATHS})
    assert run(["audit", str(builder.root), "--format", "sarif", "--select", "docstring-coverage"]) == 0
    log = json.loads(capsys.readouterr().out)
    validate(log)
    check_github_rules(log)
    results = log["runs"][0]["results"]
    located = {unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results}
    assert located == set(ODD_PATHS)
    assert len(results) == 2 * len(ODD_PATHS)  # module and function of each file


def fingerprints(log: dict[str, Any]) -> dict[str, tuple[int | None, str]]:
    out = {}
    for result in log["runs"][0]["results"]:
        region = result["locations"][0]["physicalLocation"].get("region", {})
        out[result["partialFingerprints"][FINGERPRINT_KEY]] = (region.get("startLine"), result["message"]["text"])
    return out


def test_fingerprints_survive_moved_lines(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    builder.commit({"pkg/mod.py": '"""Doc."""\n\n\ndef f():\n    pass\n\n\ndef g():\n    pass\n'})
    args = ["audit", str(builder.root), "--format", "sarif", "--select", "docstring-coverage"]
    run(args)
    before = fingerprints(json.loads(capsys.readouterr().out))
    builder.commit({"pkg/mod.py": '"""Doc."""\n\nimport os\n\n\ndef f():\n    pass\n\n\ndef g():\n    pass\n'})
    run(args)
    after = fingerprints(json.loads(capsys.readouterr().out))
    assert sorted(before) == sorted(after) and len(before) == 2
    assert sorted(v[0] or 0 for v in before.values()) == [4, 8]
    assert sorted(v[0] or 0 for v in after.values()) == [6, 10]


def test_equal_findings_get_distinct_fingerprints() -> None:
    same = [Finding("Missing docstring in public function", "m.py", line, Severity.WARNING, "D103") for line in (3, 9)]
    log = json.loads(render(report(view(findings=[*same, Finding("repository-wide", None, None)]))))
    results = log["runs"][0]["results"]
    digest = same[0].with_fingerprint("tidiness").fingerprint
    assert [r["partialFingerprints"] for r in results[:2]] == [
        {FINGERPRINT_KEY: f"{digest}:1"}, {FINGERPRINT_KEY: f"{digest}:2"}]
    # upload-sarif cannot hash a line for a result without one: it carries the fingerprint as GitHub's key too
    lone = results[2]["partialFingerprints"]
    assert lone["primaryLocationLineHash"] == lone[FINGERPRINT_KEY]
    root = {"physicalLocation": {"artifactLocation": {"uri": ".", "uriBaseId": "%SRCROOT%"}}}
    assert results[2]["locations"] == [root]
    assert results[0]["properties"] == {"oshealthRule": "D103"}


def test_failed_checks_are_notifications() -> None:
    views = [view("broken", status=Status.ERROR, score=None, reason="check crashed: KeyError"),
             view("shallow", status=Status.INCONCLUSIVE, score=None, reason="shallow clone"),
             view("fine", status=Status.PASS, score=10.0, reason="ok")]
    log = json.loads(render(report(*views, score=10.0)))
    validate(log)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [
        {"level": "error", "message": {"text": "broken: error: check crashed: KeyError"},
         "associatedRule": {"id": "broken", "index": 0}},
        {"level": "note", "message": {"text": "shallow: inconclusive: shallow clone"},
         "associatedRule": {"id": "shallow", "index": 1}},
    ]


def test_an_empty_audit_is_valid() -> None:
    log = json.loads(render(report(score=None, commit=None)))
    validate(log)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []
    assert log["runs"][0]["automationDetails"] == {"id": "oshealth/"}


def test_undecodable_names_do_not_break_the_output() -> None:
    # (the engine cannot fingerprint such a name yet: models.Finding.with_fingerprint encodes strictly)
    text = render(report(view(findings=[Finding("odd caf\udce9", "caf\udce9.py", 1, fingerprint="f00d")])))
    text.encode("utf-8")
    log = json.loads(text)
    result = log["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "caf%E9.py"
    assert result["message"]["text"] == "odd caf\ufffd"


def test_long_descriptions_are_cut_for_github() -> None:
    long_doc = "Summary.\n\n" + " ".join(["word"] * 400)
    tidy = view()
    tidy = type(tidy)(**{**tidy.__dict__, "documentation": long_doc})
    rule = json.loads(render(report(tidy)))["runs"][0]["tool"]["driver"]["rules"][0]
    assert len(rule["fullDescription"]["text"]) <= MAX_DESCRIPTION
    assert rule["fullDescription"]["text"].endswith("word…")
    assert rule["help"]["text"] == long_doc


def test_results_beyond_githubs_limit_are_left_out_least_severe_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarifresults, "MAX_RESULTS", 3)
    findings = [Finding(f"note {i}", "n.py", i + 1, Severity.NOTE) for i in range(3)]
    findings += [Finding("warning", "w.py", 1, Severity.WARNING), Finding("error", "e.py", 1, Severity.ERROR)]
    log = json.loads(render(report(view("a", findings=findings[:3]), view("b", findings=findings[3:]))))
    validate(log)
    (sarif_run,) = log["runs"]
    assert [(r["ruleId"], r["message"]["text"]) for r in sarif_run["results"]] == [
        ("a", "note 0"), ("b", "warning"), ("b", "error")]  # the report's order, minus two notes
    assert sarif_run["properties"]["omittedResults"] == 2
    assert sarif_run["invocations"][0]["toolExecutionNotifications"] == [{"level": "warning", "message": {
        "text": "2 of 5 findings left out, the least severe first: GitHub code scanning rejects runs of more than "
                "3 results. The JSON report lists them all."}}]


def test_a_run_is_cut_at_githubs_limit_of_25000_most_severe_first() -> None:
    notes = [Finding(f"note {i}", f"pkg/n{i % 300}.py", i + 1, Severity.NOTE, "D1") for i in range(20_000)]
    warnings = [Finding(f"warning {i}", f"pkg/w{i}.py", None, Severity.WARNING) for i in range(6_000)]
    errors = [Finding(f"error {i}", None, None, Severity.ERROR) for i in range(1_000)]
    late_notes = [Finding(f"late note {i}", "z.py", 1, Severity.NOTE) for i in range(500)]
    views = [view("a", findings=notes), view("b", findings=warnings), view("c", findings=[*late_notes, *errors])]
    text = render(report(*views))
    log = json.loads(text)
    validate(log)
    check_github_rules(log)
    (sarif_run,) = log["runs"]
    results = sarif_run["results"]
    assert len(results) == sarifresults.MAX_RESULTS == 25_000
    # every error and warning, then the notes in report order until the limit: the first 18,000 of "a"
    levels = [r["level"] for r in results]
    assert levels.count("error") == 1_000 and levels.count("warning") == 6_000 and levels.count("note") == 18_000
    assert [r["message"]["text"] for r in results[:2]] == ["note 0", "note 1"]
    assert results[17_999]["message"]["text"] == "note 17999" and results[18_000]["message"]["text"] == "warning 0"
    assert results[-1]["message"]["text"] == "error 999" and not any(r["message"]["text"].startswith("late")
                                                                       for r in results)
    assert sarif_run["properties"]["omittedResults"] == 2_500
    assert sarif_run["invocations"][0]["toolExecutionNotifications"] == [{"level": "warning", "message": {
        "text": "2500 of 27500 findings left out, the least severe first: GitHub code scanning rejects runs of more "
                "than 25,000 results. The JSON report lists them all."}}]
    # the fast text is exactly what the standard encoder writes for the log's data
    assert text == json.dumps(sarif.sarif_log(report(*views)), indent=2, ensure_ascii=False) + "\n"


def test_the_text_is_the_standard_encoders_text_of_the_log() -> None:
    odd = [Finding("caf\u00e9 \"quoted\" \\ back\nslash", "d\u00e9j\u00e0/vu 1.py", 3, Severity.ERROR, "R\u00e9"),
           Finding("same", "a.py", 1, Severity.NOTE, "X"), Finding("same", "a.py", 1, Severity.NOTE, "X"),
           Finding("", None, None, Severity.WARNING), Finding("line without path", None, 7),
           Finding("path without line", "b.py", None, rule="")]
    lone = Finding("odd caf\udce9", "caf\udce9.py", 1, fingerprint="f00d")
    views = [view("one", findings=odd), view("two", findings=[]), view("three", findings=[*odd[:2]]),
             replace(view("four"), findings=(lone,))]
    for audit in (report(*views), report(), report(view("empty", findings=[]))):
        expected = json.dumps(sarif.sarif_log(audit), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        assert render(audit) == re.sub(r"[\ud800-\udfff]", "\ufffd", expected)
    assert "\ufffd" in render(report(*views))
