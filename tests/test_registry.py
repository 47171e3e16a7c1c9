from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from oshealth import registry
from oshealth.cli import run
from oshealth.errors import PluginLoadError
from tests.gitrepo import RepoBuilder
from tests.plugins import GOOD_PLUGIN, install_plugin

BUILT_INS = [
    "activity", "complexity", "contributor-spread", "docstring-coverage", "docstring-style", "project-docs", "tests",
]


def test_built_ins_are_discovered_through_entry_points() -> None:
    found = registry.discover()
    assert [cid for cid in found if cid in BUILT_INS] == BUILT_INS
    for check_id, cls in found.items():
        assert cls.__module__.startswith("oshealth.checks.") or check_id not in BUILT_INS
        assert cls.summary() and cls.remediation(), f"{check_id} lacks a summary or a Fix: section"


def test_every_checks_module_imports_as_oshealth_checks() -> None:
    modules = sorted(p.stem for p in (Path(__file__).parent.parent / "checks").glob("*.py") if p.stem != "__init__")
    registered = sorted(cls.__module__.rpartition(".")[2] for cls in registry.discover().values())
    assert modules == registered


def test_third_party_check_runs_beside_built_ins(tmp_path: Path, builder: RepoBuilder) -> None:
    site = install_plugin(tmp_path / "site", "oshealth-notice", "notice_check", GOOD_PLUGIN,
                          "has-notice = notice_check:HasNotice")
    builder.commit({"NOTICE": "hello\n", "a.py": '"""Doc."""\n'})
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    done = subprocess.run([sys.executable, "-m", "oshealth", "audit", str(builder.root), "--format", "json"],
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    checks = {c["id"]: c for c in json.loads(done.stdout)["checks"]}
    assert set(BUILT_INS) < set(checks)
    assert checks["has-notice"]["score"] == 10.0 and checks["has-notice"]["category"] == "community"
    listed = subprocess.run([sys.executable, "-m", "oshealth", "checks"], capture_output=True, text=True, env=env)
    assert "has-notice" in listed.stdout and "A NOTICE file should exist." in listed.stdout


@pytest.mark.parametrize(
    ("source", "entry", "message"),
    [
        ("raise ImportError('missing dependency zz')\n", "broken-check = broken_a:Thing",
         r"oshealth-broken\[broken-check\] \(broken_a:Thing\) failed to load: ImportError: missing dependency zz"),
        ("class Thing:\n    pass\n", "broken-check = broken_b:Thing", r"is not a subclass of oshealth.models.Check"),
        (GOOD_PLUGIN, "other-name = broken_c:HasNotice", r"declares id 'has-notice'; it must equal"),
    ],
)
def test_broken_plugin_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                source: str, entry: str, message: str, builder: RepoBuilder) -> None:
    module = entry.rpartition("=")[2].strip().partition(":")[0]
    site = install_plugin(tmp_path / "site", "oshealth-broken", module, source, entry)
    monkeypatch.syspath_prepend(str(site))
    with pytest.raises(PluginLoadError, match=message):
        registry.discover()
    builder.commit({"a.py": "x = 1\n"})
    assert run(["audit", str(builder.root)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "oshealth-broken[" in err
