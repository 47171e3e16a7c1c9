"""``oshealth diff``: rule options, scores at both ends, the report formats, symbols and settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oshealth.audit import run_audit
from oshealth.cli import run
from oshealth.errors import ConfigError
from oshealth.gate import settings as gate_settings
from oshealth.gitlog import FileChange
from oshealth.symbols import Change, compare_file
from tests.gitrepo import RepoBuilder, git
from tests.test_diff import CORE, NO_SCORES, SCORES_ON, base_repo, diff_json, findings, rule

HISTORY = ["activity", "contributor-spread", "release-documentation"]


def test_docstring_min_length(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder, NO_SCORES + "\n[tool.oshealth.diff.docstrings]\nmin-length = 20\n")
    repo.commit({"src/pkg/core.py": CORE + '\n\ndef wave():\n    """Wave."""\n'})
    code, data = diff_json(repo.root, capsys)
    assert code == 1
    assert findings(data, "docstrings") == [
        ("src/pkg/core.py", 13, "docstring of `pkg.core.wave` has 5 characters (at least 20 wanted)")
    ]


def test_docstring_style_on_changed_lines(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder, NO_SCORES + "\n[tool.oshealth.diff.docstrings]\nstyle = true\n")
    repo.commit({"src/pkg/core.py": CORE + '\n\ndef wave():\n    """wave a hand"""\n'})
    code, data = diff_json(repo.root, capsys)
    assert code == 1
    # ruff's D rules with the default (pep257) convention, only on the changed lines 13-14
    assert findings(data, "docstrings") == [
        ("src/pkg/core.py", 14, "D400 First line should end with a period"),
        ("src/pkg/core.py", 14, "D403 First word of the docstring should be capitalized: `wave` -> `Wave`"),
    ]


def test_warn_levels_never_fail_and_off_skips(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    extra = NO_SCORES + '\n[tool.oshealth.diff.docstrings]\nlevel = "warn"\n'
    extra += '[tool.oshealth.diff.changelog]\nlevel = "off"\n'
    repo = base_repo(builder, extra)
    repo.commit({"src/pkg/core.py": CORE + "\n\ndef wave():\n    pass\n"})
    code, data = diff_json(repo.root, capsys)
    assert code == 0
    assert rule(data, "docstrings")["status"] == "warn"
    assert rule(data, "docstrings")["findings"][0]["severity"] == "warning"
    assert rule(data, "changelog") == {
        "id": "changelog", "title": "Changelog entry for public API changes", "status": "skip",
        "message": "off in config", "metrics": {}, "findings": [],
    }


def test_docs_rule_warns_on_added_api_without_docs(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder)
    repo.commit({"src/pkg/core.py": CORE + '\n\ndef wave():\n    """Wave a hand."""\n',
                 "changelog.d/1.feature": "wave\n", "tests/test_core.py": "def test_x():\n    pass\n"})
    code, data = diff_json(repo.root, capsys)
    assert code == 0
    assert rule(data, "docs")["status"] == "warn"
    expected = ("src/pkg/core.py", 13, "public API added with no docs change: `pkg.core.wave` added")
    assert findings(data, "docs") == [expected]


def _audit_scores(root: Path) -> tuple[float | None, dict[str, float | None]]:
    report = run_audit(root, overrides={"ignore": HISTORY})
    return report.scorecard.score, {c.id: c.score for c in report.checks}


def test_scores_drop_fails_and_equal_the_audit_at_both_ends(builder: RepoBuilder,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder, SCORES_ON)
    undocumented = "".join(f"\n\ndef f{i}(x):\n    return x\n" for i in range(6))
    repo.commit({"src/pkg/core.py": CORE + undocumented, "tests/test_core.py": "def test_x():\n    pass\n",
                 "CHANGELOG.md": "# Changelog\n\n## Unreleased\n\n- f0-f5.\n", "docs/index.md": "# f\n"})
    code, data = diff_json(repo.root, capsys, "--label", "x")
    assert code == 1
    head_score, head_checks = _audit_scores(repo.root)
    git(repo.root, "checkout", "-q", "main")
    base_score, base_checks = _audit_scores(repo.root)
    git(repo.root, "checkout", "-q", "feature")
    scores = data["scores"]
    assert (scores["base"], scores["head"]) == (base_score, head_score)
    assert {k: v["base"] for k, v in scores["checks"].items()} == base_checks
    assert {k: v["head"] for k, v in scores["checks"].items()} == head_checks
    assert scores["ignored"] == HISTORY
    assert scores["delta"] == round(head_score - base_score, 2) and scores["delta"] < 0
    assert rule(data, "scores")["status"] == "fail"
    messages = [f["message"] for f in rule(data, "scores")["findings"]]
    shown = f"{base_score:.2f} -> {head_score:.2f} ({scores['delta']:+.2f})"
    assert f"overall score dropped {shown}; at most 0 allowed" in messages


def test_scores_max_drop_tolerates_a_small_drop(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder, SCORES_ON + "max-drop = 10\n")
    repo.commit({"src/pkg/core.py": CORE + "\n\ndef _f(x):\n    return x\n"})
    code, data = diff_json(repo.root, capsys)
    assert rule(data, "scores")["status"] == "pass"
    assert code == 0


def test_sarif_keeps_only_findings_on_changed_lines(builder: RepoBuilder, tmp_path: Path) -> None:
    repo = base_repo(builder)
    complex_body = CORE.replace(
        '    return "Hello " + name + punctuation\n',
        "".join(f"    if name == {i}:\n        return {i}\n" for i in range(11)) + '    return "Hello " + name\n',
    )
    repo.commit({"src/pkg/core.py": complex_body + "\n\ndef wave():\n    pass\n"})
    out = tmp_path / "out"
    out.mkdir()
    code = run(["diff", "main", "--path", str(repo.root), "-f", "json", "-f", "sarif", "--output-dir", str(out)])
    assert code == 1
    data = json.loads((out / "diff.json").read_text())
    # the complexity finding sits on the unchanged def line 4: JSON has it, SARIF does not
    assert findings(data, "complexity") == [
        ("src/pkg/core.py", 4, "`greet` has cyclomatic complexity 12 (> 10), was 1 (+11)")
    ]
    sarif = json.loads((out / "diff.sarif").read_text())
    results = [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
               for r in sarif["runs"][0]["results"]]
    assert sorted(results) == [("diff-changelog", 35), ("diff-docs", 35), ("diff-docstrings", 35), ("diff-tests", 6)]
    assert sarif["runs"][0]["properties"]["passed"] is False


def test_markdown_marker_heading_and_cut(builder: RepoBuilder, tmp_path: Path) -> None:
    repo = base_repo(builder)
    many = "".join(f"\n\ndef function_with_a_rather_long_name_{i}(x):\n    return x\n" for i in range(900))
    repo.commit({"src/pkg/core.py": CORE + many})
    target = tmp_path / "diff.md"
    assert run(["diff", "main", "--path", str(repo.root), "-f", "markdown", "-o", str(target)]) == 1
    text = target.read_text()
    lines = text.splitlines()
    assert lines[0] == "<!-- oshealth-diff -->"
    assert lines[1] == "## oshealth diff: ❌ failed (docstrings, changelog)"
    assert len(text) <= 65_000
    assert "_Findings lists were shortened to fit 65,000 characters:" in text


def test_terminal_output(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder)
    repo.commit({"src/pkg/core.py": CORE + "\n\ndef wave():\n    pass\n"})
    assert run(["diff", "main", "--path", str(repo.root)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "oshealth diff main...HEAD: FAILED"
    assert out[1].endswith("; 1 file, 4 lines changed")  # singular where the count is one
    assert out[3] == "FAIL  docstrings  1 problem in 1 added or changed public object"
    assert out[4] == "      src/pkg/core.py:13  added public function `pkg.core.wave` has no docstring"


def test_symbols_own_lines_and_removals() -> None:
    base = b'"""M."""\n\n\nclass K:\n    """K."""\n\n    def a(self):\n        return 1\n'
    base += b"\n    def b(self):\n        return 2\n"
    head = b'"""M."""\n\n\nclass K:\n    """K."""\n\n    def a(self):\n        return 10\n'
    result = compare_file(FileChange("M", "pkg/m.py"), base, head, {8})
    assert [(s.dotted, s.kind, s.change) for s in result.symbols] == [
        ("pkg.m.K.a", "method", Change.CHANGED),
        ("pkg.m.K.b", "method", Change.REMOVED),
    ]


def test_symbols_of_a_head_that_does_not_parse() -> None:
    result = compare_file(FileChange("M", "m.py"), b"def f():\n    pass\n", b"def f(:\n", {1})
    assert result.symbols == ()
    assert result.head is not None and result.head.error is not None


def test_settings_validation() -> None:
    assert gate_settings.parse(None).option("complexity", "max") == 10
    assert gate_settings.parse({"complexity": {"max": 15}}).option("complexity", "max") == 15
    with pytest.raises(ConfigError, match=r"unknown table \[diff.nope\]"):
        gate_settings.parse({"nope": {}})
    with pytest.raises(ConfigError, match=r"unknown key 'maximum' in \[diff.complexity\]"):
        gate_settings.parse({"complexity": {"maximum": 3}})
    with pytest.raises(ConfigError, match=r"'max-drop' must be a number >= 0"):
        gate_settings.parse({"scores": {"max-drop": -1}})
    with pytest.raises(ConfigError, match=r"'skip-labels' must be a list of strings"):
        gate_settings.parse({"changelog": {"skip-labels": "skip"}})


def test_docstrings_rule_judges_package_files_only(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder)
    repo.commit({"setup.py": "def helper():\n    pass\n", "docs/conf.py": "def setup(app):\n    pass\n"})
    code, data = diff_json(repo.root, capsys)
    assert code == 0
    assert rule(data, "docstrings")["metrics"] == {"checked": 0}
    assert rule(data, "tests")["metrics"] == {"source_files": 0, "test_files": 0, "hints_only": 0}
