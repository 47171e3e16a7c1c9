"""A check's findings kept in blocks (one per file and severity), each decoded only when it is read.

A large audit has tens of thousands of findings, nearly all of them in files
that did not change since the last audit. A :class:`FindingBlock` holds the
normalised findings of one file at one severity as bytes; a
:class:`FindingList` is a check's findings as blocks in report order. Both
behave as sequences of :class:`~oshealth.models.Finding`, so checks, tests and
renderers read them as before; a renderer that keeps its text per block
(:mod:`oshealth.parts`) writes an unchanged block without decoding it.
"""

from __future__ import annotations

import hashlib
import pickle
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import chain
from typing import Any

from oshealth.models import Finding, Severity

_SEVERITIES = {severity.value: severity for severity in Severity}
_Row = tuple[str, str | None, int | None, str, str, str]


def _row(finding: Finding) -> _Row:
    """A finding as plain values (a pickle of these is about a third of the size and time of one of findings)."""
    return (finding.message, finding.path, finding.line, finding.severity.value, finding.rule, finding.fingerprint)


class FindingBlock(Sequence[Finding]):
    """Normalised findings of one file at one severity, in report order, decoded on first use.

    Attributes:
        rank: The severity's rank (:attr:`Severity.rank`).
        path: The file, or ``""`` for findings without one.
        size: How many findings.
    """

    __slots__ = ("rank", "path", "size", "_key", "_data", "_findings")

    def __init__(self, rank: int, path: str, count: int, data: bytes | None = None,
                 findings: tuple[Finding, ...] | None = None, key: str | None = None) -> None:
        """A block from its bytes (as stored) or from its findings (see :meth:`of`)."""
        self.rank, self.path, self.size = rank, path, count
        self._data, self._findings, self._key = data, findings, key

    @classmethod
    def of(cls, findings: Sequence[Finding]) -> FindingBlock:
        """The block of normalised findings that share one severity and one path, in report order."""
        first = findings[0]
        return cls(first.severity.rank, first.path or "", len(findings), findings=tuple(findings))

    @property
    def data(self) -> bytes:
        """The findings as bytes (made on first use: an audit without a cache never needs them)."""
        if self._data is None:
            rows = tuple(map(_row, self.findings))
            self._data = pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)
        return self._data

    @property
    def key(self) -> str:
        """A digest of the findings: equal keys, equal findings (and equal text in every format)."""
        if self._key is None:
            self._key = hashlib.sha256(self.data).hexdigest()
        return self._key

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its bytes: loading a stored block decodes no finding."""
        return (FindingBlock, (self.rank, self.path, self.size, self.data, None, self.key))

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The findings, decoded now if they were not yet."""
        if self._findings is None:
            rows: tuple[_Row, ...] = pickle.loads(self.data)
            self._findings = tuple(
                Finding(message, path, line, _SEVERITIES[severity], rule, fingerprint)
                for message, path, line, severity, rule, fingerprint in rows
            )
        return self._findings

    def __len__(self) -> int:
        """How many findings (without decoding them)."""
        return self.size

    def __getitem__(self, index: Any) -> Any:
        """A finding, or a slice of them."""
        return self.findings[index]

    def __iter__(self) -> Iterator[Finding]:
        """The findings in order."""
        return iter(self.findings)


def blocks_of(findings: Sequence[Finding]) -> list[FindingBlock]:
    """Normalised findings (in report order) cut into blocks of one severity and one path."""
    blocks: list[FindingBlock] = []
    start = 0
    for end in range(1, len(findings) + 1):
        if end == len(findings) or _place(findings[end]) != _place(findings[start]):
            blocks.append(FindingBlock.of(findings[start:end]))
            start = end
    return blocks


def _place(finding: Finding) -> tuple[int, str]:
    """Where a finding goes in report order: its severity's rank, then its path."""
    return (finding.severity.rank, finding.path or "")


def _block_place(block: FindingBlock) -> tuple[int, str]:
    """Where a block goes in report order."""
    return (block.rank, block.path)


