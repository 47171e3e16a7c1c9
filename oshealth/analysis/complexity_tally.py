"""The complexity check's share of each file (:mod:`oshealth.parts`), and the totals folded from the shares.

A file's share holds the figures the check adds up (block count, the sum of
the blocks' complexities, rank and kind counts, its most complex blocks, its
maintainability index) and its findings. It is a pure function of the file's
record and the threshold, so a re-audit reads the shares of unchanged files
from the cache and never loads their complexity records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from radon.complexity import cc_rank
from radon.metrics import mi_rank

from oshealth.analysis.complexity import Block, ModuleComplexity
from oshealth.analysis.pyfile import PythonFile
from oshealth.findinglist import FindingBlock
from oshealth.models import Finding, MetricValue, Severity
from oshealth.parts import identity, per_file

#: The check whose parts these are (its id fingerprints the findings).
CHECK_ID = "complexity"
#: radon's maintainability rank C starts at this index and below.
LOW_MAINTAINABILITY = 9.0
#: How many blocks the ``most_complex`` metric lists.
MOST_COMPLEX = 15

#: A block among a file's most complex: ``(complexity, line, name, kind, rank)``.
Top = tuple[int, int, str, str, str]


@dataclass(frozen=True)
class FileFigures:
    """One file's figures (a file radon could not analyse has ``analysable`` False and nothing else).

    Attributes:
        analysable: Whether radon could analyse the file.
        blocks: How many blocks it lists.
        complexity: The sum of their complexities.
        largest: The largest complexity (0 without blocks).
        over: How many blocks are above the threshold.
        ranks: Blocks by rank.
        kinds: Blocks by kind.
        top: The file's :data:`MOST_COMPLEX` most complex blocks, in ``most_complex`` order.
        maintainability: The module's maintainability index, None when radon cannot compute it.
    """

    analysable: bool
    blocks: int = 0
    complexity: int = 0
    largest: int = 0
    over: int = 0
    ranks: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    top: tuple[Top, ...] = ()
    maintainability: float | None = None


@dataclass
class Totals:
    """The figures of every file radon visits, in file order.

    Attributes:
        files: How many files radon visits.
        analysed: The figures of the files radon could analyse.
        paths: Their paths, in the same order.
        blocks: Every file's findings, normalised.
    """

    files: int = 0
    analysed: list[FileFigures] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    blocks: list[FindingBlock] = field(default_factory=list)


def tally(files: Sequence[PythonFile], threshold: float) -> Totals:
    """Every file's share, stored ones read (:func:`oshealth.parts.per_file`), gathered in file order.

    Args:
        files: The files radon visits.
        threshold: The ``max-complexity`` option.

    Returns:
        The analysed files' figures and every file's findings.
    """
    totals = Totals(files=len(files))
    settings = f"max-complexity {threshold!r} most {MOST_COMPLEX} low {LOW_MAINTAINABILITY!r}"
    work = [(f.path, identity(f), partial(file_figures, f, threshold)) for f in files]
    for part in per_file(CHECK_ID, settings, work):
        totals.blocks.extend(part.blocks)
        if part.value.analysable:
            totals.analysed.append(part.value)
            totals.paths.append(part.path)
    return totals


def file_figures(file: PythonFile, threshold: float) -> tuple[FileFigures, list[Finding]]:
    """One file's figures and findings (complex blocks, maintainability notes, or why it was not analysed).

    Args:
        file: The file.
        threshold: The ``max-complexity`` option.
    """
    module = file.complexity
    if file.error is not None or module is None or module.error is not None:
        return FileFigures(False), [_unreadable(file)]
    over = [b for b in module.blocks if b.complexity > threshold]
    findings = [_complex(file.path, b, threshold) for b in over]
    findings.extend(_maintainability_findings(file.path, module.maintainability))
    return _figures(module, len(over)), findings


def _figures(module: ModuleComplexity, over: int) -> FileFigures:
    """The figures of a module radon analysed, ``over`` of whose blocks are above the threshold."""
    blocks = module.blocks
    values = [b.complexity for b in blocks]
    ordered = sorted(blocks, key=lambda b: (-b.complexity, b.line, b.name))[:MOST_COMPLEX]
    return FileFigures(
        True, len(blocks), sum(values), max(values, default=0), over,
        dict(Counter(b.rank for b in blocks)), dict(Counter(b.kind for b in blocks)),
        tuple((b.complexity, b.line, b.name, b.kind, b.rank) for b in ordered), module.maintainability,
    )


def block_metrics(totals: Totals) -> dict[str, MetricValue]:
    """Counts, mean and maximum of the blocks' complexities, and the most complex blocks."""
    count = sum(f.blocks for f in totals.analysed)
    if not count:
        return {"blocks": 0}
    mean = mean_complexity(totals)
    ranks: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for figures in totals.analysed:
        ranks.update(figures.ranks)
        kinds.update(figures.kinds)
    return {
        "blocks": count,
        "mean_complexity": mean,
        "mean_rank": cc_rank(mean),
        "max_complexity": max(f.largest for f in totals.analysed if f.blocks),
        "rank_counts": {rank: ranks.get(rank, 0) for rank in "ABCDEF"},
        "kind_counts": {kind: kinds.get(kind, 0) for kind in ("function", "method", "class")},
        "most_complex": most_complex(totals),
    }


