"""The cache: per-file records, docstring style, history and release facts reused, never wrong.

Every test compares what a cached run collects with what a run without a
cache collects (whole facts, or whole JSON reports byte for byte), and counts
what was reused in the run's :class:`~oshealth.incremental.CollectStats`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import ruff

import oshealth
from oshealth import cache as cache_module
from oshealth import cachefile, facts, fingerprint, history
from oshealth import config as config_module
from oshealth.analysis import docstyle_engines
from oshealth.audit import run_audit
from oshealth.cli import run
from oshealth.facts import RepoFacts
from oshealth.git import GitRepository
from oshealth.incremental import CollectStats
from tests.gitrepo import BASE_TIME, DAY, RepoBuilder, git

MODULE = '"""A module."""\n\n\ndef documented(x):\n    """Return x."""\n    return x\n\n\ndef bare(y):\n    return y\n'


def cache_path(root: Path) -> Path:
    """The database of the repository's default cache."""
    return root / ".git" / "oshealth" / cachefile.DB_NAME


def collect(
    root: Path, overrides: dict[str, Any] | None = None, use_cache: bool = True
) -> tuple[RepoFacts, CollectStats]:
    """Collect facts as the audit does (the default cache folder), with the run's statistics."""
    # the namespace holds a digest of oshealth's source, read again here as a new process (a run) would
    fingerprint._source_digest.cache_clear()
    repo = GitRepository(root)
    config = config_module.load(repo.root, overrides)
    store = cache_module.Cache.open(cachefile.cache_dir(repo.common_dir)) if use_cache else None
    stats = CollectStats()
    try:
        return facts.collect(repo, config, cache=store, jobs=1, stats=stats), stats
    finally:
        if store is not None:
            store.close()


def uncached(root: Path, overrides: dict[str, Any] | None = None) -> RepoFacts:
    """The facts a run without a cache collects."""
    return collect(root, overrides, use_cache=False)[0]


def project(builder: RepoBuilder, count: int = 4) -> Path:
    """A repository of ``count`` modules in a package, committed by two authors."""
    files = {f"pkg/m{i}.py": MODULE + f"\nVALUE = {i}\n" for i in range(count)}
    builder.commit({"pkg/__init__.py": '"""Package."""\n', **files}, author="Ann <ann@example.com>")
    builder.commit({"pkg/m0.py": MODULE + "\nVALUE = 10\n"}, author="Bob <bob@example.com>")
    return builder.root


def audit_json(root: Path, *flags: str) -> bytes:
    """The JSON report of ``oshealth audit`` in this process."""
    out = root.parent / "report.json"
    assert run(["audit", str(root), "-f", "json", "-o", str(out), "--jobs", "1", *flags]) == 0
    return out.read_bytes()


def test_second_run_reuses_everything_and_collects_the_same(builder: RepoBuilder) -> None:
    root = project(builder)
    first, cold = collect(root)
    assert (cold.files_cached, cold.files_analysed, cold.history, cold.commits_read) == (0, 5, "read", 2)
    assert (cold.style_cached, cold.style_checked) == (0, 5)
    second, warm = collect(root)
    assert (warm.files_cached, warm.files_analysed, warm.history, warm.commits_read) == (5, 0, "cached", 0)
    assert (warm.style_cached, warm.style_checked) == (5, 0)
    assert first == second == uncached(root)
    assert git(root, "status", "--porcelain") == ""  # the work tree is never dirtied


def test_progress_of_a_cached_run(builder: RepoBuilder) -> None:
    root = project(builder)
    run_audit(root, jobs=1)
    messages: list[str] = []
    run_audit(root, progress=messages.append, jobs=1)
    assert [m for m in messages if m.startswith(("files", "commits"))] == ["files: 5/5", "commits: 2"]


def test_a_changed_file_is_analysed_again_and_the_others_reused(builder: RepoBuilder) -> None:
    root = project(builder)
    collect(root)
    (root / "pkg" / "m2.py").write_text(MODULE + '\n\ndef more():\n    """More."""\n', encoding="utf-8")
    changed, stats = collect(root)
    assert (stats.files_cached, stats.files_analysed, stats.style_cached, stats.style_checked) == (4, 1, 4, 1)
    assert changed == uncached(root)
    record = next(f for f in changed.python_files if f.path == "pkg/m2.py")
    assert [n.name for n in record.doc_nodes if n.node_type == "FunctionDef"] == ["documented", "bare", "more"]


