"""Docstring style at both ends of a change: the engine reads files, so they are written once.

The engine (ruff or pydocstyle) runs in one folder that holds the Python and
settings files of the base, then of the head: only the files that differ are
rewritten. At each end the audit's cached verdicts are used
(:func:`oshealth.incremental.docstyle`, same keys as ``oshealth audit``) and
the engine runs on the other files only. A verdict depends only on the
file's path and bytes, the engine and its version, the convention and
whether the folders above it are packages (see
:mod:`oshealth.analysis.docstyle`): when the head has the base's engine,
convention and packages, an unchanged file keeps the base's verdict and only
the changed files are judged at the head.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oshealth import incremental
from oshealth.analysis import docstyle, pyfile
from oshealth.cache import Cache
from oshealth.config import Config
from oshealth.gate.collect import SETTINGS_FILES
from oshealth.git import GitRepository
from oshealth.incremental import CollectStats

if TYPE_CHECKING:
    from oshealth.gate.revision_facts import FileKey, Tree

__all__ = ["styles", "sync"]

Styles = tuple[docstyle.DocstyleFacts, docstyle.DocstyleFacts]


def styles(repo: GitRepository, ends: tuple[Tree, Tree], records: Mapping[FileKey, pyfile.PythonFile],
           raw: Sequence[Mapping[str, bytes]], config: Config, workdir: Path, written: dict[str, str],
           cache: Cache | None, stats: CollectStats) -> Styles:
    """The docstring style of the base and of the head.

    Args:
        repo: The repository.
        ends: The base's tree and the head's.
        records: The Python files' records by ``(path, blob id)``.
        raw: Each end's documents (the settings files are among them).
        config: The configuration in force (the docstring-style check's options).
        workdir: The engine's folder, holding the base's files (``written``: path -> blob id there).
        written: What ``workdir`` holds; updated.
        cache: The cache, or None.
        stats: Receives the counts (summed over both ends).

    Returns:
        What :func:`oshealth.analysis.docstyle.collect` gives over every Python file, at each end.
    """
    base, head = ends
    options: Mapping[str, Any] = config.check_options.get("docstring-style", {})
    base_style = _judge(workdir, base, _records(base, records), options, cache, stats)
    sync(repo, head, raw[1], workdir, written)
    header = docstyle.collect(workdir, [], list(head.files), options)  # engine, version, convention: runs nothing
    if not _same_judge(base, head, base_style, header):
        return base_style, _judge(workdir, head, _records(head, records), options, cache, stats)
    changed = [r for r in _records(head, records) if base.blobs.get(r.path) != head.blobs[r.path]]
    fresh = _judge(workdir, head, changed, options, cache, stats) if changed else header
    if fresh.error:  # the engine failed on the changed files: give what a run over every file gives
        return base_style, _judge(workdir, head, _records(head, records), options, cache, stats)
    kept = {p: style for p, style in base_style.files.items() if p in head.blobs and base.blobs[p] == head.blobs[p]}
    return base_style, dataclasses.replace(base_style, files=dict(sorted({**kept, **fresh.files}.items())))


def _records(tree: Tree, records: Mapping[FileKey, pyfile.PythonFile]) -> list[pyfile.PythonFile]:
    """The tree's Python records, in path order."""
    return [records[(p, tree.blobs[p])] for p in tree.python]


def _judge(workdir: Path, tree: Tree, files: Sequence[pyfile.PythonFile], options: Mapping[str, Any],
           cache: Cache | None, stats: CollectStats) -> docstyle.DocstyleFacts:
    """The style of ``files`` (written in ``workdir``), the engine run on those the cache lacks."""
    own = CollectStats()
    found = incremental.docstyle(workdir, files, list(tree.files), options, cache=cache, stats=own)
    stats.style_cached += own.style_cached
    stats.style_checked += own.style_checked
    return found


def _same_judge(base: Tree, head: Tree, base_style: docstyle.DocstyleFacts, header: docstyle.DocstyleFacts) -> bool:
    """Whether an unchanged file gets the same verdict at both ends: same engine and convention, same packages."""
    if base_style.error is not None or header.error is not None:
        return False
    if dataclasses.replace(base_style, files={}) != dataclasses.replace(header, files={}):
        return False
    return _packages(base) == _packages(head)


def _packages(tree: Tree) -> set[str]:
    """The folders that are packages in the engine's folder (an ``__init__.py`` is written there)."""
    return {posixpath.dirname(p) for p in tree.python if posixpath.basename(p) == "__init__.py"}


def sync(repo: GitRepository, tree: Tree, documents: Mapping[str, bytes], workdir: Path,
         written: dict[str, str]) -> None:
    """Make ``workdir`` hold exactly the tree's Python and settings files.

    Args:
        repo: The repository.
        tree: The end to write.
        documents: Its documents' bytes (the settings files are among them).
        workdir: The engine's folder.
        written: Path -> blob id of what ``workdir`` holds; updated.
    """
    wanted = _wanted_blobs(tree, documents)
    _remove_stale(workdir, wanted, written)
    new = [p for p in wanted if p not in written]
    blobs = repo.read_blobs(tree.sha, [p for p in new if p not in documents])
    folders: set[bytes] = set()
    for path in new:
        data = documents[path] if path in documents else blobs.get(path)
        if data is not None:
            _write(_target(workdir, path), data, folders)
            written[path] = wanted[path]


def _wanted_blobs(tree: Tree, documents: Mapping[str, bytes]) -> dict[str, str]:
    """The files the engine's folder must hold for a tree: its Python files and its settings files.

    Args:
        tree: The end to write.
        documents: Its documents' bytes (the settings files present are among them).

    Returns:
        Path -> blob id.
    """
    wanted = {p: tree.blobs[p] for p in tree.python}
    wanted.update((f, tree.blobs[f]) for f in SETTINGS_FILES if f in documents)
    return wanted


def _remove_stale(workdir: Path, wanted: Mapping[str, str], written: dict[str, str]) -> None:
    """Delete the files of ``workdir`` that the tree lacks or holds with other bytes.

    Args:
        workdir: The engine's folder.
        wanted: Path -> blob id of what it must hold.
        written: Path -> blob id of what it holds; updated.
    """
    for path in [p for p, blob in written.items() if wanted.get(p) != blob]:
        os.remove(_target(workdir, path))
        del written[path]


def _write(target: bytes, data: bytes, folders: set[bytes]) -> None:
    """Write one file, making its folder first unless this sync already did.

    Args:
        target: The file's path.
        data: Its bytes.
        folders: The folders made so far; updated.
    """
    if (folder := os.path.dirname(target)) not in folders:
        os.makedirs(folder, exist_ok=True)
        folders.add(folder)
    with open(target, "wb") as handle:
        handle.write(data)


def _target(workdir: Path, path: str) -> bytes:
    """Where a repository path is written under ``workdir`` (odd names kept byte for byte)."""
    return os.path.join(os.fsencode(workdir), os.fsencode(path))