def _in_order(blocks: Sequence[FindingBlock]) -> bool:
    """Whether the blocks are in report order already."""
    return all(_block_place(a) < _block_place(b) for a, b in zip(blocks, blocks[1:], strict=False))


class FindingList(Sequence[Finding]):
    """A check's findings as blocks in report order (severity, then path); equal to any sequence of the same findings.

    Attributes:
        blocks: The blocks, sorted by severity rank and path, no two at the same place.
    """

    __slots__ = ("blocks", "loose", "_length", "_flat")

    def __init__(self, blocks: Iterable[FindingBlock], loose: Sequence[Finding] = ()) -> None:
        """The list of ``blocks``, and of findings still to normalise and put in place (see :meth:`normalized`).

        Args:
            blocks: Normalised blocks, each at its own place (severity and path).
            loose: Findings a check made beside its blocks (repository-wide ones, for instance).
        """
        self.blocks: tuple[FindingBlock, ...] = tuple(blocks)
        self.loose = tuple(loose)
        self._length = sum(block.size for block in self.blocks) + len(self.loose)
        self._flat: tuple[Finding, ...] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its blocks."""
        return (FindingList, (self.blocks, self.loose))

    def normalized(self, normalize: Callable[[Sequence[Finding]], Sequence[Finding]]) -> FindingList:
        """The list in report order, its loose findings normalised and merged into the blocks at their place.

        Args:
            normalize: Fingerprints and sorts findings (:meth:`CheckResult.normalized`); a block
                met by loose findings (or by another block at its place) goes through it again
                with them, its fingerprints made again.
        """
        places = self._crowded_places()
        if not places:
            return self if _in_order(self.blocks) else FindingList(sorted(self.blocks, key=_block_place))
        met = [block for block in self.blocks if _block_place(block) in places]
        # fingerprints count equal findings of a file in line order: loose ones may come first, so count again
        joined = normalize([*(replace(f, fingerprint="") for f in chain.from_iterable(met)), *self.loose])
        kept = [block for block in self.blocks if _block_place(block) not in places]
        return FindingList(sorted([*kept, *blocks_of(joined)], key=_block_place))

    def _crowded_places(self) -> set[tuple[int, str]]:
        """The places of loose findings, and those of more than one block."""
        seen = Counter(map(_block_place, self.blocks))
        return {_place(finding) for finding in self.loose} | {place for place, n in seen.items() if n > 1}

    def _findings(self) -> tuple[Finding, ...]:
        """Every finding, decoded and kept (loose ones last)."""
        if self._flat is None:
            self._flat = (*chain.from_iterable(block.findings for block in self.blocks), *self.loose)
        return self._flat

    def __len__(self) -> int:
        """How many findings (without decoding them)."""
        return self._length

    def __getitem__(self, index: Any) -> Any:
        """A finding, or a slice of them."""
        return self._findings()[index]

    def __iter__(self) -> Iterator[Finding]:
        """The findings in order, block after block (a block is decoded when it is reached)."""
        return chain(chain.from_iterable(self.blocks), self.loose)

    def __eq__(self, other: object) -> bool:
        """Equal to a list, tuple or finding list holding the same findings in the same order."""
        if isinstance(other, FindingList):
            return [b.key for b in self.blocks] == [b.key for b in other.blocks]
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return self._findings() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        """Hashable as the tuple of its block keys."""
        return hash(tuple(b.key for b in self.blocks))

    def __repr__(self) -> str:
        """The findings, as a tuple would show them."""
        return f"FindingList({self._findings()!r})"

    def severity_counts(self) -> dict[Severity, int]:
        """How many findings of each severity (without decoding them)."""
        counts: dict[Severity, int] = {}
        for block in self.blocks:
            severity = _BY_RANK[block.rank]
            counts[severity] = counts.get(severity, 0) + block.size
        for finding in self.loose:
            counts[finding.severity] = counts.get(finding.severity, 0) + 1
        return counts


_BY_RANK = {severity.rank: severity for severity in Severity}
