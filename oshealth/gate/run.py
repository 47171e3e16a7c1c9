"""``oshealth diff``: read the change, apply the rules, build the report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from oshealth import __version__, cachefile
from oshealth import cache as cache_module
from oshealth import config as config_module
from oshealth.facts import clock
from oshealth.gate import api_rules, code_rules, scores, tests_changed
from oshealth.gate.collect import ChangeSet, collect
from oshealth.gate.model import DiffReport, ScoreComparison
from oshealth.gate.settings import parse
from oshealth.git import GitRepository
from oshealth.models import MetricValue
from oshealth.symbols import Change

Progress = Callable[[str], None]


def run_diff(
    path: Path,
    base: str,
    head: str = "HEAD",
    *,
    labels: Sequence[str] = (),
    progress: Progress | None = None,
    display_path: str | None = None,
    use_cache: bool = True,
) -> DiffReport:
    """Judge the change ``base...head`` of the repository at ``path``.

    Args:
        path: A directory inside the repository.
        base: The revision the change is compared with (its merge base with ``head`` is the start).
        head: The revision holding the change.
        labels: The pull request's labels (a skip label turns the changelog rule off).
        progress: Receives short progress messages.
        display_path: How to name the repository in reports.
        use_cache: Let rule 6 reuse and store per-file results and the history in the repository's cache.

    Returns:
        The report.

    Raises:
        OshealthError: Bad path, bad config, unknown revision or too shallow a clone.
    """
    repo = GitRepository(path)
    config = config_module.load(repo.root)
    settings = parse(config.sections.get("diff"), config.source or "config")
    say = progress or (lambda _message: None)
    say("reading the change")
    needs_api = any(settings.level(rule) != "off" for rule in ("docstrings", "changelog", "docs"))
    change = collect(repo, base, head, config, with_api=needs_api)
    say("judging the change")
    rules = [
        code_rules.docstrings_rule(change, settings, config),
        code_rules.complexity_rule(change, settings),
        tests_changed.tests_rule(change, settings),
        api_rules.changelog_rule(change, settings, labels),
        api_rules.docs_rule(change, settings),
    ]
    comparison: ScoreComparison | None = None
    if settings.level("scores") != "off":
        say("scoring base and head")
        comparison = _scores(repo, change, config, list(settings.option("scores", "ignore")), use_cache)
    rules.append(scores.scores_rule(comparison, settings))
    stamp = datetime.fromtimestamp(clock(), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return DiffReport(
        repository=display_path if display_path is not None else str(path),
        base_ref=base, head_ref=head, base=change.base, head=change.head, merge_base=change.merge_base,
        labels=tuple(labels), rules=tuple(rules), scores=comparison, summary=summarize(change),
        changed_lines=change.lines, generated_at=stamp, version=__version__,
    )


def _scores(repo: GitRepository, change: ChangeSet, config: config_module.Config, ignore: list[str],
            use_cache: bool) -> ScoreComparison:
    """Rule 6's comparison, with the repository's cache (the audit's) when it can be used."""
    store = cache_module.Cache.open(cachefile.cache_dir(repo.common_dir)) if use_cache else None
    try:
        return scores.compare_scores(repo, change.merge_base, change.head, config, ignore, cache=store)
    finally:
        if store is not None:
            store.close()


def summarize(change: ChangeSet) -> dict[str, MetricValue]:
    """Counts of what changed, and the changed symbols by name."""
    symbols = {kind.value: sorted(s.dotted for fs in change.python for s in fs.of(kind)) for kind in Change}
    api: dict[str, MetricValue] = {}
    if change.api is not None:
        api = {
            "added": [o.path for o in change.api.added],
            "removed": [o.path for o in change.api.removed],
            "changed": [new.path for _, new in change.api.changed],
            "breaking": [b.description for b in change.api.breaking],
        }
    return {
        "files": len(change.changes),
        "python_files": len(change.python),
        "lines": sum(len(lines) for lines in change.lines.values()),
        "symbols": symbols,
        "api": api,
    }

