from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from oshealth.cli import run
from tests.gitrepo import RepoBuilder, git

DOCUMENTED = '"""A module."""\n\n\ndef f(x):\n    """Return x."""\n    return x\n'


def audit_json(path: Path, *extra: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = run(["audit", str(path), "--format", "json", *extra])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_not_a_directory_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["audit", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err == f"oshealth: error: {tmp_path / 'nope'}: not a directory\n"


def test_not_a_repository_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["audit", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"oshealth: error: {tmp_path}: not a git repository\n"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["audit", "--format", "pdf"]) == 2
    assert run(["explain", "no-such-check"]) == 2
    assert "unknown check 'no-such-check'" in capsys.readouterr().err


def test_empty_repository_is_audited_without_a_score(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = audit_json(builder.root, capsys=capsys)
    assert code == 0
    assert data["repository"]["commit"] is None
    statuses = {c["id"]: c["status"] for c in data["checks"]}
    assert set(statuses.values()) <= {"inconclusive", "not-applicable", "fail"}
    assert all(c["reason"] for c in data["checks"])
    assert statuses["docstring-coverage"] == "not-applicable"


def test_shallow_clone_makes_history_checks_inconclusive(builder: RepoBuilder, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    for i in range(4):
        builder.commit({"pkg/mod.py": DOCUMENTED + f"X = {i}\n"}, author=f"P{i} <p{i}@example.com>")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{builder.root}", str(clone))
    code, data = audit_json(clone, capsys=capsys)
    assert code == 0
    spread = next(c for c in data["checks"] if c["id"] == "contributor-spread")
    assert spread["status"] == "inconclusive" and "fetch-depth: 0" in spread["reason"]


def test_bad_files_become_findings_not_crashes(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    # an elif chain and a long sum nest thousands of levels deep in the AST (as sympy's generated tables do)
    deep = "def f(x):\n    if x == 0:\n        return 0\n" + "".join(
        f"    elif x == {i}:\n        return {i}\n" for i in range(1, 3000)
    ) + "TOTAL = " + " + ".join(["1"] * 5000) + "\n"
    builder.commit({
        "good.py": DOCUMENTED,
        "py2.py": "print 'hello'\n",
        "latin.py": b"# -*- coding: latin-1 -*-\n" + b'"""caf\xe9."""\n',
        "broken_utf8.py": b'"""\xff\xfe bad."""\n',
        "binary.py": b"\x00\x01\x02",
        "deep.py": deep,
        "we ird <name>.py": DOCUMENTED,
    })
    code, data = audit_json(builder.root, capsys=capsys)
    assert code == 0
    coverage = next(c for c in data["checks"] if c["id"] == "docstring-coverage")
    flagged = {f["path"] for f in coverage["findings"] if "could not be analysed" in f["message"]}
    assert flagged == {"py2.py", "broken_utf8.py", "binary.py"}
    assert all(c["status"] != "error" for c in data["checks"]), [c["reason"] for c in data["checks"]]


def test_gate_and_atomic_output(builder: RepoBuilder, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    builder.commit({"a.py": "def f(x):\n    return x\n"})
    out = tmp_path / "out" / "report.json"
    out.parent.mkdir()
    assert run(["audit", str(builder.root), "-f", "json", "-o", str(out), "--fail-under", "10"]) == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["passed"] is False and data["fail_under"] == 10.0
    assert [p.name for p in out.parent.iterdir()] == ["report.json"]
    assert run(["audit", str(builder.root), "-o", str(out), "--fail-under", "0"]) == 0
    assert "Overall:" in out.read_text(encoding="utf-8")


def test_unwritable_output_is_a_usage_error(builder: RepoBuilder, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    builder.commit({"a.py": "x = 1\n"})
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    assert run(["audit", str(builder.root), "-f", "json", "-o", str(tmp_path / "taken" / "r.json")]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert run(["audit", str(builder.root), "-f", "json", "-o", str(tmp_path / "missing" / "r.json")]) == 0
    assert json.loads((tmp_path / "missing" / "r.json").read_text(encoding="utf-8"))["format"] == 1


def test_json_is_deterministic_and_has_no_machine_paths(builder: RepoBuilder,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    builder.commit({"pkg/a.py": "def f(x):\n    return x\n", "README.md": "# x\n"})
    first = run(["audit", str(builder.root), "-f", "json"]), capsys.readouterr().out
    second = run(["audit", str(builder.root), "-f", "json"]), capsys.readouterr().out
    assert first == second
    data = json.loads(first[1])
    assert data["format"] == 1 and data["generated_at"] == "2024-12-31T00:00:00Z"
    assert [c["id"] for c in data["checks"]] == sorted(c["id"] for c in data["checks"])
    machine_root = str(builder.root.parent)
    findings_text = json.dumps([c["findings"] for c in data["checks"]])
    assert machine_root not in findings_text
    assert all(not (f["path"] or "").startswith("/") for c in data["checks"] for f in c["findings"])


def test_python_dash_m_and_subcommands(builder: RepoBuilder) -> None:
    builder.commit({"a.py": DOCUMENTED})
    done = subprocess.run([sys.executable, "-m", "oshealth", "audit", str(builder.root)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Overall:" in done.stdout and "docstring-coverage" in done.stdout
    assert done.stderr == ""  # no progress display when stderr is not a terminal
    listed = subprocess.run([sys.executable, "-m", "oshealth", "checks"], capture_output=True, text=True)
    assert len(listed.stdout.splitlines()) >= 7
    explained = subprocess.run([sys.executable, "-m", "oshealth", "explain", "docstring-coverage"],
                               capture_output=True, text=True)
    assert explained.returncode == 0 and "Fix:" in explained.stdout


def test_config_error_names_the_key(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    builder.commit({".oshealth.toml": "[checks.complexity]\nno-such-option = 1\n", "a.py": "x = 1\n"})
    assert run(["audit", str(builder.root)]) == 2
    assert "unknown option 'no-such-option' for check 'complexity'" in capsys.readouterr().err


def test_several_formats_in_one_run(builder: RepoBuilder, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    builder.commit({"a.py": DOCUMENTED})
    out = tmp_path / "reports"
    out.mkdir()
    args = ["-f", "json", "-f", "terminal", "-f", "json", "--output-dir", str(out)]
    assert run(["audit", str(builder.root), *args]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["report.json", "report.txt"]
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["format"] == 1
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "json", "-f", "terminal"], "several formats need --output-dir"),
        (["-f", "json", "-f", "terminal", "-o", "x.json"], "--output takes one format"),
        (["-o", "x", "--output-dir", "."], "either --output or --output-dir"),
    ],
)
def test_ambiguous_outputs_are_usage_errors(builder: RepoBuilder, args: list[str], message: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    builder.commit({"a.py": DOCUMENTED})
    assert run(["audit", str(builder.root), *args]) == 2
    assert message in capsys.readouterr().err


def test_a_missing_output_folder_is_made(builder: RepoBuilder, tmp_path: Path) -> None:
    builder.commit({"a.py": DOCUMENTED})
    out = tmp_path / "reports" / "today"
    assert run(["audit", str(builder.root), "-f", "json", "-f", "badge", "--output-dir", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["badge.svg", "report.json"]


def test_an_output_folder_under_a_file_is_refused_before_the_audit(builder: RepoBuilder, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    builder.commit({"a.py": DOCUMENTED})
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    assert run(["audit", str(builder.root), "-f", "json", "--output-dir", str(tmp_path / "taken" / "sub")]) == 2
    assert capsys.readouterr().err == f"oshealth: error: --output-dir {tmp_path / 'taken' / 'sub'}: " \
        f"{tmp_path / 'taken'} is not a directory\n"


def test_a_repository_missing_an_object_is_one_line_and_exit_2(builder: RepoBuilder,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    # rename detection reads both blobs of a renamed file: without the old one, git log fails midway
    builder.commit({"old.py": "".join(f"value_{n} = {n}\n" for n in range(40))})
    builder.commit({"new.py": "".join(f"value_{n} = {n}\n" for n in range(41))}, renames={"old.py": "new.py"})
    blob = git(builder.root, "rev-parse", "HEAD~1:old.py").strip()
    (builder.root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    assert run(["audit", str(builder.root), "--no-cache"]) == 2
    assert capsys.readouterr().err == (
        f"oshealth: error: git log failed: fatal: unable to read {blob} "
        "(the repository lacks objects: a damaged or partial clone; `git fsck` lists them)\n"
    )


def test_non_utf8_file_names_are_reported_not_fatal(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    builder.commit({"a.py": DOCUMENTED})
    raw = os.path.join(os.fsencode(builder.root), b"caf\xe9.py")
    with open(raw, "wb") as handle:
        handle.write(b"def f():\n    pass\n")
    git(builder.root, "add", "-A")
    builder.commit({}, message="odd name")
    for fmt in ("json", "markdown", "sarif", "terminal"):
        assert run(["audit", str(builder.root), "-f", fmt]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "caf\ufffd.py" in out


def test_report_files_get_ordinary_permissions(builder: RepoBuilder, tmp_path: Path) -> None:
    builder.commit({"a.py": DOCUMENTED})
    old = os.umask(0o022)
    try:
        assert run(["audit", str(builder.root), "-f", "json", "-o", str(tmp_path / "r.json")]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.json").stat().st_mode) == 0o644
    (tmp_path / "r.json").chmod(0o640)
    assert run(["audit", str(builder.root), "-f", "json", "-o", str(tmp_path / "r.json")]) == 0
    assert stat.S_IMODE((tmp_path / "r.json").stat().st_mode) == 0o640


def test_files_linked_to_a_device_never_hang_the_audit(builder: RepoBuilder, tmp_path: Path) -> None:
    builder.commit({"pkg/__init__.py": '"""Package."""\n', "pkg/a.py": '"""A."""\n'})
    for name in (".mailmap", "ruff.toml", "setup.cfg", ".pydocstyle", "README.md", "pkg/b.py"):
        (builder.root / name).symlink_to("/dev/zero")  # endless if ever read
    builder.commit({})
    out = tmp_path / "report.json"
    command = [sys.executable, "-m", "oshealth", "audit", str(builder.root), "-f", "json", "-o", str(out)]
    env = {**os.environ, "OSHEALTH_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # a cold run, then one that digests the state (.mailmap among it) to reuse the reports
        done = subprocess.run(command, capture_output=True, timeout=120, env=env, check=False)
        assert done.returncode == 0, done.stderr
    checks = {c["id"]: c for c in json.loads(out.read_text(encoding="utf-8"))["checks"]}
    assert checks["docstring-coverage"]["metrics"]["total"] == 2  # the modules pkg and pkg.a; b.py is no file
    readme = [f["message"] for f in checks["project-docs"]["findings"] if f["rule"] == "readme"]
    assert any(message.startswith("README was not read") for message in readme), readme
    assert checks["docstring-style"]["metrics"]["convention_source"] == "default"


def test_progress_is_drawn_only_where_rich_finds_a_terminal(
    builder: RepoBuilder, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    builder.commit({"m.py": '"""M."""\n'})
    out = str(tmp_path / "r.json")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    assert run(["audit", str(builder.root), "-f", "json", "-o", out, "--jobs", "1"]) == 0
    assert capsys.readouterr().err == ""  # not a terminal: rich is not even loaded for it
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert run(["audit", str(builder.root), "-f", "json", "-o", out, "--jobs", "1"]) == 0
    assert "auditing..." in capsys.readouterr().err
    assert run(["audit", str(builder.root), "-f", "json", "-o", out, "--jobs", "1", "--no-progress"]) == 0
    assert capsys.readouterr().err == ""
