"""The audit's facts at both ends of a change, computed together and from the cache.

Each end is read from git objects alone, the same way for both: the
revision's tree (``exclude`` patterns applied) gives the files and their blob
ids. The two ends share almost every file, and the audit's per-file records
are keyed by path and blob id (:mod:`oshealth.incremental`, same keys), so:

* every distinct ``(path, blob)`` of either end is looked up in the
  repository's cache (one filled by ``oshealth audit`` serves both ends), and
  only those it lacks are read and analysed, once, on every core
  (:mod:`oshealth.parallel`);
* the history is read once, from the head (:func:`oshealth.history.read_history`,
  which reuses and extends a stored one), on a thread beside the analysis; the
  base's history is the part of it reachable from the base, in ``git log``'s
  order (``git rev-list``);
* documents are read once per distinct blob;
* the docstring-style engine, which reads files, runs in one folder holding
  the Python and settings files of the base, then of the head (only the
  changed files rewritten), and only on files whose verdict the cache lacks.

The facts equal those of reading each end on its own without a cache.
"""

from __future__ import annotations

import concurrent.futures
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oshealth import facts as facts_module
from oshealth import history, incremental, parallel
from oshealth.analysis import docstyle, pyfile
from oshealth.cache import Cache
from oshealth.config import Config
from oshealth.gate.collect import SETTINGS_FILES
from oshealth.git import Commit, GitRepository
from oshealth.incremental import CollectStats

__all__ = ["Tree", "base_history", "collect_ends", "is_document", "read_tree"]

#: A file's identity: its path and its blob id.
FileKey = tuple[str, str]


@dataclass(frozen=True)
class Tree:
    """One end's files.

    Attributes:
        sha: The commit id.
        files: Every path of its tree (``exclude`` patterns applied), sorted.
        blobs: Path -> blob id, for the files that are blobs (not submodules).
    """

    sha: str
    files: tuple[str, ...]
    blobs: Mapping[str, str]

    @property
    def python(self) -> list[str]:
        """The ``.py`` files that are blobs, in path order."""
        return [p for p in self.files if p.endswith(".py") and p in self.blobs]


def read_tree(repo: GitRepository, sha: str, config: Config) -> Tree:
    """The files of one revision and their blob ids (nothing read but the tree)."""
    entries = {p: blob for p, blob in repo.tree_entries(sha).items() if not config.is_excluded(p)}
    return Tree(sha, tuple(entries), {p: blob for p, blob in entries.items() if blob is not None})


def is_document(path: str) -> bool:
    """A root file or a file under the audit's document folders (as :mod:`oshealth.facts` reads them)."""
    head, _, _ = path.partition("/")
    return "/" not in path or head in facts_module.DOCUMENT_FOLDERS


def collect_ends(
    repo: GitRepository,
    trees: Sequence[Tree],
    config: Config,
    workdir: Path,
    *,
    style: bool,
    cache: Cache | None,
    stats: CollectStats,
    jobs: int | None = None,
) -> list[facts_module.RepoFacts]:
    """The audit's facts of each tree; the last one is the head, the others its ancestors.

    Args:
        repo: The repository.
        trees: The ends, the head last.
        config: The configuration in force.
        workdir: An empty folder: the docstring-style engine's files are written there, and it stands as the root.
        style: Whether to judge docstring style (the docstring-style check runs).
        cache: The repository's cache, or None.
        stats: Receives what was reused and what was computed (summed over the ends).
        jobs: The most processes analysing files (None: every core).

    Returns:
        One facts object per tree, in order.
    """
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="oshealth-history") as pool:
        # git log and its parsing run beside the file analysis, as in an audit
        reading = pool.submit(history.read_history, repo, cache=cache, stats=stats, progress=None,
                              revision=trees[-1].sha)
        records = analyse_records(repo, trees, incremental.settings_digest(config.check_options), cache, stats, jobs)
        head_commits = reading.result()
    raw = read_documents(repo, trees)
    styles = _styles(repo, trees, records, raw, config, workdir, cache, stats) if style else [None] * len(trees)
    tags, shallow, now = tuple(repo.tags()), repo.is_shallow(), facts_module.clock()
    ends = []
    for tree, documents, docstyle_facts in zip(trees, raw, styles, strict=True):
        commits = head_commits if tree.sha == trees[-1].sha else base_history(repo, tree.sha, head_commits)
        reachable = {c.sha for c in commits}
        ends.append(facts_module.RepoFacts(
            root=workdir, head=tree.sha, branch=None, is_shallow=shallow, files=tree.files,
            python_files=tuple(records[(p, tree.blobs[p])] for p in tree.python), documents=_texts(documents),
            commits=commits, tags=tuple(t for t in tags if t.sha in reachable), now=now, config=config,
            docstyle=docstyle_facts,
        ))
    return ends


def base_history(repo: GitRepository, sha: str, head_commits: Sequence[Commit]) -> tuple[Commit, ...]:
    """The history of an ancestor of the head: the head's commits it reaches, in ``git log``'s order.

    Args:
        repo: The repository.
        sha: The ancestor.
        head_commits: The head's history.

    Returns:
        What ``git log sha`` gives (read from git when the head's history lacks a commit).
    """
    order = repo.rev_list(sha)
    by_sha = {c.sha: c for c in head_commits}
    if all(s in by_sha for s in order):
        return tuple(by_sha[s] for s in order)
    return tuple(repo.iter_history(sha))


