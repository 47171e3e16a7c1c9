"""What the renderers read of a check's findings without decoding them: blocks, counts, the first few.

A check may keep its findings in blocks (:class:`~oshealth.findinglist.FindingList`:
one file and one severity per block, in report order). The counts a report
shows (per severity, per file) come from the blocks' sizes, and a list capped
at a few findings decodes only the blocks it reaches; a plain sequence of
findings (a check that returns a tuple, a plugin, a test) gives the same
answers, counted one finding at a time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import chain, islice

from oshealth.findinglist import FindingBlock, FindingList
from oshealth.models import Finding, Severity

#: Each severity by its rank (a block knows its severity's rank).
SEVERITY_OF_RANK = {severity.rank: severity for severity in Severity}


def in_order(findings: Sequence[Finding]) -> tuple[FindingBlock, ...] | None:
    """The blocks of ``findings`` when they are exactly its findings, the most severe first; else None.

    A finding list without loose findings whose blocks' severities never
    rise qualifies (every list the engine normalises): its first findings
    are then its most severe ones.
    """
    if not isinstance(findings, FindingList) or findings.loose:
        return None
    ranks = [block.rank for block in findings.blocks]
    return findings.blocks if ranks == sorted(ranks) else None


def severity_counts(findings: Sequence[Finding]) -> dict[Severity, int]:
    """How many findings of each severity there are (blocks are counted by their size)."""
    if isinstance(findings, FindingList):
        return findings.severity_counts()
    return dict(Counter(finding.severity for finding in findings))


def place_counts(findings: Sequence[Finding]) -> Counter[tuple[str, Severity]]:
    """How many findings there are of each path (``""`` for none) and severity."""
    if isinstance(findings, FindingList):
        counts: Counter[tuple[str, Severity]] = Counter()
        for block in findings.blocks:
            counts[block.path, SEVERITY_OF_RANK[block.rank]] += block.size
        counts.update((finding.path or "", finding.severity) for finding in findings.loose)
        return counts
    return Counter((finding.path or "", finding.severity) for finding in findings)


def first(findings: Sequence[Finding], count: int) -> list[Finding]:
    """The first ``count`` findings, decoding only the blocks that hold them."""
    return list(islice(iter(findings), count))


def of_severity(blocks: Sequence[FindingBlock], severity: Severity, count: int) -> Iterator[tuple[int, Finding]]:
    """The first ``count`` findings of ``severity`` with their positions among all the blocks' findings."""
    start = 0
    found: list[Iterator[tuple[int, Finding]]] = []
    for block in blocks:
        if block.rank == severity.rank and count > 0:
            found.append(zip(range(start, start + block.size), islice(block, count), strict=False))
            count -= block.size
        start += block.size
    return chain.from_iterable(found)
