"""Per-file shares of a check's result and per-block report text, kept between runs.

A check over Python files (docstring coverage, docstring style, complexity)
works out each file's share, its :class:`FilePart`: the figures the check
adds up and the file's findings as blocks (:mod:`oshealth.findinglist`). A
part is a pure function of the file's record and the check's settings, so it
is stored under a key made of them; a re-audit after one file changed works
out one part and reads the others. The same holds for the text a renderer
writes for a block of findings (:func:`texts`).

Without a :class:`Memo` in force (``--no-cache``, tests, the library used
directly), every part and every text is simply computed: the results are
the same, which the tests compare byte for byte.

The memo is set around the evaluation and the rendering by the audit
(:func:`using`), not passed through the facts: it is a cache, not a fact,
and a check's result does not depend on it.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from oshealth.findinglist import FindingBlock, blocks_of
from oshealth.models import CheckResult, Finding, Status

if TYPE_CHECKING:  # the analysis modules load only when files are analysed
    from oshealth.analysis.pyfile import PythonFile
    from oshealth.cache import Cache

T = TypeVar("T")

#: A file's part, worked out: ``(path, identity, compute)``; ``compute()`` gives the check's figures
#: for the file and its findings (not yet normalised). ``identity`` names the inputs besides the
#: settings (the blob id, and what else the figures depend on); an empty identity is never stored.
FileWork = tuple[str, str, Callable[[], tuple[T, Sequence[Finding]]]]


@dataclass(frozen=True)
class FilePart(Generic[T]):
    """One file's share of a check's result.

    Attributes:
        path: The file.
        value: The check's figures for the file.
        blocks: The file's findings, normalised, as blocks in report order.
    """

    path: str
    value: T
    blocks: tuple[FindingBlock, ...]


class Memo:
    """Parts and texts stored in the cache under keys of their inputs; new ones are stored by :meth:`flush`.

    Attributes:
        cache: The cache.
        context: Mixed into every key: what every record depends on (the check options).
    """

    def __init__(self, cache: Cache, context: str) -> None:
        """A memo reading and writing ``cache``."""
        self.cache = cache
        self.context = context
        self._new: list[tuple[str, str, object]] = []

    def parts(self, check_id: str, settings: str, work: Sequence[FileWork[T]]) -> list[FilePart[T]]:
        """The part of every file, stored ones read, the others worked out."""
        keys = [self._key(check_id, settings, path, identity) for path, identity, _ in work]
        runs = [run for run in runs_of(keys) if all(run)]  # a part that is never stored ends no stored run
        run_keys = [self.cache.key("parts", *run) for run in runs]
        found, read = self._stored_runs(runs, run_keys)
        found.update(self.cache.get_many("part", [k for k in keys if k and k not in found], FilePart))
        parts = [self._part(check_id, key, item, found) for key, item in zip(keys, work, strict=True)]
        self._keep_runs(runs, run_keys, read, found)
        return parts

    def _key(self, check_id: str, settings: str, path: str, identity: str) -> str:
        """A part's key ("" for a part that is not to be stored)."""
        return self.cache.key("part", check_id, settings, self.context, path, identity) if identity else ""

    def _keep_runs(self, runs: Sequence[Sequence[str]], run_keys: Sequence[str], read: set[str],
                   found: dict[str, FilePart[Any]]) -> None:
        """Store the runs that were not read whole (``read``: those that were)."""
        for run, run_key in zip(runs, run_keys, strict=True):
            if run_key not in read:
                self._new.append(("parts", run_key, tuple(found[key] for key in run)))

    def _part(self, check_id: str, key: str, item: FileWork[T], found: dict[str, FilePart[Any]]) -> FilePart[T]:
        """One file's part: the stored one, or worked out now (and kept, when it has a key)."""
        path, _, compute = item
        part = found.get(key)
        if part is not None and part.path == path:
            return part
        part = _compute(check_id, path, compute)
        if key:
            self._new.append(("part", key, part))
            found[key] = part
        return part

    def _stored_runs(
        self, runs: Sequence[Sequence[str]], run_keys: Sequence[str]
    ) -> tuple[dict[str, FilePart[Any]], set[str]]:
        """The parts of the stored runs, by key, and the keys of the runs read whole.

        A run is one row: sympy's 1,600 parts in about 50.
        """
        stored = self.cache.get_many("parts", list(run_keys), tuple, _all_parts)
        found: dict[str, FilePart[Any]] = {}
        read: set[str] = set()
        for run, run_key in zip(runs, run_keys, strict=True):
            if len(stored.get(run_key, ())) == len(run):
                found.update(zip(run, stored[run_key], strict=True))
                read.add(run_key)
        return found, read

    def texts(self, kind: str, blocks: Sequence[FindingBlock], render: Callable[[FindingBlock], str]) -> list[str]:
        """The text of every block for ``kind`` (a format and what else its text depends on)."""
        keys = [self.cache.key("text", kind, block.key) for block in blocks]
        found = self.cache.get_many("text", keys, str)
        out = []
        for key, block in zip(keys, blocks, strict=True):
            text = found.get(key)
            if text is None:
                text = render(block)
                self._new.append(("text", key, text))
            out.append(text)
        return out

    def joined(self, kind: str, blocks: Sequence[FindingBlock], render: Callable[[FindingBlock], str],
               separator: str) -> str:
        """The texts of ``blocks`` joined by ``separator``, read a run of blocks at a time (see :func:`joined`)."""
        runs = _runs(blocks)
        keys = [self.cache.key("run", kind, separator, *(block.key for block in run)) for run in runs]
        found = self.cache.get_many("run", keys, str)
        missing = [run for key, run in zip(keys, runs, strict=True) if key not in found]
        texts = iter(self.texts(kind, [block for run in missing for block in run], render))
        out = []
        for key, run in zip(keys, runs, strict=True):
            text = found.get(key)
            if text is None:
                text = separator.join(next(texts) for _ in run)
                self._new.append(("run", key, text))
            out.append(text)
        return separator.join(out)

    def flush(self) -> None:
        """Store the parts and texts made since the last flush."""
        for kind in ("part", "parts", "text", "run"):
            self.cache.put_many(kind, [(key, value) for k, key, value in self._new if k == kind])
        self._new.clear()


