"""oshealth's cache: per-file results, parsed histories and release facts in one SQLite file.

The file lives in the repository's git directory or ``$OSHEALTH_CACHE_DIR``,
in a folder nobody else may write: see :mod:`oshealth.cachefile`.

Keys: each value is stored under a SHA-256 of its inputs (a file's git blob
id and path, the settings that shape it) and of the namespace of
:mod:`oshealth.fingerprint` (versions, and a digest of oshealth's own code).

Safety: values are pickles, read only from that private folder, and a value
that does not decode to the expected record is a miss. SQLite's write-ahead
log, a busy timeout and one transaction per batch make two concurrent runs and
a run killed midway safe: a batch is stored whole or not at all. A cache that
cannot be used makes a run slower, never wrong or failed: the problem is
logged and the run goes on without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import pickle
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from oshealth import collector
from oshealth.cachefile import DB_NAME, CacheRefused, is_corrupt, open_database, remove_files
from oshealth.fingerprint import namespace

log = logging.getLogger(__name__)

T = TypeVar("T")

_DAY = 86_400
#: Entries unused this long are pruned; entries of another namespace after a day.
_KEEP_SECONDS = 30 * _DAY
#: Old entries are looked for at most this often (a run that wrote, an hour after the last search).
_PRUNE_EVERY = 3600
_META, _PRUNED = "meta", "pruned"
#: Parsed histories kept per repository (the last HEADs audited, for incremental reads).
HISTORIES_KEPT = 3
_BATCH = 500


#: zlib's levels by kind of value: the values read on every re-audit (a file's record, a check's part of
#: it, a block's text in a report) are stored without compression (level 0: a zlib stream still, its
#: checksum still catches damage), as reading them back costs a quarter of decompressing them (10 ms for
#: 4,800 parts, not 40; sympy's 39 MB of block texts about 15 ms, not 60) and writing them a tenth; the
#: cache is larger for it (sympy: about 60 MB more). The others at the fastest level.
_LEVELS = {"python": 0, "pythons": 0, "part": 0, "parts": 0, "text": 0, "run": 0}


def encode(value: object, level: int = 1) -> bytes:
    """Serialise a value: a pickle, in a zlib stream of ``level`` (whose checksum also catches damaged bytes)."""
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), level)


def decode(data: bytes, expected: type[T], valid: Callable[[T], bool] = lambda _: True) -> T | None:
    """Read back a value of type ``expected``, or None for anything else (damaged, foreign, stale).

    Call it under :func:`oshealth.collector.paused` when decoding many or large values.
    """
    try:
        value = pickle.loads(zlib.decompress(data))
    except Exception:  # any damage at all is a miss: the value is simply computed again
        return None
    return value if type(value) is expected and valid(value) else None


def _microseconds() -> int:
    """The time as a stored history's ``used`` mark: in microseconds, so that uses within a second keep their order."""
    return time.time_ns() // 1000


def _unreachable(rows: Sequence[tuple[Any, ...]]) -> list[int]:
    """The row ids of stored histories neither among the last kept nor under one of them.

    Args:
        rows: ``(rowid, context, head, base)`` of one repository, last used first.

    Returns:
        The rows to delete.
    """
    parts = {(context, head): base for _, context, head, base in rows}
    kept: set[tuple[str, str]] = set()
    for _, context, head, _ in rows[:HISTORIES_KEPT]:
        where: str | None = head
        while where is not None and (context, where) in parts and (context, where) not in kept:
            kept.add((context, where))
            where = parts[(context, where)]
    return [rowid for rowid, context, head, _ in rows if (context, head) not in kept]


