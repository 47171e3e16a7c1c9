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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from oshealth import ci, history, incremental, parallel
from oshealth import facts as facts_module
from oshealth.analysis import docstyle, pyfile
from oshealth.cache import Cache
from oshealth.config import Config
from oshealth.gate import revision_style
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
    base: Tree,
    head: Tree,
    config: Config,
    workdir: Path,
    *,
    style: bool,
    cache: Cache | None,
    stats: CollectStats,
    jobs: int | None = None,
) -> tuple[facts_module.RepoFacts, facts_module.RepoFacts]:
    """The audit's facts of the base and of the head.

    Args:
        repo: The repository.
        base: The base's tree (an ancestor of the head).
        head: The head's tree.
        config: The configuration in force.
        workdir: An empty folder: the docstring-style engine's files are written there, and it stands as the root.
        style: Whether to judge docstring style (the docstring-style check runs).
        cache: The repository's cache, or None.
        stats: Receives what was reused and what was computed (summed over the ends).
        jobs: The most processes analysing files (None: every core).

    Returns:
        The base's facts and the head's.
    """
    with concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="oshealth-ends") as pool:
        # git log and its parsing, and the files written for the style engine, go on beside the analysis
        reading = pool.submit(_histories, repo, base.sha, head.sha, cache, stats)
        writing = pool.submit(_documents_and_base_files, repo, base, head, workdir if style else None)
        records = analyse_records(repo, [base, head], incremental.settings_digest(config.check_options), cache,
                                  stats, jobs)
        (base_commits, head_commits), (raw, written) = reading.result(), writing.result()
    styles: tuple[docstyle.DocstyleFacts | None, docstyle.DocstyleFacts | None] = (None, None)
    if style:
        styles = revision_style.styles(repo, (base, head), records, raw, config, workdir, written, cache, stats)
    tags, shallow, now = tuple(repo.tags()), repo.is_shallow(), facts_module.clock()

    def facts_of(end: int, tree: Tree, commits: tuple[Commit, ...]) -> facts_module.RepoFacts:
        """One end's facts."""
        reachable = {c.sha for c in commits}
        return facts_module.RepoFacts(
            root=workdir, head=tree.sha, branch=None, is_shallow=shallow, files=tree.files,
            python_files=tuple(records[(p, tree.blobs[p])] for p in tree.python), documents=_texts(raw[end]),
            commits=commits, tags=tuple(t for t in tags if t.sha in reachable), now=now, config=config,
            docstyle=styles[end],
        )

    return facts_of(0, base, base_commits), facts_of(1, head, head_commits)


def _histories(repo: GitRepository, base: str, head: str, cache: Cache | None,
               stats: CollectStats) -> tuple[tuple[Commit, ...], tuple[Commit, ...]]:
    """The histories of the base and of the head, read once (from the cache where it has them)."""
    head_commits = history.read_history(repo, cache=cache, stats=stats, progress=None, revision=head)
    return base_history(repo, base, head_commits), head_commits


def _documents_and_base_files(repo: GitRepository, base: Tree, head: Tree,
                              workdir: Path | None) -> tuple[list[dict[str, bytes]], dict[str, str]]:
    """Both ends' documents, and the base's files written in ``workdir`` for the style engine (if given)."""
    raw = read_documents(repo, [base, head])
    written: dict[str, str] = {}
    if workdir is not None:
        revision_style.sync(repo, base, raw[0], workdir, written)
    return raw, written


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
    source = _file_sources(trees)
    keys = {} if cache is None else {k: cache.key("python", k[0], k[1], settings) for k in source}
    records = _cached(cache, keys)
    read = _read_files(repo, [k for k in sorted(source) if k not in records], source)
    stats.files_cached += len(records)
    stats.files_analysed += len(read)
    contents = [(k[0], data) for k, data in read]
    stats.workers = parallel.workers_for(contents, jobs)
    fresh = dict(zip([k for k, _ in read], parallel.analyse_files(contents, jobs, lambda _batch: None), strict=True))
    if cache is not None:
        _store(cache, keys, fresh)
    records.update(fresh)
    return records


def _file_sources(trees: Sequence[Tree]) -> dict[FileKey, str]:
    """Each distinct Python file of the trees, and the first of the trees that holds it.

    Args:
        trees: The ends.

    Returns:
        A revision to read each ``(path, blob id)`` from.
    """
    source: dict[FileKey, str] = {}
    for tree in trees:
        for path in tree.python:
            source.setdefault((path, tree.blobs[path]), tree.sha)
    return source


def _store(cache: Cache, keys: Mapping[FileKey, str], fresh: Mapping[FileKey, pyfile.PythonFile]) -> None:
    """Keep the records just made in the cache.

    A record cut short by the time limit depends on the machine, so it is not kept.

    Args:
        cache: The cache.
        keys: Each file's cache key.
        fresh: The records just made, by file.
    """
    cache.put_many("python", [(keys[k], r) for k, r in fresh.items() if not r.timed_out])


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
    """Each tree's documents as the audit reads them, as bytes, each distinct blob read once.

    The documents are the root files and those of the document folders, and the
    scripts the CI configurations among them run (see :func:`oshealth.ci.called_scripts`).
    """
    paths = [[p for p in tree.files if is_document(p)] for tree in trees]
    by_blob = _document_blobs(repo, trees, paths, {})
    scripts = [_ci_scripts(tree, chosen, by_blob) for tree, chosen in zip(trees, paths, strict=True)]
    _document_blobs(repo, trees, scripts, by_blob)
    return [
        {p: by_blob[b] for p in sorted({*chosen, *extra}) if (b := tree.blobs.get(p, "")) in by_blob}
        for tree, chosen, extra in zip(trees, paths, scripts, strict=True)
    ]


def _ci_scripts(tree: Tree, documents: Sequence[str], by_blob: Mapping[str, bytes]) -> list[str]:
    """The files of ``tree`` its CI configurations run as scripts."""
    files = set(tree.files)
    configs = [by_blob.get(tree.blobs.get(p, ""), b"") for p in documents if ci.is_ci_config(p)]
    return sorted({s for text in configs for s in ci.called_scripts(text.decode("utf-8", "replace"), files)})


def _document_blobs(
    repo: GitRepository, trees: Sequence[Tree], paths: Sequence[Sequence[str]], by_blob: dict[str, bytes]
) -> dict[str, bytes]:
    """Read into ``by_blob`` the bytes of ``paths`` of each tree, by blob id, each read from the last tree holding it.

    Args:
        repo: The repository.
        trees: The trees.
        paths: The files wanted of each tree.
        by_blob: The blobs already read; filled in place.

    Returns:
        ``by_blob``.
    """
    for tree, chosen in reversed(list(zip(trees, paths, strict=True))):
        wanted = [p for p in chosen if p in tree.blobs and tree.blobs[p] not in by_blob]
        for path, data in repo.read_blobs(tree.sha, wanted).items():
            by_blob[tree.blobs[path]] = data
    return by_blob


def _texts(documents: Mapping[str, bytes]) -> dict[str, str]:
    """The documents' texts, as the audit reads them: neither too large nor binary."""
    return {
        p: data.decode("utf-8", errors="replace")
        for p, data in documents.items()
        if len(data) <= facts_module.MAX_DOCUMENT_BYTES and b"\0" not in data
    }
