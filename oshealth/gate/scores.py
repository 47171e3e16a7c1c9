"""Rule 6: the audit's overall and per-check scores at the base and at the head.

Each end is audited from git objects alone, the same way for both: the
revision's tree (``exclude`` patterns applied) gives the files; every Python
file and document is read from one ``cat-file`` batch; the Python files and
settings files are written to a temporary folder only for the docstring-style
engine, which reads files; the history is the real one, ``git log`` from that
revision (so the history-based parts of checks stay honest at the base too),
and the tags those commits carry. The clock is the same for both ends.

Checks about the history rather than the tree (``activity``,
``contributor-spread``, ``release-documentation``) are left out by default
(``ignore`` in ``[tool.oshealth.diff.scores]``): a change's own commits would
move them, and they would gate on the calendar rather than on the change.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from oshealth import engine, registry, scoring
from oshealth import facts as facts_module
from oshealth.analysis import docstyle, pyfile
from oshealth.config import Config, validate_check_options
from oshealth.gate.code_rules import TITLES, outcome, skipped
from oshealth.gate.collect import SETTINGS_FILES
from oshealth.gate.model import CheckScores, RuleResult, RuleStatus, ScoreComparison
from oshealth.gate.settings import DiffSettings
from oshealth.git import Commit, GitRepository, Tag
from oshealth.models import Check, CheckResult, Finding

Side = tuple[float | None, dict[str, CheckResult]]


def _is_document(path: str) -> bool:
    """A root file or a file under the audit's document folders (as :mod:`oshealth.facts` reads them)."""
    head, _, _ = path.partition("/")
    return "/" not in path or head in facts_module.DOCUMENT_FOLDERS


def facts_at(repo: GitRepository, sha: str, config: Config, workdir: Path) -> facts_module.RepoFacts:
    """The audit's facts about one revision, from git objects (nothing checked out).

    Args:
        repo: The repository.
        sha: The revision's commit id.
        config: The configuration in force.
        workdir: An empty folder; the Python and settings files are written there
            for the docstring-style engine, and it stands as the facts' root.

    Returns:
        The facts of that revision.
    """
    files = tuple(p for p in repo.files_at(sha) if not config.is_excluded(p))
    python = [p for p in files if p.endswith(".py")]
    documents = [p for p in files if _is_document(p)]
    blobs = repo.read_blobs(sha, sorted(set(python) | set(documents)))
    _write_files(workdir, [*python, *SETTINGS_FILES], blobs)
    analysed = tuple(pyfile.analyse(p, blobs[p]) for p in python if p in blobs)
    commits = tuple(repo.iter_history(sha))
    return facts_module.RepoFacts(
        root=workdir, head=sha, branch=None, is_shallow=repo.is_shallow(), files=files, python_files=analysed,
        documents=_document_texts(documents, blobs), commits=commits, tags=_reachable_tags(repo, commits),
        now=facts_module.clock(), config=config, docstyle=_docstyle(config, workdir, analysed, files),
    )


def _reachable_tags(repo: GitRepository, commits: Sequence[Commit]) -> tuple[Tag, ...]:
    """The repository's tags on the given commits (the history of the revision)."""
    reachable = {c.sha for c in commits}
    return tuple(t for t in repo.tags() if t.sha in reachable)


def _write_files(workdir: Path, paths: Sequence[str], blobs: Mapping[str, bytes]) -> None:
    """Write each of ``paths`` that was read under ``workdir`` (odd names kept byte for byte)."""
    for path in paths:
        if path in blobs:
            target = os.path.join(os.fsencode(workdir), os.fsencode(path))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            Path(os.fsdecode(target)).write_bytes(blobs[path])


def _document_texts(documents: Sequence[str], blobs: Mapping[str, bytes]) -> dict[str, str]:
    """The documents' texts, as the audit reads them: neither too large nor binary."""
    return {
        p: blobs[p].decode("utf-8", errors="replace")
        for p in documents
        if p in blobs and len(blobs[p]) <= facts_module.MAX_DOCUMENT_BYTES and b"\0" not in blobs[p]
    }


def _docstyle(config: Config, workdir: Path, analysed: Sequence[pyfile.PythonFile],
              files: Sequence[str]) -> docstyle.DocstyleFacts | None:
    """The docstring-style engine's verdicts on the written files, when that check runs."""
    if not config.wants("docstring-style"):
        return None
    options = config.check_options.get("docstring-style", {})
    return docstyle.collect(workdir, [f.path for f in analysed], files, options)


def selected_checks(config: Config, ignore: Sequence[str]) -> list[Check]:
    """The installed checks the audit would run, minus ``ignore``, with their options."""
    classes = registry.discover()
    validate_check_options(config, {cid: cls.default_options for cid, cls in classes.items()})
    wanted = [(cid, cls) for cid, cls in classes.items() if config.wants(cid) and cid not in ignore]
    return [cls(config.check_options.get(cid)) for cid, cls in wanted]


def score_side(repo: GitRepository, sha: str, config: Config, checks: list[Check]) -> Side:
    """The overall score and each check's result at one revision."""
    with tempfile.TemporaryDirectory(prefix="oshealth-rev-") as tmp:
        facts = facts_at(repo, sha, config, Path(tmp))
        results = engine.run(checks, facts)
    card = scoring.aggregate(results, config.weights)
    return card.score, {check.id: result for check, result in results}


def compare_scores(repo: GitRepository, base: str, head: str, config: Config, ignore: Sequence[str]) -> ScoreComparison:
    """Audit both ends and pair their scores.

    Args:
        repo: The repository.
        base: The merge base's commit id.
        head: HEAD's commit id.
        config: The configuration in force.
        ignore: Check ids left out.

    Returns:
        The comparison.
    """
    checks = selected_checks(config, ignore)
    base_score, base_results = score_side(repo, base, config, checks)
    head_score, head_results = score_side(repo, head, config, checks)
    rows = [
        CheckScores(cid, base_results[cid].score, head_results[cid].score, base_results[cid].reason,
                    head_results[cid].reason)
        for cid in sorted(head_results)
    ]
    ignored = sorted(set(ignore) & set(registry.discover()))
    return ScoreComparison(base_score, head_score, rows, ignored)


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