_MEMO: contextvars.ContextVar[Memo | None] = contextvars.ContextVar("oshealth_memo", default=None)


@contextlib.contextmanager
def using(memo: Memo | None) -> Iterator[None]:
    """Let the parts and texts asked for in this block be read from and stored in ``memo``."""
    token = _MEMO.set(memo)
    try:
        yield
    finally:
        _MEMO.reset(token)
        if memo is not None:
            memo.flush()


def identity(record: PythonFile) -> str:
    """What a part made from ``record`` depends on besides the settings: its bytes ("" when cut short by time)."""
    return "" if record.timed_out else record.blob_id


def per_file(check_id: str, settings: str, work: Sequence[FileWork[T]]) -> list[FilePart[T]]:
    """Every file's part of a check, in the order of ``work``.

    Args:
        check_id: The check (its id fingerprints the findings).
        settings: Everything the parts depend on besides each file's identity, as text.
        work: Each file's path, identity and computation.

    Returns:
        The parts; stored ones read from the memo in force, if any.
    """
    memo = _MEMO.get()
    if memo is None:
        return [_compute(check_id, path, compute) for path, _, compute in work]
    return memo.parts(check_id, settings, work)


def texts(kind: str, blocks: Sequence[FindingBlock], render: Callable[[FindingBlock], str]) -> list[str]:
    """The text of each block in one format: ``render(block)``, or the stored text of an equal block.

    Args:
        kind: The format, and anything else the text depends on beside the block's findings.
        blocks: The blocks.
        render: Writes a block's text.
    """
    memo = _MEMO.get()
    if memo is None:
        return list(map(render, blocks))
    return memo.texts(kind, blocks, render)


def stored(kind: str, key: str) -> bytes | None:
    """Bytes kept under ``key`` by an earlier run with :func:`keep` (None without a memo in force)."""
    memo = _MEMO.get()
    return None if memo is None else memo.cache.get_bytes(kind, memo.cache.key(kind, key))


def keep(kind: str, key: str, data: bytes) -> None:
    """Keep bytes for later runs (nothing without a memo in force)."""
    memo = _MEMO.get()
    if memo is not None:
        memo.cache.put_bytes(kind, memo.cache.key(kind, key), data)


def joined(kind: str, blocks: Sequence[FindingBlock], render: Callable[[FindingBlock], str], separator: str) -> str:
    """The texts of ``blocks`` (as :func:`texts` gives them) joined by ``separator``.

    With a memo in force the blocks are cut into runs where their contents
    say (after each block whose key ends a run, and every :data:`RUN_MOST`
    blocks), and each run's joined text is stored: a changed file changes the
    run its block is in, and no other, so a re-audit reads a few hundred runs
    of a report's findings, not one row per block (sympy's JSON: 4,000).
    """
    memo = _MEMO.get()
    if memo is None:
        return separator.join(map(render, blocks))
    return memo.joined(kind, blocks, render, separator)


#: A run of blocks ends after a block whose key's first hexadecimal digits, as a number, this divides...
RUN_EVERY = 32
#: ...or after this many blocks.
RUN_MOST = 128


def _runs(blocks: Sequence[FindingBlock]) -> list[list[FindingBlock]]:
    """The blocks cut into runs at places their own keys choose (so an edit moves no other boundary)."""
    ends = _run_ends([block.key for block in blocks])
    return [list(blocks[start:end]) for start, end in zip([0, *ends], ends, strict=False)]


def runs_of(keys: Sequence[str]) -> list[list[str]]:
    """Keys (hexadecimal, or empty) cut into runs as :func:`joined` cuts blocks.

    A run of stored values is read in one row, and a changed value changes its own run only.
    """
    ends = _run_ends(keys)
    return [list(keys[start:end]) for start, end in zip([0, *ends], ends, strict=False)]


def _run_ends(keys: Sequence[str]) -> list[int]:
    """Where runs end: after each key that ends one, after :data:`RUN_MOST` keys, and at the end."""
    ends = []
    start = 0
    for index, key in enumerate(keys):
        if (key and int(key[:8], 16) % RUN_EVERY == 0) or index + 1 - start == RUN_MOST:
            ends.append(index + 1)
            start = index + 1
    if start < len(keys):
        ends.append(len(keys))
    return ends


def _all_parts(value: tuple[Any, ...]) -> bool:
    """Whether a stored run holds parts only."""
    return all(type(part) is FilePart for part in value)


def _compute(check_id: str, path: str, compute: Callable[[], tuple[T, Sequence[Finding]]]) -> FilePart[T]:
    """Work out one part, its findings normalised as the engine normalises a check's findings."""
    value, findings = compute()
    normal = CheckResult(Status.PASS, None, "", {}, findings).normalized(check_id).findings if findings else ()
    return FilePart(path, value, tuple(blocks_of(normal)))
