"""The audit pipeline: config, checks, facts, evaluation, scoring, view model, rendered reports."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any, Literal

from oshealth import cache as cache_module
from oshealth import cachefile, clock, config_checks, parts, registry, report, reportcache, scoring
from oshealth import config as config_module
from oshealth.config import Config
from oshealth.git import GitRepository
from oshealth.models import Check
from oshealth.render import FORMATS
from oshealth.report import AuditReport

ProgressSink = Callable[[str], None]


@dataclass(frozen=True)
class Plan:
    """What an audit runs on: the repository, its configuration and the checks selected.

    Attributes:
        repo: The opened repository.
        config: The configuration, command-line overrides applied.
        checks: The checks that run, configured.
    """

    repo: GitRepository
    config: Config
    checks: list[Check]


@dataclass(frozen=True)
class Outcome:
    """What an audit that wrote its reports leaves to its caller.

    Attributes:
        report: The view model, when it was asked for.
        gate_failed: Whether the score is below the configured gate.
        from_cache: Whether the reports were read back from the cache.
    """

    report: AuditReport | None
    gate_failed: bool
    from_cache: bool


#: The order reports are rendered in: the largest first, so that storing and writing them (on threads,
#: see :mod:`oshealth.reportcache` and :class:`oshealth.output.BackgroundWriter`) overlaps the others' rendering.
_LARGE_FIRST = ("json", "sarif", "html", "markdown", "terminal", "badge", "shields")

#: Receives each rendered report as ``sink(format, data)``, one at a time: its UTF-8 bytes.
ReportSink = Callable[[str, bytes], None]


def plan(path: Path, overrides: Mapping[str, Any] | None = None, extra_checks: Iterable[EntryPoint] = ()) -> Plan:
    """Open the repository at ``path``, load its configuration and the checks it selects.

    Raises:
        OshealthError: Bad path, bad config or a broken plugin.
    """
    repo = GitRepository(path)
    return _with_checks(repo, config_module.load(repo.root, overrides), extra_checks)


def _with_checks(repo: GitRepository, config: Config, extra_checks: Iterable[EntryPoint]) -> Plan:
    """Load the checks, validate their options in ``config`` and configure those it selects."""
    classes = registry.discover(extra_checks)
    config_checks.validate_check_options(config, {cid: cls.default_options for cid, cls in classes.items()})
    checks = [cls(config.check_options.get(cid)) for cid, cls in classes.items() if config.wants(cid)]
    return Plan(repo, config, checks)


def run_audit(
    path: Path,
    *,
    overrides: Mapping[str, Any] | None = None,
    extra_checks: Iterable[EntryPoint] = (),
    progress: ProgressSink | None = None,
    display_path: str | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
) -> AuditReport:
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
    audit = plan(path, overrides, extra_checks)
    shown = display_path if display_path is not None else str(path)
    store = _open_cache(audit.repo) if use_cache else None
    try:
        with parts.using(_memo(store, audit.config)):
            view, _ = _evaluate(audit, shown, clock.audit_clock(), store, progress, jobs)
    finally:
        if store is not None:
            store.close()
    return dataclasses.replace(view, generated_at=_stamp())


def audit_outputs(
    path: Path,
    formats: Sequence[str],
    sink: ReportSink,
    *,
    want_report: bool = False,
    overrides: Mapping[str, Any] | None = None,
    extra_checks: Iterable[EntryPoint] = (),
    progress: ProgressSink | None = None,
    display_path: str | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
) -> Outcome:
    """Audit the work tree at ``path`` and render ``formats``; reuse the reports of an unchanged state.

    The reports go to ``sink`` one at a time, so that only one is held in
    memory (on a large repository each can be tens of megabytes).

    Args:
        path: A directory inside the repository to audit.
        formats: Names of :data:`oshealth.render.FORMATS` to render, each once.
        sink: Receives each report, stamped with the time it is generated.
        want_report: Also give the view model (for a terminal, which renders it to its own width).
        overrides: Config values from the command line (same keys as the file).
        extra_checks: Entry points of checks to add to the installed ones.
        progress: Receives short progress messages.
        display_path: How to name the repository in reports (default: ``path`` as given).
        use_cache: Reuse and store results and reports in the repository's cache.
        jobs: The most processes analysing files (None: every core; 1: this process only).

    Returns:
        The view model when asked for, and the gate's verdict.

    Raises:
        OshealthError: Bad path, bad config, a broken plugin, or a git failure.
    """
    repo = GitRepository(path)
    config = config_module.load(repo.root, overrides)
    shown = display_path if display_path is not None else str(path)
    now = clock.audit_clock()
    store = _open_cache(repo) if use_cache else None
    try:
        reports = None
        if store is not None:
            selected = [point for point in registry.points(extra_checks) if config.wants(point.name)]
            reports = reportcache.ReportStore(store, repo, reportcache.state(repo, config, selected, shown, now))
            found = _reuse(reports, formats, sink, want_report)
            if found is not None:
                return found
        audit = _with_checks(repo, config, extra_checks)
        with parts.using(_memo(store, config)):
            view, machine_bound = _evaluate(audit, shown, now, store, progress, jobs)
            if progress:
                progress("reports: rendering")
            return _render(view, formats, sink, want_report, None if machine_bound else reports)
    finally:
        if store is not None:
            store.close()


def _reuse(
    reports: reportcache.ReportStore, formats: Sequence[str], sink: ReportSink, want_report: bool
) -> Outcome | None:
    """Write the stored reports of the current state, stamped now; None unless every one asked for is stored."""
    view = _stored_view(reports, formats, want_report)
    if view is False:
        return None
    generated_at = _stamp()
    gate_failed = view.report.gate_failed if view else False
    for name in formats:
        text = reports.text(name)
        if text is None:
            return None  # replaced by a concurrent audit of another state: this one runs and rewrites them all
        sink(name, reportcache.stamp(text.data, text.token, generated_at))
        gate_failed = text.gate_failed
    reports.used()
    return Outcome(
        report=dataclasses.replace(view.report, generated_at=generated_at) if view else None,
        gate_failed=gate_failed,
        from_cache=True,
    )


def _stored_view(
    reports: reportcache.ReportStore, formats: Sequence[str], want_report: bool
) -> reportcache.StoredView | None | Literal[False]:
    """The stored view model when it is wanted (None when not), or False when something asked for is not stored."""
    stored = reports.formats()
    if not set(formats) <= stored or not (stored or want_report):
        return False
    if not want_report:
        return None
    view = reports.view()
    return False if view is None else view


def _render(
    view: AuditReport,
    formats: Sequence[str],
    sink: ReportSink,
    want_report: bool,
    reports: reportcache.ReportStore | None,
) -> Outcome:
    """Render each format with a placeholder for the generated-at time, store it, stamp it, hand it on."""
    placeholder = reportcache.token()
    view = dataclasses.replace(view, generated_at=placeholder)
    generated_at = _stamp()
    if reports is not None:
        reports.start(reportcache.StoredView(placeholder, view) if want_report else None)
    try:
        for name in sorted(formats, key=_render_order):
            data = FORMATS[name].renderer()(view).encode("utf-8")
            if reports is not None:
                reports.add(name, reportcache.StoredBytes(placeholder.encode("ascii"), data, view.gate_failed))
            sink(name, reportcache.stamp(data, placeholder.encode("ascii"), generated_at))
    finally:
        if reports is not None:
            reports.wait()  # before the cache closes, whatever happened
    if reports is not None:
        reports.finish()
    return Outcome(
        report=dataclasses.replace(view, generated_at=generated_at) if want_report else None,
        gate_failed=view.gate_failed,
        from_cache=False,
    )


def _render_order(name: str) -> int:
    """Where a format comes in :data:`_LARGE_FIRST` (another one last)."""
    return _LARGE_FIRST.index(name) if name in _LARGE_FIRST else len(_LARGE_FIRST)


def _evaluate(
    audit: Plan,
    shown: str,
    now: int,
    store: cache_module.Cache | None,
    progress: ProgressSink | None,
    jobs: int | None,
) -> tuple[AuditReport, bool]:
    """Collect the facts, run the checks and build the view model (its generated-at time left to the caller).

    Returns:
        The report, and whether it depends on this machine's speed (a file's
        analysis was cut short by the time limit), so that it must not be stored.
    """
    from oshealth import engine, facts  # the fact collection's modules load only when an audit runs

    def on_facts(stage: str, done: int, total: int) -> None:
        """Report fact-collection progress as ``stage: done/total``."""
        if progress:
            progress(f"{stage}: {done}/{total}" if total else f"{stage}: {done}")

    repo_facts = facts.collect(audit.repo, audit.config, on_facts, cache=store, jobs=jobs, now=now)
    sink = (lambda cid: progress(f"check: {cid}")) if progress else None
    results = engine.run(audit.checks, repo_facts, sink)
    card = scoring.aggregate(results, audit.config.weights)
    view = report.build(
        repository={"path": shown, "commit": repo_facts.head, "branch": repo_facts.branch},
        now=now,
        results=results,
        scorecard=card,
        weights=audit.config.weights,
        fail_under=audit.config.fail_under,
    )
    return view, any(record.timed_out for record in repo_facts.python_files)


def _memo(store: cache_module.Cache | None, config: Config) -> parts.Memo | None:
    """Where the checks' per-file parts and the reports' per-block texts are kept, when a cache is used."""
    from oshealth import incremental  # loaded with the fact collection

    return None if store is None else parts.Memo(store, incremental.settings_digest(config.check_options))


def _open_cache(repo: GitRepository) -> cache_module.Cache | None:
    """The repository's cache, or None when it cannot be used (logged)."""
    return cache_module.Cache.open(cachefile.cache_dir(repo.common_dir))


def _stamp() -> str:
    """The generated-at time of a report written now (``SOURCE_DATE_EPOCH`` honoured)."""
    return datetime.fromtimestamp(clock.clock(), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
