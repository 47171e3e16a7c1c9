"""Whole audits reused: an unchanged state's reports come from the cache, any change audits afresh.

Every test compares the reports an audit writes with those of an audit
without the cache, byte for byte, and checks whether they came from the cache.
"""

from __future__ import annotations

import ast
import json
import os
import zlib
from pathlib import Path

import pytest

from oshealth import audit, clock, fingerprint, reportcache
from oshealth.analysis import docstrings, timelimit
from oshealth.cache import Cache
from oshealth.cachefile import cache_dir
from oshealth.git import GitRepository
from oshealth.render import FORMATS
from tests.gitrepo import RepoBuilder, git

FORMAT_NAMES = ("json", "markdown", "html", "sarif", "badge", "shields", "terminal")
MODULE = '"""A module."""\n\n\ndef documented(x):\n    """Return x."""\n    return x\n\n\ndef bare(y):\n    return y\n'
HOUR = 3600


def run(root: Path, *, use_cache: bool = True, **options: object) -> tuple[dict[str, str], audit.Outcome]:
    """Audit ``root`` writing every format; the texts written, by format, and the outcome."""
    fingerprint._source_digest.cache_clear()  # as a new process would
    written: dict[str, str] = {}

    def sink(name: str, data: bytes) -> None:
        """Keep what would be written, as text."""
        assert name not in written, f"{name} written twice"
        written[name] = data.decode("utf-8")

    outcome = audit.audit_outputs(root, FORMAT_NAMES, sink, use_cache=use_cache, jobs=1, **options)  # type: ignore[arg-type]
    return written, outcome


def assert_fresh_equals_cached(root: Path, *, cached: bool, **options: object) -> dict[str, str]:
    """Audit with the cache; its reports equal those of an audit without it; say whether they came from it."""
    texts, outcome = run(root, **options)
    assert outcome.from_cache is cached
    fresh, fresh_outcome = run(root, use_cache=False, **options)
    assert texts == fresh
    assert outcome.gate_failed is fresh_outcome.gate_failed
    return texts


@pytest.fixture()
def project(builder: RepoBuilder) -> RepoBuilder:
    """A small project with a module, a README and a tag."""
    builder.commit({"pkg/__init__.py": MODULE, "README.md": "# Project\n\nIt does things.\n"})
    builder.tag("v1.0.0")
    builder.commit({"pkg/more.py": "def other(z):\n    return z * 2\n"})
    return builder


def test_an_unchanged_repository_is_read_back(project: RepoBuilder) -> None:
    first = assert_fresh_equals_cached(project.root, cached=False)
    second = assert_fresh_equals_cached(project.root, cached=True)
    assert first == second
    assert json.loads(second["json"])["repository"]["commit"] == project.commits[-1]
    assert set(second) == set(FORMAT_NAMES)


@pytest.mark.parametrize(
    "change",
    ["edit a tracked file", "add an untracked file", "stage a file", "delete a file", "commit", "tag", "link",
     "branch", "config", "mailmap"],
)
def test_every_change_of_state_audits_afresh(project: RepoBuilder, change: str) -> None:
    root = project.root
    assert_fresh_equals_cached(root, cached=False)
    if change == "edit a tracked file":
        (root / "pkg" / "more.py").write_text('def other(z):\n    """Twice z."""\n    return z * 2\n')
    elif change == "add an untracked file":
        (root / "pkg" / "new.py").write_text("def new():\n    pass\n")
    elif change == "stage a file":
        (root / "pkg" / "staged.py").write_text("X = 1\n")
        git(root, "add", "pkg/staged.py")
    elif change == "delete a file":
        (root / "pkg" / "more.py").unlink()
    elif change == "commit":
        project.commit({"CHANGELOG.md": "# Changelog\n\n## 1.0.0\n\n- First.\n"})
    elif change == "tag":
        project.tag("v1.1.0")
    elif change == "link":
        (root / "docs").symlink_to("pkg")
    elif change == "branch":
        git(root, "checkout", "-q", "-b", "feature")
    elif change == "config":
        (root / ".oshealth.toml").write_text("fail-under = 9.5\n")
    elif change == "mailmap":
        git(root, "config", "mailmap.file", str(root.parent / "people.mailmap"))
        (root.parent / "people.mailmap").write_text("Someone <some@example.com> Alice <alice@example.com>\n")
    assert_fresh_equals_cached(root, cached=False)
    assert_fresh_equals_cached(root, cached=True)


def test_a_file_changed_back_is_the_same_state(project: RepoBuilder) -> None:
    target = project.root / "pkg" / "more.py"
    original = target.read_text()
    assert_fresh_equals_cached(project.root, cached=False)
    target.write_text("changed = True\n")
    assert_fresh_equals_cached(project.root, cached=False)
    target.write_text(original)
    assert_fresh_equals_cached(project.root, cached=True)  # HEAD's state again, still stored


