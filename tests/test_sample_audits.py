"""Expected scorecards of the sample repositories (see sample_repos/README.md).

These pin every built-in check's verdict on three realistic histories; a change
in any check's numbers shows up here and must be explained in its commit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oshealth.cli import run
from tests.gitrepo import load_sample

EXPECTED = {
    "well_kept": (8.53, "B", {
        "activity": ("pass", 10.0), "complexity": ("pass", 10.0), "contributor-spread": ("pass", 7.0),
        "docstring-coverage": ("fail", 7.41), "docstring-style": ("fail", 4.81), "project-docs": ("pass", 10.0),
        "release-documentation": ("pass", 10.0), "tests": ("pass", 8.6),
    }),
    "undocumented_script": (0.73, "F", {
        "activity": ("fail", 0.0), "complexity": ("fail", 0.5), "contributor-spread": ("fail", 3.0),
        "docstring-coverage": ("fail", 0.0), "docstring-style": ("fail", 0.91), "project-docs": ("fail", 1.05),
        "release-documentation": ("not-applicable", None), "tests": ("fail", 0.0),
    }),
    "team_project": (7.05, "C", {
        "activity": ("pass", 10.0), "complexity": ("pass", 10.0), "contributor-spread": ("pass", 7.0),
        "docstring-coverage": ("fail", 5.73), "docstring-style": ("fail", 4.9), "project-docs": ("fail", 5.0),
        "release-documentation": ("fail", 3.51), "tests": ("pass", 8.36),
    }),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_scorecard(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = load_sample(name, tmp_path / name)
    assert run(["audit", str(root), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    score, grade, checks = EXPECTED[name]
    got = {c["id"]: (c["status"], c["score"]) for c in data["checks"]}
    assert got == checks
    assert (data["score"], data["grade"]) == (score, grade)


def test_samples_rank_as_their_stories_say(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scores = {}
    for name in EXPECTED:
        run(["audit", str(load_sample(name, tmp_path / name)), "--format", "json"])
        scores[name] = json.loads(capsys.readouterr().out)["score"]
    assert scores["well_kept"] > scores["team_project"] > scores["undocumented_script"]


def test_gate_on_a_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = load_sample("undocumented_script", tmp_path / "u")
    assert run(["audit", str(root), "--fail-under", "5"]) == 1
    assert "gate fail-under 5: FAILED" in capsys.readouterr().out