def test_records_cut_short_by_the_time_limit_are_not_kept(
    builder: RepoBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    functions = "".join(f"\n\ndef f{i}(a):\n    return [x for x in range(a) if x % {i + 2}]\n" for i in range(400))
    builder.commit({"big.py": MODULE + functions, "small.py": MODULE})
    monkeypatch.setenv("OSHEALTH_FILE_TIME_LIMIT", "0.0001")
    hurried, stats = collect(builder.root)
    stopped = [f.path for f in hurried.python_files if f.timed_out]
    assert "big.py" in stopped and stats.files_analysed == 2
    monkeypatch.delenv("OSHEALTH_FILE_TIME_LIMIT")
    calm, stats = collect(builder.root)
    assert (stats.files_cached, stats.files_analysed) == (2 - len(stopped), len(stopped))
    assert not any(f.timed_out for f in calm.python_files) and calm == uncached(builder.root)


def test_check_options_are_part_of_the_key_other_settings_are_not(builder: RepoBuilder) -> None:
    root = project(builder)
    collect(root)
    _, same = collect(root, {"fail-under": 5.0, "ignore": ["activity"]})
    assert (same.files_cached, same.files_analysed) == (5, 0)
    (root / ".oshealth.toml").write_text("[checks.complexity]\nmax-complexity = 5\n", encoding="utf-8")
    changed, stats = collect(root)
    assert (stats.files_cached, stats.files_analysed) == (0, 5)
    assert changed == uncached(root)


def test_a_new_oshealth_version_starts_afresh(builder: RepoBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(builder)
    collect(root)
    monkeypatch.setattr(oshealth, "__version__", "99.0.0")
    _, stats = collect(root)
    assert (stats.files_cached, stats.files_analysed, stats.history) == (0, 5, "read")


def test_a_convention_change_runs_the_style_engine_again(builder: RepoBuilder) -> None:
    root = project(builder)
    collect(root)
    (root / ".oshealth.toml").write_text('[checks.docstring-style]\nconvention = "numpy"\n', encoding="utf-8")
    numpy, stats = collect(root)
    assert (stats.style_cached, stats.style_checked) == (0, 5)
    assert numpy.docstyle is not None and numpy.docstyle.convention == "numpy"
    assert numpy == uncached(root)


def test_a_failing_style_engine_is_reported_as_without_a_cache(
    builder: RepoBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(builder)
    collect(root)
    (root / "pkg" / "m1.py").write_text(MODULE + "\nCHANGED = 1\n", encoding="utf-8")
    fake = root.parent / "fake-ruff"
    fake.write_text("#!/bin/sh\necho 'error: something broke' >&2\nexit 2\n")
    fake.chmod(0o755)
    monkeypatch.setattr(ruff, "find_ruff_bin", lambda: str(fake))
    monkeypatch.setattr(docstyle_engines, "_beside_interpreter", lambda: None)
    broken, stats = collect(root)
    assert broken.docstyle is not None and broken.docstyle.error == "ruff failed (exit 2): error: something broke"
    assert broken == uncached(root) and stats.style_checked == 5  # the whole run made again, as without a cache
    monkeypatch.undo()
    _, stats = collect(root)
    assert (stats.style_cached, stats.style_checked) == (4, 1)  # nothing of the failed run was kept


def test_a_file_that_is_not_a_database_is_rebuilt(builder: RepoBuilder) -> None:
    root = project(builder)
    reference = audit_json(root, "--no-cache")
    assert not cache_path(root).exists()  # --no-cache leaves nothing behind
    cache_path(root).parent.mkdir(mode=0o700)
    cache_path(root).write_bytes(b"this is not a database" * 100)
    assert audit_json(root) == reference
    _, stats = collect(root)
    assert (stats.files_cached, stats.history) == (5, "cached")


def test_damaged_values_are_misses(builder: RepoBuilder) -> None:
    root = project(builder)
    audit_json(root)
    with contextlib.closing(sqlite3.connect(cache_path(root))) as db, db:
        db.execute("UPDATE entries SET value = x'789c00' WHERE rowid % 2 = 0")
        db.execute("UPDATE histories SET value = x'00'")
        db.execute("UPDATE entries SET value = x'00' WHERE kind LIKE 'history-summary:%' OR kind = 'pythons'")
        damaged = db.execute("SELECT count(*) FROM entries WHERE kind = 'python' AND value = x'789c00'").fetchone()[0]
    again, stats = collect(root)
    assert damaged > 0 and (stats.files_cached, stats.files_analysed) == (5 - damaged, damaged)
    assert stats.history == "read" and again == uncached(root)


def test_damaged_stored_commits_are_read_from_git_when_asked_for(builder: RepoBuilder) -> None:
    root = project(builder)
    collect(root)
    with contextlib.closing(sqlite3.connect(cache_path(root))) as db, db:
        db.execute("UPDATE histories SET value = x'00'")
    again, stats = collect(root)
    # the summary the checks read is intact: the commits, asked for, come from git
    assert stats.history == "cached" and again == uncached(root)
    assert [c.sha for c in again.commits] == builder.commits[::-1]


def test_a_folder_others_may_write_is_not_used(builder: RepoBuilder, caplog: pytest.LogCaptureFixture) -> None:
    root = project(builder)
    folder = cache_path(root).parent
    folder.mkdir()
    folder.chmod(0o777)
    found, stats = collect(root)
    assert "others may write to it" in caplog.text
    assert not cache_path(root).exists() and stats.files_analysed == 5 and found == uncached(root)


def test_the_cache_folder_can_be_moved(builder: RepoBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(builder)
    elsewhere = tmp_path / "shared" / "cache"
    monkeypatch.setenv(cachefile.CACHE_ENV, str(elsewhere))
    collect(root)
    assert (elsewhere / cachefile.DB_NAME).is_file() and not cache_path(root).parent.exists()
    assert elsewhere.stat().st_mode & 0o777 == 0o700
    assert collect(root)[1].files_cached == 5


def test_cache_clear(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(builder)
    assert run(["cache", "clear", str(root)]) == 0
    assert capsys.readouterr().out == f"no cache at {cache_path(root)}\n"
    collect(root)
    assert run(["cache", "clear", str(root)]) == 0
    assert capsys.readouterr().out.startswith(f"cleared {cache_path(root)} (")
    with contextlib.closing(sqlite3.connect(cache_path(root))) as db, db:
        assert db.execute("SELECT count(*) FROM entries").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM histories").fetchone() == (0,)
    assert collect(root)[1].files_analysed == 5
    cache_path(root).write_bytes(b"not a database" * 100)
    assert run(["cache", "clear", str(root)]) == 0
    assert capsys.readouterr().out == f"cleared {cache_path(root)} (1,400 bytes)\n"
    assert collect(root)[1].files_analysed == 5


def history_of(found: RepoFacts) -> list[tuple[str, str, tuple[str, ...]]]:
    """The history in order: sha, author and changed paths of each commit."""
    return [(c.sha, c.author_name, tuple(ch.path for ch in c.changes)) for c in found.commits]


def test_new_commits_extend_the_stored_history(builder: RepoBuilder) -> None:
    root = project(builder)
    collect(root)
    builder.commit({"pkg/m1.py": MODULE + "\nVALUE = 11\n"}, author="Cy <cy@example.com>")
    builder.commit({"README.md": "# Project\n"})
    extended, stats = collect(root)
    assert (stats.history, stats.commits_read) == ("extended", 2)
    assert extended == uncached(root)
    assert len(extended.commits) == 4 and extended.commits[0].sha == builder.commits[-1]


def stored_histories(root: Path) -> dict[str, str | None]:
    """The HEADs whose history the cache holds, each with the HEAD its stored part rests on."""
    with contextlib.closing(sqlite3.connect(cache_path(root))) as db:
        return dict(db.execute("SELECT head, base FROM histories"))


def test_commits_on_top_are_stored_as_parts_up_to_a_limit(builder: RepoBuilder) -> None:
    root = project(builder)
    collect(root)
    heads = [builder.commits[-1]]
    for n in range(history.MAX_PARTS + 2):
        heads.append(builder.commit({"pkg/m1.py": MODULE + f"\nVALUE = {100 + n}\n"}))
        found, stats = collect(root)
        assert (stats.history, stats.commits_read) == ("extended", 1)
        assert found == uncached(root)
    # a part above each HEAD before it, until a history of MAX_PARTS parts: then one whole history again
    whole = heads[history.MAX_PARTS]
    assert stored_histories(root) == {heads[-1]: heads[-2], heads[-2]: whole, whole: None}
    assert collect(root)[1].history == "cached"


def test_the_history_a_part_rests_on_is_kept(builder: RepoBuilder) -> None:
    root = project(builder)
    collect(root)
    base = builder.commits[-1]
    for n in range(cache_module.HISTORIES_KEPT + 2):  # new commits made and dropped, as a benchmark does
        top = builder.commit({"pkg/m1.py": MODULE + f"\nVALUE = {200 + n}\n"})
        found, stats = collect(root)
        assert (stats.history, stats.commits_read) == ("extended", 1)
        assert found == uncached(root) and stored_histories(root)[top] == base
        git(root, "reset", "-q", "--hard", base)
    kept = stored_histories(root)
    assert len(kept) == cache_module.HISTORIES_KEPT and kept[base] is None and kept[top] == base
    assert collect(root)[1].history == "cached"


def identity(when: int) -> dict[str, str]:
    """Author and committer of a commit made with plain git, at ``when``."""
    stamp = f"{when} +0000"
    people = {f"GIT_{role}_{key}": value for role in ("AUTHOR", "COMMITTER")
              for key, value in (("NAME", "Dee"), ("EMAIL", "dee@example.com"), ("DATE", stamp))}
    return people


def test_a_merged_old_branch_keeps_git_logs_order(builder: RepoBuilder) -> None:
    root = project(builder)
    fork = builder.commits[0]
    builder.commit({"a.py": "A = 1\n"})
    collect(root)
    # a branch from the first commit, dated between the first and the second: git log puts it among them
    git(root, "checkout", "-q", "-b", "old", fork)
    for offset in (1, 2):
        (root / f"old{offset}.py").write_text(f"OLD = {offset}\n", encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"old {offset}", env=identity(BASE_TIME + DAY + offset * DAY // 3))
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "merge old", "old", env=identity(BASE_TIME + 10 * DAY))
    merged, stats = collect(root)
    assert (stats.history, stats.commits_read) == ("extended", 3)
    assert [c.subject for c in merged.commits] == ["merge old", "change", "change", "old 2", "old 1", "change"]
    assert history_of(merged) == history_of(uncached(root))
    assert merged == uncached(root)


def test_a_rewritten_history_is_read_again(builder: RepoBuilder) -> None:
    root = project(builder)
    collect(root)
    git(root, "commit", "-q", "--amend", "-m", "reworded", env=identity(BASE_TIME + 5 * DAY))
    amended, stats = collect(root)
    assert (stats.history, stats.commits_read) == ("read", 2)
    assert amended == uncached(root) and amended.commits[0].subject == "reworded"
    git(root, "reset", "-q", "--hard", "HEAD~1")  # back to an ancestor of the stored HEADs
    _, stats = collect(root)
    assert stats.history == "read"


def test_a_mailmap_change_invalidates_the_history(builder: RepoBuilder) -> None:
    root = project(builder)
    collect(root)
    (root / ".mailmap").write_text("Robert <bob@example.com>\n", encoding="utf-8")
    mapped, stats = collect(root)
    assert stats.history == "read"
    assert [c.author_name for c in mapped.commits] == ["Robert", "Ann"]
    assert mapped == uncached(root)


def test_release_facts_are_kept_by_tag(builder: RepoBuilder) -> None:
    builder.commit({"pkg/__init__.py": '"""Package."""\n', "CHANGES.md": "# 1.0.0\n\n- First.\n"})
    builder.tag("v1.0.0")
    builder.commit({"pkg/new.py": MODULE, "CHANGES.md": "# 1.1.0\n\n- New.\n\n# 1.0.0\n\n- First.\n"})
    builder.tag("v1.1.0")
    first, cold = collect(builder.root)
    _, warm = collect(builder.root)
    assert (cold.release, warm.release) == ("read", "cached")
    assert first.release_history is not None and [r.tag for r in first.release_history.releases] == [
        "v1.0.0", "v1.1.0"
    ]
    builder.commit({"pkg/later.py": MODULE})
    builder.tag("v1.2.0")
    later, stats = collect(builder.root)
    assert stats.release == "read" and later == uncached(builder.root)


def test_two_concurrent_runs(builder: RepoBuilder, tmp_path: Path) -> None:
    root = project(builder, count=40)
    reference = audit_json(root, "--no-cache")
    runs = [
        subprocess.Popen(command(root, tmp_path / f"run{i}.json"), stderr=subprocess.PIPE) for i in range(2)
    ]
    for proc in runs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert [(tmp_path / f"run{i}.json").read_bytes() for i in range(2)] == [reference, reference]
    _, stats = collect(root)
    assert (stats.files_cached, stats.history, stats.style_cached) == (41, "cached", 41)


def command(root: Path, out: Path) -> list[str]:
    """An ``oshealth audit`` process writing its JSON report to ``out``, on one core."""
    return [sys.executable, "-m", "oshealth", "audit", str(root), "-f", "json", "-o", str(out), "--jobs", "1"]


def stored_files(root: Path) -> int:
    """How many Python file records the cache holds (0 while it does not exist)."""
    if not cache_path(root).exists():
        return 0
    try:
        with contextlib.closing(sqlite3.connect(f"file:{cache_path(root)}?mode=ro", uri=True, timeout=30)) as db:
            return int(db.execute("SELECT count(*) FROM entries WHERE kind = 'python'").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # tables not created yet


def test_a_run_killed_midway_leaves_a_cache_the_next_run_completes(builder: RepoBuilder, tmp_path: Path) -> None:
    body = "".join(
        f'\n\ndef f{i}(a, b):\n    """Doc."""\n    if a > b:\n        return [x for x in range(a) if x % {i + 2}]\n'
        f"    return {{k: v for k, v in zip(range(b), range(a))}}\n"
        for i in range(12)
    )
    root = project(builder, count=120)
    builder.commit({f"pkg/m{i}.py": MODULE + body + f"\nVALUE = {i}\n" for i in range(120)})
    proc = subprocess.Popen(command(root, tmp_path / "killed.json"), stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while stored_files(root) == 0 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL  # killed while analysing, not finished
    stored = stored_files(root)
    assert 0 < stored < 121 and not (tmp_path / "killed.json").exists()
    resumed, stats = collect(root)
    assert (stats.files_cached, stats.files_analysed) == (stored, 121 - stored)
    assert resumed == uncached(root)
    assert audit_json(root) == audit_json(root, "--no-cache")


def old_database(path: Path) -> None:
    """A cache file of an earlier layout: 4 KiB pages, write-ahead log, user_version 1, one entry."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA page_size = 4096")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("CREATE TABLE entries (kind TEXT, key TEXT, value BLOB)")
        db.execute("INSERT INTO entries VALUES ('python', 'k', x'00')")
        db.execute("PRAGMA user_version = 1")
    path.chmod(0o600)


def page_size(path: Path) -> int:
    """The page size of a database file."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        return int(db.execute("PRAGMA page_size").fetchone()[0])


def test_a_database_of_another_layout_is_rebuilt_with_large_pages(tmp_path: Path) -> None:
    path = tmp_path / "cache" / cachefile.DB_NAME
    old_database(path)
    store = cache_module.Cache(path)
    store.put_bytes("report", "k", b"x" * 200_000)
    assert store.get_bytes("report", "k") == b"x" * 200_000
    store.close()
    assert page_size(path) == 65_536
    fresh = tmp_path / "fresh" / cachefile.DB_NAME
    cache_module.Cache(fresh).close()
    assert page_size(fresh) == 65_536


def test_a_database_another_run_holds_keeps_its_pages_and_works(tmp_path: Path) -> None:
    path = tmp_path / "cache" / cachefile.DB_NAME
    old_database(path)
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN")
        other.execute("SELECT count(*) FROM entries").fetchone()  # a reader of the old layout, mid-run
        store = cache_module.Cache(path)
        other.execute("COMMIT")
        store.put_bytes("report", "k", b"report")
        assert store.get_bytes("report", "k") == b"report"
        store.close()
    assert page_size(path) == 4096