def analyse_records(repo: GitRepository, trees: Sequence[Tree], settings: str, cache: Cache | None,
                    stats: CollectStats, jobs: int | None) -> dict[FileKey, pyfile.PythonFile]:
    """The record of every distinct ``(path, blob)`` of the trees' Python files: cached, or read and analysed once.

    Args:
        repo: The repository.
        trees: The ends.
        settings: :func:`oshealth.incremental.settings_digest` of the check options.
        cache: The cache, or None.
        stats: Receives the counts.
        jobs: The most processes analysing files.

    Returns:
        Records by ``(path, blob id)``.
    """
    source: dict[FileKey, str] = {}  # each file, and a revision holding it
    for tree in trees:
        for path in tree.python:
            source.setdefault((path, tree.blobs[path]), tree.sha)
    keys = {} if cache is None else {k: cache.key("python", k[0], k[1], settings) for k in source}
    records = _cached(cache, keys)
    read = _read_files(repo, [k for k in sorted(source) if k not in records], source)
    stats.files_cached += len(records)
    stats.files_analysed += len(read)
    contents = [(k[0], data) for k, data in read]
    stats.workers = parallel.workers_for(contents, jobs)
    fresh = dict(zip([k for k, _ in read], parallel.analyse_files(contents, jobs, lambda _batch: None), strict=True))
    if cache is not None:  # a record cut short by the time limit depends on the machine: not kept
        cache.put_many("python", [(keys[k], r) for k, r in fresh.items() if not r.timed_out])
    records.update(fresh)
    return records


def _cached(cache: Cache | None, keys: Mapping[FileKey, str]) -> dict[FileKey, pyfile.PythonFile]:
    """The stored records, by file (a record of another path is a miss)."""
    if cache is None:
        return {}
    by_key = cache.get_many("python", sorted(set(keys.values())), pyfile.PythonFile)
    return {k: by_key[key] for k, key in keys.items() if key in by_key and by_key[key].path == k[0]}


def _read_files(repo: GitRepository, missing: Sequence[FileKey],
               source: Mapping[FileKey, str]) -> list[tuple[FileKey, bytes]]:
    """The bytes of each missing file, read from a revision holding it (one ``cat-file`` per revision)."""
    by_revision: dict[str, list[FileKey]] = {}
    for key in missing:
        by_revision.setdefault(source[key], []).append(key)
    read: dict[FileKey, bytes] = {}
    for sha, wanted in by_revision.items():
        blobs = repo.read_blobs(sha, [path for path, _ in wanted])
        read.update((key, blobs[key[0]]) for key in wanted if key[0] in blobs)
    return [(key, read[key]) for key in missing if key in read]


def read_documents(repo: GitRepository, trees: Sequence[Tree]) -> list[dict[str, bytes]]:
    """Each tree's documents (root files and document folders) as bytes, each distinct blob read once."""
    by_blob: dict[str, bytes] = {}
    for tree in reversed(trees):
        wanted = [p for p in tree.files if is_document(p) and p in tree.blobs and tree.blobs[p] not in by_blob]
        for path, data in repo.read_blobs(tree.sha, wanted).items():
            by_blob[tree.blobs[path]] = data
    return [{p: by_blob[b] for p in tree.files if is_document(p) and (b := tree.blobs.get(p, "")) in by_blob}
            for tree in trees]


def _texts(documents: Mapping[str, bytes]) -> dict[str, str]:
    """The documents' texts, as the audit reads them: neither too large nor binary."""
    return {
        p: data.decode("utf-8", errors="replace")
        for p, data in documents.items()
        if len(data) <= facts_module.MAX_DOCUMENT_BYTES and b"\0" not in data
    }


def _styles(repo: GitRepository, trees: Sequence[Tree], records: Mapping[FileKey, pyfile.PythonFile],
            raw: Sequence[Mapping[str, bytes]], config: Config, workdir: Path, cache: Cache | None,
            stats: CollectStats) -> list[docstyle.DocstyleFacts | None]:
    """Each tree's docstring style, the engine run in ``workdir`` on the files the cache lacks."""
    options: Mapping[str, Any] = config.check_options.get("docstring-style", {})
    written: dict[str, str] = {}
    found: list[docstyle.DocstyleFacts | None] = []
    for tree, documents in zip(trees, raw, strict=True):
        _sync(repo, tree, documents, workdir, written)
        own = CollectStats()
        ends = [records[(p, tree.blobs[p])] for p in tree.python]
        found.append(incremental.docstyle(workdir, ends, list(tree.files), options, cache=cache, stats=own))
        stats.style_cached += own.style_cached
        stats.style_checked += own.style_checked
    return found


def _sync(repo: GitRepository, tree: Tree, documents: Mapping[str, bytes], workdir: Path,
          written: dict[str, str]) -> None:
    """Make ``workdir`` hold exactly the tree's Python and settings files (``written``: path -> blob id there)."""
    wanted = {p: tree.blobs[p] for p in tree.python}
    wanted.update((f, tree.blobs[f]) for f in SETTINGS_FILES if f in documents)
    for path in [p for p, blob in written.items() if wanted.get(p) != blob]:
        os.remove(_target(workdir, path))
        del written[path]
    new = [p for p in wanted if p not in written]
    blobs = repo.read_blobs(tree.sha, [p for p in new if p not in documents])
    for path in new:
        data = documents[path] if path in documents else blobs.get(path)
        if data is not None:
            target = _target(workdir, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(data)
            written[path] = wanted[path]


def _target(workdir: Path, path: str) -> bytes:
    """Where a repository path is written under ``workdir`` (odd names kept byte for byte)."""
    return os.path.join(os.fsencode(workdir), os.fsencode(path))