class Cache:
    """The cache database of one run; every failure turns it off for the rest of the run.

    Attributes:
        path: The database file.
        namespace: The namespace mixed into every key (see the module notes).
    """

    def __init__(self, path: Path, namespace_: str | None = None) -> None:
        """Open (or create, or rebuild when it is not a database) the cache at ``path``.

        Raises:
            CacheRefused: The folder is unsafe, or SQLite cannot open the file.
        """
        self.path = path
        self.namespace = namespace_ or namespace()
        self._now = int(time.time())
        self._wrote = False
        # one connection, used by the history's thread and the main one in turn
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = open_database(path)

    @classmethod
    def open(cls, directory: Path) -> Cache | None:
        """The cache in ``directory``, or None (logged) when it cannot be used."""
        try:
            return cls(directory / DB_NAME)
        except (CacheRefused, sqlite3.Error, OSError) as exc:
            log.warning("cache not used: %s", exc)
            return None

    def key(self, *parts: str) -> str:
        """The key of a value computed from ``parts`` (in this namespace)."""
        return hashlib.sha256("\0".join((self.namespace, *parts)).encode("utf-8", "surrogateescape")).hexdigest()

    def get_many(
        self, kind: str, keys: Sequence[str], expected: type[T], valid: Callable[[T], bool] = lambda _: True
    ) -> dict[str, T]:
        """The stored values of ``kind`` under ``keys``; missing or undecodable ones are left out."""
        found: dict[str, T] = {}
        stale: list[str] = []
        for start in range(0, len(keys), _BATCH):
            chunk = keys[start : start + _BATCH]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT key, value, used FROM entries WHERE kind = ? AND key IN ({marks})"
            rows = self._query(sql, kind, *chunk)
            with collector.paused():
                for key, data, used in rows:
                    value = decode(data, expected, valid)
                    if value is not None:
                        found[key] = value
                        if used < self._now - _DAY:
                            stale.append(key)
        if stale:
            self._write("UPDATE entries SET used = ? WHERE kind = ? AND key = ?", [(self._now, kind, k) for k in stale])
        return found

    def present(self, kind: str, keys: Sequence[str]) -> set[str]:
        """Which of ``keys`` have a value of ``kind`` stored (none is read: one may still fail to decode)."""
        found: set[str] = set()
        stale: list[str] = []
        for start in range(0, len(keys), _BATCH):
            chunk = keys[start : start + _BATCH]
            marks = ",".join("?" * len(chunk))
            rows = self._query(f"SELECT key, used FROM entries WHERE kind = ? AND key IN ({marks})", kind, *chunk)
            found.update(key for key, _ in rows)
            stale.extend(key for key, used in rows if used < self._now - _DAY)
        if stale:  # in use, though not read: kept from pruning as read values are
            self._write("UPDATE entries SET used = ? WHERE kind = ? AND key = ?", [(self._now, kind, k) for k in stale])
        return found

    def put_many(self, kind: str, items: Iterable[tuple[str, object]]) -> None:
        """Store values of ``kind`` under their keys, all in one transaction."""
        level = _LEVELS.get(kind, 1)
        rows = [(kind, key, self.namespace, self._now, encode(value, level)) for key, value in items]
        if rows:
            self._write("INSERT OR REPLACE INTO entries (kind, key, ns, used, value) VALUES (?, ?, ?, ?, ?)", rows)

    def get_bytes(self, kind: str, key: str) -> bytes | None:
        """The bytes stored with :meth:`put_bytes` under ``key``, or None."""
        rows = self._query("SELECT value, used FROM entries WHERE kind = ? AND key = ?", kind, key)
        if not rows:
            return None
        data, used = rows[0]
        if used < self._now - _DAY:
            self._write("UPDATE entries SET used = ? WHERE kind = ? AND key = ?", [(self._now, kind, key)])
        return bytes(data)

    def put_bytes(self, kind: str, key: str, data: bytes, *, prune: bool = True) -> None:
        """Store bytes as they are (no pickle: large texts read back without decoding).

        Args:
            kind: The kind of value.
            key: Its key.
            data: The bytes.
            prune: Whether the stored value calls for pruning old entries at :meth:`close`
                (a small mark rewritten on every run does not: it would cost every run a scan).
        """
        sql = "INSERT OR REPLACE INTO entries (kind, key, ns, used, value) VALUES (?, ?, ?, ?, ?)"
        wrote = self._wrote
        self._write(sql, [(kind, key, self.namespace, self._now, data)])
        self._wrote = self._wrote if prune else wrote

    def keys(self, kind: str, prefix: str) -> list[str]:
        """The keys of ``kind`` that start with ``prefix``, sorted."""
        sql = "SELECT key FROM entries WHERE kind = ? AND substr(key, 1, ?) = ? ORDER BY key"
        return [key for (key,) in self._query(sql, kind, len(prefix), prefix)]

    def keep_groups(self, kind: str, length: int, count: int) -> None:
        """Keep the values of ``kind`` of the ``count`` groups stored last; delete the others.

        A group is the keys that share their first ``length`` characters; it
        was stored when its newest value was (rows get ever larger ids: a
        group's latest value, rewritten, marks it as the newest).
        """
        sql = (
            "DELETE FROM entries WHERE kind = ? AND substr(key, 1, ?) NOT IN (SELECT substr(key, 1, ?) FROM entries"
            " WHERE kind = ? GROUP BY substr(key, 1, ?) ORDER BY max(rowid) DESC LIMIT ?)"
        )
        self._write(sql, [(kind, length, length, kind, length, count)])

    def history_heads(self, repo: str, context: str) -> list[str]:
        """The HEADs whose parsed history is stored for ``repo`` and ``context``, last stored first."""
        rows = self._query(
            "SELECT head FROM histories WHERE repo = ? AND context = ? ORDER BY used DESC, rowid DESC", repo, context
        )
        return [head for (head,) in rows]

    def get_history(
        self, repo: str, context: str, head: str, expected: type[T], valid: Callable[[T], bool]
    ) -> T | None:
        """The parsed history stored for ``head``, or None."""
        rows = self._query(
            "SELECT value FROM histories WHERE repo = ? AND context = ? AND head = ?", repo, context, head
        )
        with collector.paused():
            return decode(rows[0][0], expected, valid) if rows else None

    def put_history(self, repo: str, context: str, head: str, value: object, base: str | None = None) -> None:
        """Store the parsed history of ``head``, whole or as the part above the stored history of ``base``.

        The last :data:`HISTORIES_KEPT` HEADs used for ``repo`` are kept, with
        every stored history their parts rest on; the others are deleted.
        """
        row = (repo, context, head, _microseconds(), encode(value), base)
        sql = "INSERT OR REPLACE INTO histories (repo, context, head, used, value, base) VALUES (?, ?, ?, ?, ?, ?)"
        self._write(sql, [row])
        rows = self._query(
            "SELECT rowid, context, head, base FROM histories WHERE repo = ? ORDER BY used DESC, rowid DESC", repo
        )
        self._write("DELETE FROM histories WHERE rowid = ?", [(rowid,) for rowid in _unreachable(rows)])

    def touch_histories(self, repo: str, context: str, heads: Sequence[str]) -> None:
        """Mark the stored histories of ``heads`` as just used (they outlive older ones)."""
        sql = "UPDATE histories SET used = ? WHERE repo = ? AND context = ? AND head = ?"
        used = _microseconds()
        self._write(sql, [(used, repo, context, head) for head in heads])

    def close(self) -> None:
        """Prune what no run has used for long, then close the database."""
        with self._lock:
            self._close_locked()

    def _close_locked(self) -> None:
        """:meth:`close`, the connection held."""
        if self._db is None:
            return
        if self._wrote and self._prune_due():
            old, foreign = self._now - _KEEP_SECONDS, self._now - _DAY
            sql = "DELETE FROM entries WHERE used < ? OR (ns != ? AND used < ?)"
            self._write(sql, [(old, self.namespace, foreign)])
            self._write("DELETE FROM histories WHERE used < ?", [(old * 1_000_000,)])
            mark = "INSERT OR REPLACE INTO entries (kind, key, ns, used, value) VALUES (?, ?, ?, ?, ?)"
            self._write(mark, [(_META, _PRUNED, "", self._now, b"")])
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        self._db = None

    def _prune_due(self) -> bool:
        """Whether the last pruning was over an hour ago (it reads the whole table: sympy's, 0.1 s a run)."""
        rows = self._query("SELECT used FROM entries WHERE kind = ? AND key = ?", _META, _PRUNED)
        return not rows or not 0 <= self._now - int(rows[0][0]) < _PRUNE_EVERY

    def _query(self, sql: str, *args: object) -> list[tuple[Any, ...]]:
        """Run a read; on failure turn the cache off and find nothing."""
        with self._lock:
            if self._db is None:
                return []
            try:
                return list(self._db.execute(sql, args))
            except sqlite3.Error as exc:
                self._fail(exc)
                return []

    def _write(self, sql: str, rows: Sequence[tuple[object, ...]]) -> None:
        """Run one statement over ``rows`` in one transaction; on failure turn the cache off."""
        with self._lock:
            self._write_locked(sql, rows)

    def _write_locked(self, sql: str, rows: Sequence[tuple[object, ...]]) -> None:
        """:meth:`_write`, the connection held."""
        if self._db is None:
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(sql, rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._wrote = True
        except sqlite3.Error as exc:
            self._fail(exc)

    def _fail(self, exc: sqlite3.Error) -> None:
        """Turn the cache off for this run; remove a damaged file so that the next run rebuilds it."""
        log.warning("cache %s not used any further: %s", self.path, exc)
        db, self._db = self._db, None
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()
        if isinstance(exc, sqlite3.DatabaseError) and is_corrupt(exc):
            remove_files(self.path)

