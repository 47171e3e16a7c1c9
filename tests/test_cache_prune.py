"""Pruning the cache: old entries go, at most once an hour (the search reads the whole table)."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path

from oshealth.cache import Cache

DAY = 86_400


def kinds_and_keys(path: Path) -> set[tuple[str, str]]:
    """What the database holds, as (kind, key)."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        return {(kind, key) for kind, key in db.execute("SELECT kind, key FROM entries")}


def age(path: Path, key: str, seconds: int) -> None:
    """Make an entry last used ``seconds`` ago."""
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE entries SET used = ? WHERE key = ?", (int(time.time()) - seconds, key))


def store(path: Path, namespace: str, key: str) -> None:
    """One run in ``namespace`` that stores one value."""
    cache = Cache(path, namespace)
    cache.put_many("python", [(key, "value")])
    cache.close()


def test_old_and_foreign_entries_are_pruned_at_most_once_an_hour(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    store(path, "other-version", "foreign-old")
    store(path, "this", "unused-for-31-days")
    store(path, "this", "unused-for-2-days")
    age(path, "foreign-old", 2 * DAY)
    age(path, "unused-for-31-days", 31 * DAY)
    age(path, "unused-for-2-days", 2 * DAY)
    age(path, "pruned", 2 * 3600)  # the first run pruned (nothing): the next search is due in an hour
    store(path, "this", "fresh")
    assert kinds_and_keys(path) == {("python", "unused-for-2-days"), ("python", "fresh"), ("meta", "pruned")}
    store(path, "other-version", "foreign-old-again")
    age(path, "foreign-old-again", 2 * DAY)
    store(path, "this", "fresh-2")  # within the hour: no search
    assert ("python", "foreign-old-again") in kinds_and_keys(path)
    age(path, "pruned", 2 * 3600)
    store(path, "this", "fresh-3")
    assert ("python", "foreign-old-again") not in kinds_and_keys(path)
    assert ("python", "fresh-2") in kinds_and_keys(path)
