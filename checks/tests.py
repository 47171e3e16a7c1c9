"""The ``tests`` check: is there a test suite, is it run by CI, does it grow with the code?"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from oshealth import historysummary
from oshealth.analysis.pyfile import PythonFile
from oshealth.ci import ci_configs
from oshealth.facts import RepoFacts
from oshealth.historysummary import RecentCommit
from oshealth.models import Check, CheckResult, Finding, MetricValue, Severity
from oshealth.testpaths import is_test_module, is_test_path

DAY = 86_400
_RUNNER_CONFIGS = ("tox.ini", "noxfile.py", "pytest.ini")


@dataclass(frozen=True)
class _Suite:
    """The test suite as the files show it.

    Attributes:
        tests: The test files.
        functions: Test functions collected from the test modules.
        test_lines: Code lines of the test files.
        source_lines: Code lines of the other Python files.
        ratio: ``test_lines / source_lines`` (0 without source lines).
        ci: CI configuration files.
        ci_tests: Those that run a test command.
    """

    tests: list[PythonFile]
    functions: int
    test_lines: int
    source_lines: int
    ratio: float
    ci: list[str]
    ci_tests: list[str]


@dataclass(frozen=True)
class _History:
    """Source-changing commits of the window and how many also changed tests."""

    source_commits: int
    with_tests: int


class Tests(Check):
    """The project should have a test suite that CI runs and that changes with the code.

    Measures, over Python files: test files (``test_*.py``, ``*_test.py``,
    ``tests.py``, ``conftest.py``, anything under ``tests/`` or ``test/``), the
    test functions pytest would collect from test modules, the test-to-source
    ratio (non-blank, non-comment lines of test files / of every other ``.py``
    file), CI configurations (GitHub Actions, GitLab CI, CircleCI, Azure, Travis,
    AppVeyor, Jenkins, Drone, Bitbucket, Woodpecker) and whether they run a test
    command (pytest, tox, nox, unittest, ``make test``...). From history: of the
    non-merge commits of the last 365 days that added or modified non-test
    ``.py`` files, the share that also touched test files.

    Score (10 points): test functions exist (3) + ``3 * min(1, ratio /
    target_ratio)`` + CI (2 when it runs tests, 1 when CI exists but no test
    command is visible) + ``2 * min(1, share / target_share)``. When the history
    part cannot be judged (shallow clone, or fewer than ``min-source-commits``
    source commits in the window) the static part is scaled to 10:
    ``10 * static / 8``, and the reason says so. Not applicable without
    non-test Python files. Passes at 7.
    Why: untested code breaks silently; tests that CI never runs rot; code that
    changes without its tests drifts away from them.

    Fix: add pytest tests under ``tests/`` for the untested code, run them in a CI
    workflow (``pytest`` in ``.github/workflows/tests.yml``), and change tests in the
    same commit as the code they cover.
    """

    id: ClassVar[str] = "tests"
    category: ClassVar[str] = "tests"
    weight: ClassVar[float] = 2.0
    default_options: ClassVar[Mapping[str, Any]] = {
        "target-ratio": 0.5,
        "target-share": 0.5,
        "min-source-commits": 5,
    }

    def evaluate(self, facts: RepoFacts) -> CheckResult:
        """Score the test suite, its CI and its co-evolution with the source.

        Args:
            facts: Everything read from the repository.

        Returns:
            The check's result; not applicable without non-test Python files.
        """
        source = [f for f in facts.python_files if not is_test_path(f.path)]
        if not source:
            return CheckResult.not_applicable("no Python source files (outside tests)")
        suite = _suite(facts, source)
        target_ratio = float(self.options["target-ratio"])
        metrics = _static_metrics(suite, facts)
        findings = _static_findings(suite, target_ratio)
        static = (3.0 if suite.functions else 0.0) + 3.0 * min(1.0, suite.ratio / target_ratio)
        static += 2.0 if suite.ci_tests else 1.0 if suite.ci else 0.0
        summary = (
            f"{suite.functions} test functions, {suite.ratio:.2f} test lines per source line, "
            f"CI {_ci_word(suite.ci, suite.ci_tests)}"
        )
        history, why_not = self._history(facts)
        if history is None:
            metrics.update(source_commits_last_365_days=None, source_commits_with_tests=None, test_change_share=None)
            return CheckResult.scored(10 * static / 8, f"{summary}; {why_not}", metrics=metrics, findings=findings)
        return self._with_history(history, static, summary, metrics, findings)

    def _with_history(
        self, history: _History, static: float, summary: str, metrics: dict[str, MetricValue], findings: list[Finding]
    ) -> CheckResult:
        """Add the history part: the share of source commits that also changed tests (2 points).

        Args:
            history: The window's source commits.
            static: The points of the static part (out of 8).
            summary: The reason so far.
            metrics: The metrics so far, updated in place.
            findings: The findings so far, updated in place.

        Returns:
            The check's result.
        """
        target_share = float(self.options["target-share"])
        share = history.with_tests / history.source_commits
        metrics.update(
            source_commits_last_365_days=history.source_commits,
            source_commits_with_tests=history.with_tests,
            test_change_share=round(share, 3),
        )
        if share < target_share:
            message = (
                f"only {history.with_tests} of {history.source_commits} commits that changed source "
                "in the last 365 days also changed tests"
            )
            findings.append(Finding(message, None, None, Severity.NOTE, "test-coupling"))
        score = static + 2.0 * min(1.0, share / target_share)
        reason = f"{summary}, {share:.0%} of source commits changed tests"
        return CheckResult.scored(score, reason, metrics=metrics, findings=findings)

    def _history(self, facts: RepoFacts) -> tuple[_History | None, str]:
        """Count the window's source commits, or say why the history part is not scored.

        Args:
            facts: Everything read from the repository.

        Returns:
            ``(history, "")``, or ``(None, why not)`` for a shallow clone or too few source commits.
        """
        if facts.is_shallow:
            return None, "shallow clone: history part not scored (use fetch-depth: 0)"
        start = facts.now - 365 * DAY
        window = historysummary.of(facts).recent_between(start, facts.now)
        if window is None:  # the stored summary does not reach back so far (the clock was set back)
            window = historysummary.of_commits(facts.commits).recent_between(start, facts.now) or []
        excluded = facts.config.is_excluded if facts.config.exclude else None
        touched = [_touches(commit, excluded) for commit in window]
        source = [with_tests for changes_source, with_tests in touched if changes_source]
        minimum = int(self.options["min-source-commits"])
        if len(source) < minimum:
            return None, f"{len(source)} source commits in the last 365 days (< {minimum}): history part not scored"
        return _History(len(source), sum(source)), ""


def _suite(facts: RepoFacts, source: list[PythonFile]) -> _Suite:
    """Measure the test suite: test files and functions, line counts, CI configurations.

    Args:
        facts: Everything read from the repository.
        source: The Python files outside the test suite.

    Returns:
        The suite's figures.
    """
    tests = [f for f in facts.python_files if is_test_path(f.path)]
    test_lines = sum(f.code_lines for f in tests)
    source_lines = sum(f.code_lines for f in source)
    ci, ci_tests = ci_configs(facts.files, facts.documents)
    return _Suite(
        tests=tests,
        functions=sum(f.test_functions for f in tests if is_test_module(f.path)),
        test_lines=test_lines,
        source_lines=source_lines,
        ratio=test_lines / source_lines if source_lines else 0.0,
        ci=ci,
        ci_tests=ci_tests,
    )


def _static_metrics(suite: _Suite, facts: RepoFacts) -> dict[str, MetricValue]:
    """Gather the metrics of the static part.

    Args:
        suite: The suite's figures.
        facts: Everything read from the repository.

    Returns:
        The metrics.
    """
    return {
        "test_files": len(suite.tests),
        "test_modules": sum(1 for f in suite.tests if is_test_module(f.path)),
        "test_functions": suite.functions,
        "test_code_lines": suite.test_lines,
        "source_code_lines": suite.source_lines,
        "test_to_source_ratio": round(suite.ratio, 3),
        "ci_configs": suite.ci,
        "ci_configs_running_tests": suite.ci_tests,
        "test_runner_configs": [p for p in _RUNNER_CONFIGS if p in facts.files],
    }


def _touches(commit: RecentCommit, excluded: Callable[[str], bool] | None) -> tuple[bool, bool]:
    """Whether a commit added or modified source, and whether it touched test files (``exclude`` applied).

    Args:
        commit: A recent commit that added or modified source, as the history summary holds it.
        excluded: ``Config.is_excluded``, or None when nothing is excluded.

    Returns:
        ``(changed source, changed source and tests)``.
    """
    _, sources, tests = commit
    if excluded is None:
        return True, bool(tests)
    source = any(not excluded(path) for path in sources)
    return source, source and any(not excluded(path) for path in tests)


def _ci_word(ci: list[str], ci_tests: list[str]) -> str:
    """Describe the CI for the reason.

    Args:
        ci: CI configuration files.
        ci_tests: Those that run a test command.

    Returns:
        ``runs tests``, ``without a visible test command`` or ``missing``.
    """
    if ci_tests:
        return "runs tests"
    return "without a visible test command" if ci else "missing"


def _static_findings(suite: _Suite, target: float) -> list[Finding]:
    """List what the static part lacks: unparsable tests, no tests, too few, no CI, CI without tests.

    Args:
        suite: The suite's figures.
        target: The target test-to-source ratio.

    Returns:
        The findings.
    """
    findings = [
        Finding(f"test file cannot be analysed: {f.error}", f.path, None, Severity.WARNING, "unparsable-test")
        for f in suite.tests
        if f.error
    ]
    functions, ratio, ci, ci_tests = suite.functions, suite.ratio, suite.ci, suite.ci_tests
    if not functions:
        message = "no test functions found; add pytest tests (tests/test_*.py with test_* functions)"
        findings.append(Finding(message, None, None, Severity.ERROR, "no-tests"))
    elif ratio < target:
        message = f"{ratio:.2f} lines of test code per line of source, below the target of {target:g}"
        findings.append(Finding(message, None, None, Severity.WARNING, "test-ratio"))
    if not ci:
        message = "no CI configuration; add a workflow in .github/workflows that runs the tests"
        findings.append(Finding(message, None, None, Severity.WARNING, "no-ci"))
    elif not ci_tests:
        message = f"none of the {len(ci)} CI configurations runs a visible test command (pytest, tox, make test...)"
        findings.append(Finding(message, None, None, Severity.NOTE, "ci-without-tests"))
    return findings