def most_complex(totals: Totals) -> list[dict[str, MetricValue]]:
    """The :data:`MOST_COMPLEX` most complex blocks as records, most complex first, then by path, line and name.

    The first blocks of all are among the files' own first ones, ordered the same way.
    """
    candidates = [(path, top) for path, f in zip(totals.paths, totals.analysed, strict=True) for top in f.top]
    ordered = sorted(candidates, key=lambda c: (-c[1][0], c[0], c[1][1], c[1][2]))
    return [
        {"name": name, "kind": kind, "path": path, "line": line, "complexity": value, "rank": rank}
        for path, (value, line, name, kind, rank) in ordered[:MOST_COMPLEX]
    ]


def mean_complexity(totals: Totals) -> float:
    """The average complexity of the blocks, as radon computes it."""
    # radon adds the complexities as floats: integers add exactly, so the files' integer sums give the same float
    return sum((f.complexity for f in totals.analysed), 0.0) / sum(f.blocks for f in totals.analysed)


def over_threshold(totals: Totals) -> int:
    """How many blocks are above the threshold."""
    return sum(f.over for f in totals.analysed)


def module_metrics(totals: Totals) -> dict[str, MetricValue]:
    """Mean, minimum and ranks of the modules' maintainability indexes."""
    known = [f.maintainability for f in totals.analysed if f.maintainability is not None]
    if not known:
        return {"maintainability_modules": 0}
    ranks = Counter(mi_rank(v) for v in known)
    return {
        "maintainability_modules": len(known),
        "mean_maintainability": sum(known) / len(known),
        "min_maintainability": min(known),
        "maintainability_rank_counts": {rank: ranks.get(rank, 0) for rank in "ABC"},
    }


def _unreadable(file: PythonFile) -> Finding:
    """The finding of a file radon cannot analyse, with why."""
    why = file.error or (file.complexity.error if file.complexity else None) or "not analysed"
    return Finding(f"not analysed: {why}", file.path, None, Severity.WARNING, "not-analysed")


def _complex(path: str, block: Block, threshold: float) -> Finding:
    """The finding of a block above the threshold (an error from rank E)."""
    severity = Severity.ERROR if block.rank in ("E", "F") else Severity.WARNING
    message = (
        f"{block.kind} {block.name} has cyclomatic complexity {block.complexity} "
        f"(rank {block.rank}), above {threshold:g}"
    )
    return Finding(message, path, block.line, severity, "complex-block")


def _maintainability_findings(path: str, value: float | None) -> list[Finding]:
    """A note on a module of maintainability rank C, or whose index radon cannot compute."""
    if value is None:
        return [Finding("radon cannot compute the maintainability index of this module "
                        "(its line tokenizer rejects the file)", path, None, Severity.NOTE, "maintainability-error")]
    if value <= LOW_MAINTAINABILITY:
        return [Finding(f"maintainability index {value:.2f} (rank C)", path, None, Severity.NOTE,
                        "low-maintainability")]
    return []
