"""The complexity check: radon's cyclomatic complexity and maintainability index."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from operator import attrgetter
from typing import Any, ClassVar, NamedTuple

from radon.complexity import cc_rank
from radon.metrics import mi_rank

from oshealth.analysis.complexity import Block
from oshealth.analysis.pyfile import PythonFile
from oshealth.facts import RepoFacts
from oshealth.models import Check, CheckResult, Finding, MetricValue, Severity

#: Mean complexity up to which no penalty applies: the top of radon's rank A.
MEAN_WITHOUT_PENALTY = 5.0
#: radon's maintainability rank C starts at this index and below.
LOW_MAINTAINABILITY = 9.0
#: How many blocks the ``most_complex`` metric lists.
MOST_COMPLEX = 15


class _Located(NamedTuple):
    """A block and the file it is in (a named tuple: there is one per block of the repository)."""

    path: str
    block: Block


class Complexity(Check):
    """Functions, methods and classes should stay simple enough to read and test.

    What: radon's cyclomatic complexity of every block that ``radon cc -s -a .``
    lists at the repository root (module-level functions, classes and their
    methods; closures and inner classes count inside their parents), and
    radon's maintainability index of every module (``radon mi -s .``, multi-line
    strings counted as comments). The file set is radon's default one: Python
    files, minus those under hidden folders or with hidden names. Files that
    radon cannot analyse (syntax errors, Python 2 code, files radon cannot
    decode as UTF-8) are findings and are left out of the numbers, as radon
    leaves them out. The mean complexity is radon's "Average complexity":
    the mean over every listed block, classes included.

    Score: ``10 * within - max(0, mean - 5)``, clamped to 0-10, where
    ``within`` is the share of blocks whose complexity is at most
    ``max-complexity`` (default 10, the top of radon's rank B) and ``mean`` is
    the average complexity. It passes at 7. The share says how much of the code
    can be understood and tested path by path; the penalty (one point per unit
    of mean above 5, the top of rank A) catches code bases where most blocks
    sit just under the threshold. The maintainability index is reported, not
    scored: it mixes in size and comment density, which the complexity figures
    already judge more directly.

    Metrics include ``most_complex``: the 15 most complex blocks (name, kind,
    path, line, complexity, rank), the most complex first, then by path and
    line, whether or not they pass ``max-complexity``.

    Differences from the radon command line: radon's own settings (``[radon]``
    in ``setup.cfg`` or ``radon.cfg``, ``[tool.radon]``) are not read, use
    oshealth's ``exclude`` instead; files without a ``.py`` suffix that
    start with a Python shebang, which radon also analyses, are not; and code
    nested hundreds of levels deep, on which radon stops with "maximum
    recursion depth exceeded", is analysed with a larger stack.

    Fix: split each block listed in the findings into smaller functions, for
    instance by extracting the body of long branches or loops, or by replacing
    chains of conditions with a lookup table.
    """

    id: ClassVar[str] = "complexity"
    category: ClassVar[str] = "complexity"
    weight: ClassVar[float] = 2.0
    default_options: ClassVar[dict[str, Any]] = {"max-complexity": 10}

    def evaluate(self, facts: RepoFacts) -> CheckResult:
        """Score the repository from the complexity of its blocks.

        Args:
            facts: The repository's facts.

        Returns:
            The check's result.
        """
        files = [f for f in facts.python_files if radon_visits(f.path)]
        if not files:
            return CheckResult.not_applicable("no Python files")
        analysed = [f for f in files if _analysable(f)]
        unreadable = _unreadable_findings(files)
        if not analysed:
            return CheckResult.inconclusive("no Python file could be analysed", findings=unreadable)
        blocks = _blocks(analysed)
        metrics = {**_block_metrics(blocks), **_module_metrics(analysed), "files": len(analysed),
                   "files_not_analysed": len(files) - len(analysed)}
        if not blocks:
            return CheckResult.not_applicable("no functions, methods or classes", metrics)
        return _scored(blocks, analysed, float(self.options["max-complexity"]), metrics, unreadable)


def _blocks(files: Sequence[PythonFile]) -> list[_Located]:
    """Every block of the files, in file order."""
    return [_Located(f.path, b) for f in files if f.complexity for b in f.complexity.blocks]


def _unreadable_findings(files: Sequence[PythonFile]) -> list[Finding]:
    """A finding for each file radon could not analyse."""
    return [_unreadable(f) for f in files if not _analysable(f)]


def _analysable(file: PythonFile) -> bool:
    """Whether radon could analyse the file (it parsed, and radon could read it)."""
    return file.error is None and file.complexity is not None and file.complexity.error is None


def _scored(blocks: Sequence[_Located], analysed: Sequence[PythonFile], threshold: float,
            metrics: dict[str, MetricValue], unreadable: list[Finding]) -> CheckResult:
    """The score of the analysed blocks, with every finding (unreadable files first)."""
    complex_blocks = [b for b in blocks if b.block.complexity > threshold]
    findings = [*unreadable, *(_complex(b, threshold) for b in complex_blocks), *_maintainability_findings(analysed)]
    within = (len(blocks) - len(complex_blocks)) / len(blocks)
    mean = _mean(blocks)
    score = 10.0 * within - max(0.0, mean - MEAN_WITHOUT_PENALTY)
    reason = (
        f"mean complexity {mean:.2f} ({cc_rank(mean)}) over {len(blocks)} blocks; "
        f"{len(complex_blocks)} above {threshold:g}"
    )
    return CheckResult.scored(score, reason, metrics={**metrics, "over_threshold": len(complex_blocks)},
                              findings=findings)


def radon_visits(path: str) -> bool:
    """Whether ``radon cc .`` at the root analyses this ``.py`` path.

    radon skips folders whose name starts with a dot (its default ``--ignore``)
    and files whose name does.

    Args:
        path: Repository-relative POSIX path.

    Returns:
        True unless a folder or the file itself is hidden.
    """
    return not any(part.startswith(".") for part in path.split("/"))


def _block_metrics(blocks: Sequence[_Located]) -> dict[str, MetricValue]:
    """Counts, mean and maximum of the blocks' complexities, and the most complex blocks."""
    values = list(map(attrgetter("block.complexity"), blocks))
    if not values:
        return {"blocks": 0}
    mean = _mean(blocks)
    ranks = Counter(map(attrgetter("block.rank"), blocks))
    kinds = Counter(map(attrgetter("block.kind"), blocks))
    return {
        "blocks": len(values),
        "mean_complexity": mean,
        "mean_rank": cc_rank(mean),
        "max_complexity": max(values),
        "rank_counts": {rank: ranks.get(rank, 0) for rank in "ABCDEF"},
        "kind_counts": {kind: kinds.get(kind, 0) for kind in ("function", "method", "class")},
        "most_complex": _most_complex(blocks, values),
    }


