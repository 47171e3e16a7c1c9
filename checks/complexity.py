"""The complexity check: radon's cyclomatic complexity and maintainability index."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from radon.complexity import cc_rank

from oshealth.analysis import complexity_tally
from oshealth.analysis.complexity_tally import LOW_MAINTAINABILITY, MOST_COMPLEX, Totals
from oshealth.facts import RepoFacts
from oshealth.findinglist import FindingList
from oshealth.models import Check, CheckResult, MetricValue

__all__ = ["LOW_MAINTAINABILITY", "MEAN_WITHOUT_PENALTY", "MOST_COMPLEX", "Complexity", "radon_visits"]

#: Mean complexity up to which no penalty applies: the top of radon's rank A.
MEAN_WITHOUT_PENALTY = 5.0


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

        Each file's figures and findings are its part (:mod:`oshealth.parts`):
        a re-audit reads the parts of unchanged files instead of their records.

        Args:
            facts: The repository's facts.

        Returns:
            The check's result.
        """
        files = [f for f in facts.python_files if radon_visits(f.path)]
        if not files:
            return CheckResult.not_applicable("no Python files")
        threshold = float(self.options["max-complexity"])
        totals = complexity_tally.tally(files, threshold)
        if not totals.analysed:
            return replace(CheckResult.inconclusive("no Python file could be analysed"),
                           findings=FindingList(totals.blocks))
        metrics = {**complexity_tally.block_metrics(totals), **complexity_tally.module_metrics(totals),
                   "files": len(totals.analysed), "files_not_analysed": totals.files - len(totals.analysed)}
        if not metrics["blocks"]:
            return CheckResult.not_applicable("no functions, methods or classes", metrics)
        return _scored(totals, threshold, metrics)


def _scored(totals: Totals, threshold: float, metrics: dict[str, MetricValue]) -> CheckResult:
    """The score of the analysed blocks, with every finding."""
    count = sum(f.blocks for f in totals.analysed)
    over = complexity_tally.over_threshold(totals)
    within = (count - over) / count
    mean = complexity_tally.mean_complexity(totals)
    score = 10.0 * within - max(0.0, mean - MEAN_WITHOUT_PENALTY)
    reason = f"mean complexity {mean:.2f} ({cc_rank(mean)}) over {count} blocks; {over} above {threshold:g}"
    result = CheckResult.scored(score, reason, metrics={**metrics, "over_threshold": over})
    # the findings stay in blocks (CheckResult.scored would decode them into a tuple)
    return replace(result, findings=FindingList(totals.blocks))


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