def test_options_that_shape_the_report_are_part_of_the_state(project: RepoBuilder) -> None:
    assert_fresh_equals_cached(project.root, cached=False)
    assert_fresh_equals_cached(project.root, cached=False, display_path="elsewhere")
    assert_fresh_equals_cached(project.root, cached=False, overrides={"select": ["docstring-coverage"]})
    assert_fresh_equals_cached(project.root, cached=True, overrides={"select": ["docstring-coverage"]})
    assert_fresh_equals_cached(project.root, cached=False, overrides={"fail-under": 9.9})


def test_formats_not_stored_yet_are_rendered(project: RepoBuilder) -> None:
    fingerprint._source_digest.cache_clear()
    written: dict[str, str] = {}
    outcome = audit.audit_outputs(project.root, ["json"], lambda name, data: written.__setitem__(name, data.decode()),
                                  jobs=1)
    assert not outcome.from_cache and list(written) == ["json"]
    texts, outcome = run(project.root)  # html and the others are not stored: an audit runs
    assert not outcome.from_cache
    texts, outcome = run(project.root)
    assert outcome.from_cache and texts["json"] == written["json"]


def test_the_view_model_comes_back_for_the_screen(project: RepoBuilder) -> None:
    fingerprint._source_digest.cache_clear()
    first = audit.audit_outputs(project.root, ["json"], lambda name, text: None, want_report=True, jobs=1)
    second = audit.audit_outputs(project.root, ["json"], lambda name, text: None, want_report=True, jobs=1)
    assert not first.from_cache and second.from_cache
    assert first.report == second.report and first.report is not None
    assert first.report.generated_at == "2024-12-31T00:00:00Z"  # SOURCE_DATE_EPOCH (conftest)
    assert [view.id for view in first.report.checks] == sorted(view.id for view in first.report.checks)