def _most_complex(blocks: Sequence[_Located], values: Sequence[int]) -> list[dict[str, MetricValue]]:
    """The :data:`MOST_COMPLEX` most complex blocks as records, most complex first, then by place.

    Args:
        blocks: Every block.
        values: Their complexities, in the same order.
    """
    # only blocks at least as complex as the n-th largest complexity can be among the n first
    cutoff = heapq.nlargest(MOST_COMPLEX, values)[-1]
    candidates = [b for b, value in zip(blocks, values, strict=True) if value >= cutoff]
    ordered = sorted(candidates, key=lambda b: (-b.block.complexity, b.path, b.block.line, b.block.name))
    return [
        {"name": b.block.name, "kind": b.block.kind, "path": b.path, "line": b.block.line,
         "complexity": b.block.complexity, "rank": b.block.rank}
        for b in ordered[:MOST_COMPLEX]
    ]


def _mean(blocks: Sequence[_Located]) -> float:
    """The average complexity of the blocks, as radon computes it."""
    # radon adds the complexities as floats and divides by the number of blocks
    return sum(map(attrgetter("block.complexity"), blocks), 0.0) / len(blocks)


def _module_metrics(files: Sequence[PythonFile]) -> dict[str, MetricValue]:
    """Mean, minimum and ranks of the modules' maintainability indexes."""
    values = [f.complexity.maintainability for f in files if f.complexity]
    known = [v for v in values if v is not None]
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


def _complex(located: _Located, threshold: float) -> Finding:
    """The finding of a block above the threshold (an error from rank E)."""
    block = located.block
    severity = Severity.ERROR if block.rank in ("E", "F") else Severity.WARNING
    message = (
        f"{block.kind} {block.name} has cyclomatic complexity {block.complexity} "
        f"(rank {block.rank}), above {threshold:g}"
    )
    return Finding(message, located.path, block.line, severity, "complex-block")


def _maintainability_findings(files: Sequence[PythonFile]) -> list[Finding]:
    """Notes on modules of maintainability rank C, or whose index radon cannot compute."""
    findings: list[Finding] = []
    for file in files:
        value = file.complexity.maintainability if file.complexity else None
        if value is None:
            findings.append(Finding("radon cannot compute the maintainability index of this module "
                                    "(its line tokenizer rejects the file)", file.path, None, Severity.NOTE,
                                    "maintainability-error"))
        elif value <= LOW_MAINTAINABILITY:
            findings.append(Finding(f"maintainability index {value:.2f} (rank C)", file.path, None,
                                    Severity.NOTE, "low-maintainability"))
    return findings
