"""Stored docstring-style verdicts: read only when asked for, and right even when one cannot be read."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from oshealth import cache as cache_module
from oshealth import cachefile, facts, fingerprint
from oshealth import config as config_module
from oshealth.git import GitRepository
from oshealth.incremental import CollectStats, StoredStyles
from tests.gitrepo import RepoBuilder

MODULE = '"""A module."""\n\n\ndef documented(x):\n    """return x"""\n    return x\n\n\ndef bare(y):\n    return y\n'


def project(builder: RepoBuilder) -> Path:
    """Four modules whose docstrings break style rules."""
    builder.commit({f"m{i}.py": MODULE + f"\nVALUE = {i}\n" for i in range(4)})
    return builder.root


def open_cache(root: Path) -> cache_module.Cache:
    """The repository's default cache, as a new run opens it."""
    fingerprint._source_digest.cache_clear()
    store = cache_module.Cache.open(cachefile.cache_dir(GitRepository(root).common_dir))
    assert store is not None
    return store


def styles(root: Path, store: cache_module.Cache | None) -> facts.RepoFacts:
    """The facts of ``root`` collected with ``store``."""
    repo = GitRepository(root)
    return facts.collect(repo, config_module.load(repo.root), cache=store, jobs=1, stats=CollectStats())


def test_a_re_audit_reads_the_changed_files_verdict_and_no_other(builder: RepoBuilder) -> None:
    root = project(builder)
    store = open_cache(root)
    styles(root, store)
    store.close()
    (root / "m2.py").write_text(MODULE + "\nVALUE = 22\n", encoding="utf-8")
    store = open_cache(root)
    try:
        style = styles(root, store).docstyle
        assert style is not None and isinstance(style.files, StoredStyles)
        assert list(style.files) == ["m0.py", "m1.py", "m2.py", "m3.py"] and len(style.files) == 4
        assert [v.code for v in style.files["m2.py"].violations] == ["D400", "D403", "D103"]
        assert sorted(style.files._known) == ["m2.py"]  # the other three are still only keys
        assert style.files["m0.py"] == style.files["m2.py"]
        assert sorted(style.files._known) == ["m0.py", "m1.py", "m2.py", "m3.py"]
    finally:
        store.close()
    assert style == styles(root, None).docstyle


def test_a_stored_verdict_that_cannot_be_read_is_judged_again(builder: RepoBuilder) -> None:
    root = project(builder)
    store = open_cache(root)
    styles(root, store)
    store.close()
    with sqlite3.connect(open_cache(root).path) as db:
        changed = db.execute("UPDATE entries SET value = x'00' WHERE kind = 'docstyle'").rowcount
    assert changed == 4
    store = open_cache(root)
    try:
        style = styles(root, store).docstyle
        assert style is not None and isinstance(style.files, StoredStyles)
        assert [v.code for v in style.files["m1.py"].violations] == ["D400", "D403", "D103"]
    finally:
        store.close()
    assert style == styles(root, None).docstyle


def test_the_ruff_binary_is_the_one_ruff_finds() -> None:
    import ruff

    from oshealth.analysis.docstyle_engines import _ruff_binary

    assert _ruff_binary() == str(ruff.find_ruff_bin())


def test_records_are_read_a_run_at_a_time(builder: RepoBuilder) -> None:
    root = project(builder)
    store = open_cache(root)
    styles(root, store)
    store.close()
    with contextlib.closing(sqlite3.connect(open_cache(root).path)) as db, db:
        runs = db.execute("SELECT count(*) FROM entries WHERE kind = 'pythons'").fetchone()[0]
        single = db.execute("UPDATE entries SET value = x'00' WHERE kind = 'python'").rowcount
    assert 1 <= runs <= 4 and single == 4  # every record in a run; the rows of single records damaged
    store = open_cache(root)
    try:
        stats = CollectStats()
        repo = GitRepository(root)
        again = facts.collect(repo, config_module.load(repo.root), cache=store, jobs=1, stats=stats)
    finally:
        store.close()
    assert (stats.files_cached, stats.files_analysed) == (4, 0)  # read from the runs
    assert again.python_files == styles(root, None).python_files