def test_the_time_of_generation_is_the_current_one(project: RepoBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    hour = 1_900_000_800 // HOUR * HOUR  # 2030-03-17T18:00:00Z
    monkeypatch.setattr(clock.time, "time", lambda: hour + 100)
    first, outcome = run(project.root)
    assert not outcome.from_cache
    monkeypatch.setattr(clock.time, "time", lambda: hour + 3599)
    second, outcome = run(project.root)
    assert outcome.from_cache
    assert json.loads(first["json"])["generated_at"] == "2030-03-17T18:01:40Z"
    assert json.loads(second["json"])["generated_at"] == "2030-03-17T18:59:59Z"
    for name in FORMAT_NAMES:
        assert second[name] == first[name].replace("2030-03-17T18:01:40Z", "2030-03-17T18:59:59Z"), name
    # the next hour is another audit clock: the checks count time from it
    monkeypatch.setattr(clock.time, "time", lambda: hour + HOUR)
    third, outcome = run(project.root)
    assert not outcome.from_cache


def test_the_audit_clock_is_the_end_of_the_hour(monkeypatch: pytest.MonkeyPatch) -> None:
    assert clock.audit_clock() == int(os.environ["SOURCE_DATE_EPOCH"]) == clock.clock()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    monkeypatch.setattr(clock.time, "time", lambda: 1_900_000_800.5)
    assert (clock.clock(), clock.audit_clock()) == (1_900_000_800, 1_900_000_800 // HOUR * HOUR + HOUR)
    monkeypatch.setattr(clock.time, "time", lambda: 1_900_000_800 // HOUR * HOUR)
    assert clock.audit_clock() == 1_900_000_800 // HOUR * HOUR + HOUR


def stored_states(root: Path) -> dict[str, int]:
    """The report states stored for the repository at ``root``, with the number of values of each."""
    store = Cache(cache_dir(GitRepository(root).common_dir) / "cache.sqlite")
    try:
        rows = store._query("SELECT key FROM entries WHERE kind LIKE 'report:%'")
    finally:
        store.close()
    states: dict[str, int] = {}
    for (key,) in rows:
        states[key.split("/")[0]] = states.get(key.split("/")[0], 0) + 1
    return states


def test_the_last_three_states_are_kept(project: RepoBuilder) -> None:
    new = project.root / "pkg" / "new.py"
    run(project.root)  # state 0: HEAD
    for n in (1, 2):
        new.write_text(f"Y = {n}\n")
        run(project.root)
    assert len(stored_states(project.root)) == 3
    new.unlink()
    assert_fresh_equals_cached(project.root, cached=True)  # state 0 again: now the last used
    new.write_text("Y = 3\n")
    run(project.root)  # a fourth state: state 1, used longest ago, goes
    assert sorted(stored_states(project.root).values()) == [len(FORMAT_NAMES) + 1] * 3  # and the "used" mark
    new.write_text("Y = 1\n")
    assert_fresh_equals_cached(project.root, cached=False)
    new.write_text("Y = 2\n")
    assert_fresh_equals_cached(project.root, cached=False)  # dropped when state 1 came back
    new.unlink()
    assert_fresh_equals_cached(project.root, cached=False)


def test_a_report_cut_short_by_the_time_limit_is_not_stored(
    project: RepoBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = docstrings.analyse

    def endless_for_more(tree: ast.Module, filename: str) -> tuple[docstrings.DocNode, ...]:
        """Never end on pkg/more.py: a file whose analysis runs away."""
        while filename.endswith("more.py"):
            pass
        return real(tree, filename)

    monkeypatch.setattr(docstrings, "analyse", endless_for_more)
    monkeypatch.setenv(timelimit.TIME_LIMIT_ENV, "0.05")
    first, outcome = run(project.root)
    assert not outcome.from_cache and "not-analysed" in first["json"]
    second, outcome = run(project.root)
    assert not outcome.from_cache  # depends on the machine's speed: audited again


def test_placeholders_are_stamp_sized_and_pass_escaping() -> None:
    tokens = {reportcache.token() for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(t) == reportcache.STAMP_LENGTH == len("2026-01-31T12:00:00Z") and t.isalnum() for t in tokens)
    assert reportcache.stamp(b"a TOKEN b TOKEN", b"TOKEN", "2026-01-31T12:00:00Z") == (
        b"a 2026-01-31T12:00:00Z b 2026-01-31T12:00:00Z"
    )


def test_cli_writes_cached_reports_and_the_same_exit_code(project: RepoBuilder, tmp_path: Path) -> None:
    from oshealth.cli import run as cli_run

    out = tmp_path / "out"
    out.mkdir()
    argv = ["audit", str(project.root), "--fail-under", "9.9", "--output-dir", str(out), "--no-progress"]
    argv += [arg for name in FORMAT_NAMES for arg in ("-f", name)]
    fingerprint._source_digest.cache_clear()
    assert cli_run(argv) == 1
    first = {path.name: path.read_bytes() for path in out.iterdir()}
    assert cli_run(argv) == 1
    second = {path.name: path.read_bytes() for path in out.iterdir()}
    assert first == second
    assert sorted(first) == sorted(FORMATS[name].filename for name in FORMAT_NAMES)


def _stored_json(root: Path) -> bytes:
    """The stored value of the JSON report, as it is in the database."""
    store = Cache(cache_dir(GitRepository(root).common_dir) / "cache.sqlite")
    try:
        rows = store._query("SELECT value FROM entries WHERE kind LIKE 'report:%' AND key LIKE '%/json'")
    finally:
        store.close()
    assert len(rows) == 1
    return bytes(rows[0][0])


def test_stored_reports_are_compressed(project: RepoBuilder) -> None:
    texts, _ = run(project.root)
    header, _, body = _stored_json(project.root).partition(b"\n")
    token = json.loads(header)["token"]
    written = texts["json"].replace(json.loads(texts["json"])["generated_at"], token)
    assert zlib.decompress(body).decode("utf-8") == written
    assert len(body) * 3 < len(texts["json"])


@pytest.mark.parametrize("damage", [b"{broken", b'{"token": "x", "gate_failed": false}\nnot zlib'])
def test_a_damaged_stored_report_is_a_miss(project: RepoBuilder, damage: bytes) -> None:
    run(project.root)
    store = Cache(cache_dir(GitRepository(project.root).common_dir) / "cache.sqlite")
    try:
        store._write("UPDATE entries SET value = ? WHERE kind LIKE 'report:%' AND key LIKE '%/json'", [(damage,)])
    finally:
        store.close()
    assert _stored_json(project.root) == damage
    assert_fresh_equals_cached(project.root, cached=False)
    assert_fresh_equals_cached(project.root, cached=True)


def test_a_stored_report_goes_to_stdout_as_it_was_printed(project: RepoBuilder) -> None:
    import subprocess
    import sys

    argv = [sys.executable, "-m", "oshealth", "audit", str(project.root), "-f", "json", "--no-progress"]
    env = dict(os.environ, OSHEALTH_LOG="debug")
    first = subprocess.run(argv, capture_output=True, check=False, env=env)
    second = subprocess.run(argv, capture_output=True, check=False, env=env)
    assert (first.returncode, second.returncode) == (0, 0), second.stderr
    assert first.stdout == second.stdout
    assert first.stdout.count(b'"generated_at": "2024-12-31T00:00:00Z"') == 1
    # the first run collected the facts; the second read its report back without collecting anything
    assert b"collected:" in first.stderr and b"collected:" not in second.stderr


def test_a_plugin_check_edited_audits_afresh(project: RepoBuilder, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib
    import sys

    from tests.plugins import GOOD_PLUGIN, install_plugin

    site = install_plugin(tmp_path / "site", "oshealth-notice", "notice_check", GOOD_PLUGIN,
                          "has-notice = notice_check:HasNotice")
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    first = assert_fresh_equals_cached(project.root, cached=False)
    assert '"id": "has-notice"' in first["json"] and '"reason": "no NOTICE file"' in first["json"]
    assert_fresh_equals_cached(project.root, cached=True)
    (site / "notice_check.py").write_text(GOOD_PLUGIN.replace("no NOTICE file", "NOTICE missing"))
    monkeypatch.delitem(sys.modules, "notice_check")
    second = assert_fresh_equals_cached(project.root, cached=False)
    assert '"reason": "NOTICE missing"' in second["json"]
