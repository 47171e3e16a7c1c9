"""Rule 6: the audit's overall and per-check scores at the base and at the head.

Off by default: comparing whole-repository scores is an audit-sized job at
both ends, whatever the size of the change. When on, both ends are audited
from git objects alone, the same way for both (see
:mod:`oshealth.gate.revision_facts`): the per-file records, the docstring-style
verdicts and the history come from the repository's cache where it has them
(one filled by ``oshealth audit``, or kept by CI with ``OSHEALTH_CACHE_DIR``),
each file is analysed once for both ends, and the history is read once. The
history-based parts of checks stay honest at the base too (its history is the
real one), and the clock is the same for both ends.

Checks about the history rather than the tree (``activity``,
``contributor-spread``, ``release-documentation``) are left out by default
(``ignore`` in ``[tool.oshealth.diff.scores]``): a change's own commits would
move them, and they would gate on the calendar rather than on the change.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from oshealth import engine, registry, scoring
from oshealth.cache import Cache
from oshealth.config import Config
from oshealth.config_checks import validate_check_options
from oshealth.facts import RepoFacts
from oshealth.gate.code_rules import TITLES, outcome, skipped
from oshealth.gate.model import CheckScores, RuleResult, RuleStatus, ScoreComparison
from oshealth.gate.revision_facts import collect_ends, read_tree
from oshealth.gate.settings import DiffSettings
from oshealth.git import GitRepository
from oshealth.incremental import CollectStats
from oshealth.models import Check, CheckResult, Finding

Side = tuple[float | None, dict[str, CheckResult]]


def selected_checks(config: Config, ignore: Sequence[str]) -> list[Check]:
    """The installed checks the audit would run, minus ``ignore``, with their options."""
    classes = registry.discover()
    validate_check_options(config, {cid: cls.default_options for cid, cls in classes.items()})
    wanted = [(cid, cls) for cid, cls in classes.items() if config.wants(cid) and cid not in ignore]
    return [cls(config.check_options.get(cid)) for cid, cls in wanted]


def compare_scores(repo: GitRepository, base: str, head: str, config: Config, ignore: Sequence[str], *,
                   cache: Cache | None = None, stats: CollectStats | None = None) -> ScoreComparison:
    """Audit both ends and pair their scores.

    Args:
        repo: The repository.
        base: The merge base's commit id (an ancestor of ``head``).
        head: HEAD's commit id.
        config: The configuration in force.
        ignore: Check ids left out.
        cache: The repository's cache (per-file records, docstring-style verdicts, the history), or None.
        stats: Receives what was reused and what was computed.

    Returns:
        The comparison.
    """
    checks = selected_checks(config, ignore)
    style = any(check.id == "docstring-style" for check in checks)
    trees = read_tree(repo, base, config), read_tree(repo, head, config)
    with tempfile.TemporaryDirectory(prefix="oshealth-rev-") as tmp:
        ends = collect_ends(repo, *trees, config, Path(tmp), style=style, cache=cache, stats=stats or CollectStats())
        (base_score, base_results), (head_score, head_results) = (_side(checks, facts, config) for facts in ends)
    rows = [
        CheckScores(cid, base_results[cid].score, head_results[cid].score, base_results[cid].reason,
                    head_results[cid].reason)
        for cid in sorted(head_results)
    ]
    ignored = sorted(set(ignore) & set(registry.discover()))
    return ScoreComparison(base_score, head_score, rows, ignored)


def _side(checks: list[Check], facts: RepoFacts, config: Config) -> Side:
    """The overall score and each check's result at one end."""
    results = engine.run(checks, facts)
    card = scoring.aggregate(results, config.weights)
    return card.score, {check.id: result for check, result in results}


def scores_rule(comparison: ScoreComparison | None, settings: DiffSettings) -> RuleResult:
    """Rule 6: the overall score must not drop by more than ``max-drop`` nor end below ``min-score``."""
    if comparison is None or settings.level("scores") == "off":
        return skipped("scores", "off in config")
    max_drop = float(settings.option("scores", "max-drop"))
    min_score = float(settings.option("scores", "min-score"))
    base, head, delta = comparison.base, comparison.head, comparison.delta
    shown = f"{_fmt(base)} -> {_fmt(head)} ({'n/a' if delta is None else f'{delta:+.2f}'})"
    findings = _score_findings(comparison, max_drop, min_score, shown)
    metrics = {"base": base, "head": head, "delta": delta}
    result = outcome("scores", settings, findings, f"score {shown}", f"score {shown}", metrics)
    if result.status is RuleStatus.PASS and delta is None:
        message = f"score {shown}: no score to compare"
        return RuleResult("scores", TITLES["scores"], RuleStatus.PASS, message, (), metrics)
    return result


def _score_findings(comparison: ScoreComparison, max_drop: float, min_score: float, shown: str) -> list[Finding]:
    """A drop larger than ``max-drop`` (with each check that dropped), and a head score below ``min-score``."""
    findings: list[Finding] = []
    delta, head = comparison.delta, comparison.head
    if delta is not None and delta < -max_drop - 1e-9:
        findings.append(Finding(f"overall score dropped {shown}; at most {max_drop:g} allowed", None, None))
        findings += [Finding(f"`{c.id}` {_fmt(c.base)} -> {_fmt(c.head)}: {c.head_reason}", None, None)
                     for c in comparison.checks if c.delta is not None and c.delta < 0]
    if min_score and (head is None or head < min_score):
        findings.append(Finding(f"overall score at head {_fmt(head)} is below {min_score:g}", None, None))
    return findings


def _fmt(score: float | None) -> str:
    """A score with two decimals, or ``-``."""
    return "-" if score is None else f"{score:.2f}"
