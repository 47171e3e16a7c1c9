"""The audit pipeline: config, checks, facts, evaluation, scoring, view model."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

from oshealth import cache as cache_module
from oshealth import config as config_module
from oshealth import engine, facts, registry, report, scoring
from oshealth.git import GitRepository

ProgressSink = Callable[[str], None]


def run_audit(
    path: Path,
    *,
    overrides: Mapping[str, Any] | None = None,
    extra_checks: Iterable[EntryPoint] = (),
    progress: ProgressSink | None = None,
    display_path: str | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
) -> report.AuditReport:
    """Audit the git work tree at ``path``.

    Args:
        path: A directory inside the repository to audit.
        overrides: Config values from the command line (same keys as the file).
        extra_checks: Entry points of checks to add to the installed ones.
        progress: Receives short progress messages.
        display_path: How to name the repository in reports (default: ``path`` as given).
        use_cache: Reuse and store results in the repository's cache (:mod:`oshealth.cache`).
        jobs: The most processes analysing files (None: every core; 1: this process only).

    Returns:
        The audit report.

    Raises:
        OshealthError: Bad path, bad config, a broken plugin, or a git failure.
    """
    repo = GitRepository(path)
    config = config_module.load(repo.root, overrides)
    classes = registry.discover(extra_checks)
    config_module.validate_check_options(config, {cid: cls.default_options for cid, cls in classes.items()})
    checks = [cls(config.check_options.get(cid)) for cid, cls in classes.items() if config.wants(cid)]

    def on_facts(stage: str, done: int, total: int) -> None:
        """Report fact-collection progress as ``stage: done/total``."""
        if progress:
            progress(f"{stage}: {done}/{total}" if total else f"{stage}: {done}")

    store = cache_module.Cache.open(cache_module.cache_dir(repo.common_dir)) if use_cache else None
    try:
        repo_facts = facts.collect(repo, config, on_facts, cache=store, jobs=jobs)
    finally:
        if store is not None:
            store.close()
    results = engine.run(checks, repo_facts, (lambda cid: progress(f"check: {cid}")) if progress else None)
    card = scoring.aggregate(results, config.weights)
    return report.build(
        repository={
            "path": display_path if display_path is not None else str(path),
            "commit": repo_facts.head,
            "branch": repo_facts.branch,
        },
        now=repo_facts.now,
        results=results,
        scorecard=card,
        weights=config.weights,
        fail_under=config.fail_under,
    )
