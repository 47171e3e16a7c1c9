"""``action.yml`` and the workflow files against the GitHub Actions schemas, and against each other.

The schemas are SchemaStore's, as shipped inside check-jsonschema (``--builtin-schema``): no network.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = [
    ROOT / ".github" / "workflows" / "ci.yml",
    ROOT / ".github" / "workflows" / "oshealth.yml",
    ROOT / "docs" / "examples" / "oshealth.yml",
    ROOT / "docs" / "examples" / "oshealth-comment.yml",
]


def _validate(schema: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, paths)],
        capture_output=True, text=True, check=False,
    )


def _load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def test_action_yml_matches_the_actions_schema() -> None:
    done = _validate("vendor.github-actions", ROOT / "action.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: str(p.relative_to(ROOT)))
def test_workflow_matches_the_workflows_schema(path: Path) -> None:
    done = _validate("vendor.github-workflows", path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_can_fail(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    steps:\n      - run: echo\n")  # no runs-on
    assert _validate("vendor.github-workflows", broken).returncode == 1
    action = tmp_path / "action.yml"
    action.write_text("name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - run: echo\n")  # no shell
    assert _validate("vendor.github-actions", action).returncode == 1


def _action_steps(workflow: Any) -> list[dict[str, Any]]:
    """Steps that use oshealth's action (``./`` here, ``OWNER/oshealth@...`` in the examples)."""
    return [
        step
        for job in workflow["jobs"].values()
        for step in job.get("steps", [])
        if step.get("uses") == "./" or str(step.get("uses", "")).split("@")[0].endswith("/oshealth")
    ]


@pytest.mark.parametrize("path", WORKFLOWS[1:], ids=lambda p: str(p.relative_to(ROOT)))
def test_workflows_give_the_action_only_inputs_it_has(path: Path) -> None:
    inputs = set(_load(ROOT / "action.yml")["inputs"])
    steps = _action_steps(_load(path))
    assert steps
    for step in steps:
        assert set(step.get("with", {})) <= inputs


def test_composite_action_passes_every_input_to_the_entry_point() -> None:
    action = _load(ROOT / "action.yml")
    run = next(step for step in action["runs"]["steps"] if step.get("id") == "run")
    passed = {key.removeprefix("INPUT_").lower().replace("_", "-") for key in run["env"] if key.startswith("INPUT_")}
    assert passed == set(action["inputs"]) - {"working-directory", "python-version"}
    assert run["working-directory"] == "${{ inputs.working-directory }}"
    assert "${{" not in run["run"]  # no expression pasted into the script: inputs go through the environment
    for name, output in action["outputs"].items():
        assert output["value"] == f"${{{{ steps.run.outputs.{name} }}}}"


def test_workflows_that_gate_or_audit_fetch_the_whole_history() -> None:
    for path in WORKFLOWS[1:3]:
        for job in _load(path)["jobs"].values():
            checkout = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/checkout@"))
            assert checkout["with"]["fetch-depth"] == 0


def test_docs_show_the_example_workflows_verbatim() -> None:
    docs = (ROOT / "docs" / "github-action.md").read_text(encoding="utf-8")
    for name in ("oshealth.yml", "oshealth-comment.yml"):
        example = (ROOT / "docs" / "examples" / name).read_text(encoding="utf-8")
        assert f"```yaml\n{example}```" in docs


def test_docs_list_every_input_and_output() -> None:
    docs = (ROOT / "docs" / "github-action.md").read_text(encoding="utf-8")
    action = _load(ROOT / "action.yml")
    for name in [*action["inputs"], *action["outputs"]]:
        assert f"`{name}`" in docs, name
