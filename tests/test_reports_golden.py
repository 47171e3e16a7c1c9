"""Golden files of the JSON, Markdown and SARIF reports of the sample repositories, and every format in one run.

Regenerate after a deliberate change: ``OSHEALTH_REGOLD=1 python -m pytest tests/test_reports_golden.py``.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from oshealth.cli import run
from tests.gitrepo import load_sample
from tests.golden import ALL_FORMATS, SAMPLES, check_golden, sample_run, scrub

GOLDEN_SUFFIX = {"json": "json", "markdown": "md", "sarif": "sarif"}


@pytest.mark.parametrize("fmt", sorted(GOLDEN_SUFFIX))
@pytest.mark.parametrize("name", SAMPLES)
def test_golden(name: str, fmt: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    sample = sample_run(name, tmp_path_factory)
    check_golden(f"{name}.{GOLDEN_SUFFIX[fmt]}", sample.scrubbed(fmt))


def test_scrub_leaves_no_machine_specific_text(tmp_path_factory: pytest.TempPathFactory) -> None:
    sample = sample_run("team_project", tmp_path_factory)
    for fmt in GOLDEN_SUFFIX:
        raw, text = sample.outputs[fmt], sample.scrubbed(fmt)
        # SARIF names files relative to %SRCROOT% only: no machine path at all
        assert (str(sample.root) in raw) is (fmt != "sarif") and str(sample.root) not in text
        assert sample.head[:12] in raw and sample.head[:12] not in text
        assert "2024-12-31T00:00:00Z" in raw and "2024-12-31T00:00:00Z" not in text
        assert ("<ROOT>" in text) is (fmt != "sarif") and "<DATE>" in text and "<VERSION>" in text
    # a sample's own version tags are facts, not oshealth's version: they stay
    assert '"last_release": "v0.2.0"' in sample.scrubbed("json")


def test_scrub_placeholders() -> None:
    commit = "0123456789abcdef0123456789abcdef01234567"
    text = f'{{"version": "{__import__("oshealth").__version__}", "at": "2024-02-03T04:05:06Z"}} {commit} {commit[:12]}'
    assert scrub(text, root=Path("/x"), commits=[commit]) == (
        '{"version": "<VERSION>", "at": "<DATE>"} <COMMIT> <SHORT-COMMIT>'
    )


def test_every_format_in_one_run(tmp_path_factory: pytest.TempPathFactory) -> None:
    sample = sample_run("well_kept", tmp_path_factory)
    assert sorted(sample.outputs) == sorted(ALL_FORMATS)
    data = json.loads(sample.outputs["json"])
    assert (data["score"], data["grade"]) == (8.53, "B")
    assert sample.outputs["markdown"].startswith("## oshealth: 8.5/10, grade B\n")
    sarif = json.loads(sample.outputs["sarif"])
    assert [rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]] == [c["id"] for c in data["checks"]]
    assert len(sarif["runs"][0]["results"]) == sum(len(c["findings"]) for c in data["checks"]) == 31
    svg = ET.fromstring(sample.outputs["badge"])
    assert svg.get("aria-label") == "oshealth: 8.5 B"
    assert json.loads(sample.outputs["shields"]) == {
        "schemaVersion": 1, "label": "oshealth", "message": "8.5 B", "color": "green",
    }
    assert "Overall: 8.5/10, grade B" in sample.outputs["terminal"]


def test_markdown_and_sarif_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = load_sample("undocumented_script", tmp_path / "u")
    out = tmp_path / "out"
    out.mkdir()
    assert run(["audit", str(root), "--format", "markdown", "--format", "sarif", "--output-dir", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["report.md", "report.sarif"]
    assert capsys.readouterr().out == ""
    assert (out / "report.md").read_text(encoding="utf-8").startswith("## oshealth: 0.7/10, grade F\n")


def test_reports_are_identical_across_runs(tmp_path: Path) -> None:
    root = load_sample("team_project", tmp_path / "t")
    texts = []
    for attempt in ("a", "b"):
        out = tmp_path / attempt
        out.mkdir()
        args = [arg for fmt in ALL_FORMATS for arg in ("-f", fmt)]
        assert run(["audit", str(root), *args, "--output-dir", str(out)]) == 0
        texts.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert texts[0] == texts[1]
