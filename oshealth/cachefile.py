"""The cache's database file: its folder, who may write it, how it is opened, rebuilt and emptied.

Where: ``<git dir>/oshealth/cache.sqlite`` (the common git directory, ``.git``
of the main work tree): one cache per repository, outside the work tree (never
dirtied, never committed) and gone with the clone. ``OSHEALTH_CACHE_DIR``
names another folder instead (one that CI persists, say); several
repositories may share it, since every key is a content address.

Safety: the values are pickles, and loading a pickle can run code, so the
file is opened only in a folder of the user's that nobody else may write
(created with mode 0700). A file that is not a database is removed and
rebuilt; a database of another layout is emptied, and rebuilt with larger
pages once no other run has it open. What is stored in the file, and how, is
:mod:`oshealth.cache`'s part.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from pathlib import Path

from oshealth.errors import UsageError

# the cache's messages keep one logger name, whichever of its modules logs them
log = logging.getLogger("oshealth.cache")

#: Environment variable naming the folder that holds the cache instead of ``<git dir>/oshealth``.
CACHE_ENV = "OSHEALTH_CACHE_DIR"
#: File name of the database in the cache folder.
DB_NAME = "cache.sqlite"
_SCHEMA = 3  # the tables' layout (PRAGMA user_version); another one is dropped and made again
_BUSY_MS = 60_000
# stored reports are tens of megabytes: with 4 KiB pages SQLite chains ten thousand overflow pages per
# report and walks them all to delete one (sympy: storing 0.14 s, pruning 0.15 s per run; 0.06 and 0.03 s)
_PAGE_SIZE = 65_536
_TABLES = """
CREATE TABLE IF NOT EXISTS entries (
    kind TEXT NOT NULL, key TEXT NOT NULL, ns TEXT NOT NULL, used INTEGER NOT NULL, value BLOB NOT NULL,
    PRIMARY KEY (kind, key));
-- a history's `used` is in microseconds; `base` names the history its commits sit on (NULL: whole)
CREATE TABLE IF NOT EXISTS histories (
    repo TEXT NOT NULL, context TEXT NOT NULL, head TEXT NOT NULL, used INTEGER NOT NULL, value BLOB NOT NULL,
    base TEXT, PRIMARY KEY (repo, context, head));
"""


class CacheRefused(UsageError):
    """The cache folder or file is unsafe or unusable; the run goes on without a cache."""


def cache_dir(git_common_dir: Path) -> Path:
    """The folder of a repository's cache: ``$OSHEALTH_CACHE_DIR`` if set, else ``<git dir>/oshealth``."""
    override = os.environ.get(CACHE_ENV, "").strip()
    return Path(override).expanduser() if override else git_common_dir / "oshealth"


def private_dir(directory: Path) -> None:
    """Create the cache folder (mode 0700) and make sure nobody else can write to it.

    Raises:
        CacheRefused: The folder cannot be created, is not a folder, or another
            user owns it or may write to it (its pickles could then run their code).
    """
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = directory.stat()
    except OSError as exc:
        raise CacheRefused(f"cannot create {directory}: {exc.strerror or exc}") from exc
    if not directory.is_dir():
        raise CacheRefused(f"{directory} is not a folder")
    if os.name == "posix" and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        raise CacheRefused(f"{directory} belongs to another user or others may write to it")


def open_database(path: Path) -> sqlite3.Connection:
    """Open (or create, or rebuild when it is not a database) the cache database at ``path``.

    Args:
        path: The database file, in a folder :func:`private_dir` accepts.

    Returns:
        The connection, in autocommit mode, usable from any thread (one at a time).

    Raises:
        CacheRefused: The folder is unsafe, or SQLite cannot open the file.
    """
    private_dir(path.parent)
    try:
        return _connect(path)
    except sqlite3.DatabaseError as exc:
        if not is_corrupt(exc):
            raise CacheRefused(f"cannot open {path}: {exc}") from exc
        log.warning("cache %s is damaged (%s): rebuilt", path, exc)
        remove_files(path)
        return _connect(path)


def _connect(path: Path) -> sqlite3.Connection:
    """Connect, set the write-ahead log and the busy timeout, and create the tables."""
    if path.exists():
        info = path.stat()
        if os.name == "posix" and (info.st_uid != os.getuid() or info.st_mode & 0o022):
            raise CacheRefused(f"{path} belongs to another user or others may write to it")
    db = sqlite3.connect(path, timeout=_BUSY_MS / 1000, isolation_level=None, check_same_thread=False)
    try:
        db.execute(f"PRAGMA page_size = {_PAGE_SIZE}")  # a new file only; see _repage for an old one
        db.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, _SCHEMA):
            db.executescript("DROP TABLE IF EXISTS entries; DROP TABLE IF EXISTS histories;")
            _repage(db)
        db.executescript(_TABLES)
        db.execute(f"PRAGMA user_version = {_SCHEMA}")
    except BaseException:
        db.close()
        raise
    with contextlib.suppress(OSError):
        path.chmod(0o600)
    return db


def _repage(db: sqlite3.Connection) -> None:
    """Rebuild an emptied database with :data:`_PAGE_SIZE` pages, unless another run has it open.

    The page size of a database in write-ahead-log mode is fixed; leaving that
    mode needs the only connection, so a busy database keeps its pages (it
    works as well, only slower) and is rebuilt by a later run.
    """
    if db.execute("PRAGMA page_size").fetchone()[0] == _PAGE_SIZE:
        return
    db.execute("PRAGMA busy_timeout = 0")
    try:
        if db.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete":
            db.execute(f"PRAGMA page_size = {_PAGE_SIZE}")
            db.execute("VACUUM")
    except sqlite3.OperationalError as exc:
        log.info("cache pages not rebuilt: %s", exc)
    finally:
        db.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        db.execute("PRAGMA journal_mode = WAL")


def is_corrupt(exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite says the file is damaged or no database at all (rather than busy, full, read-only)."""
    name = getattr(exc, "sqlite_errorname", "")
    return name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "not a database" in str(exc) or "malformed" in str(exc)


def remove_files(path: Path) -> list[Path]:
    """Delete a database file and its write-ahead log and shared-memory files; return those removed."""
    removed = []
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            name.unlink()
            removed.append(name)
    return removed


def clear(directory: Path) -> int:
    """Empty the cache in ``directory``: every entry and history (another run may be using it).

    Returns:
        The size in bytes of the database before it was emptied (0 when there was none).

    Raises:
        CacheRefused: The folder is unsafe to use, or the database stayed busy or read-only.
    """
    path = directory / DB_NAME
    if not path.exists():
        return 0
    size = sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())
    db = open_database(path)  # a damaged file is rebuilt empty here
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("DELETE FROM entries")
        db.execute("DELETE FROM histories")
        db.execute("COMMIT")
        with contextlib.suppress(sqlite3.OperationalError):  # another run reading it: the space is reused later
            db.execute("VACUUM")
    except sqlite3.DatabaseError as exc:
        if not is_corrupt(exc):
            raise CacheRefused(f"cannot clear {path}: {exc}") from exc
        remove_files(path)  # unreadable anyway: the next run rebuilds it
    finally:
        with contextlib.suppress(sqlite3.Error):
            db.close()
    return size
