"""The ``tests`` check: is there a test suite, is it run by CI, does it grow with the code?"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from oshealth.analysis.pyfile import PythonFile
from oshealth.facts import RepoFacts
from oshealth.git import Commit
from oshealth.models import Check, CheckResult, Finding, MetricValue, Severity

DAY = 86_400
#: Folder names whose files are tests or test support (fixtures, data, helpers).
TEST_DIRS = frozenset({"tests", "test"})
_TEST_MODULE = re.compile(r"test.*\.py|.+_test\.py")
_CI_CONFIG = re.compile(
    r"\.github/workflows/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|\.circleci/config\.ya?ml|\.?azure-pipelines\.ya?ml"
    r"|\.azure-pipelines/.+\.ya?ml|\.travis\.ya?ml|\.?appveyor\.ya?ml|Jenkinsfile|\.drone\.ya?ml"
    r"|bitbucket-pipelines\.ya?ml|\.woodpecker\.ya?ml|\.woodpecker/.+\.ya?ml"
)
_TEST_COMMAND = re.compile(
    r"\b(?:py\.?test|tox|nox|unittest|trial|(?:make|just|task)\s+(?:test|check)|"
    r"(?:hatch|pdm|poetry|rye|pipenv)\s+(?:run\s+)?test|manage\.py\s+test|setup\.py\s+test|coverage\s+run)\b"
)
_RUNNER_CONFIGS = ("tox.ini", "noxfile.py", "pytest.ini")
_MAKE_CALL = re.compile(r"\bmake\s+(?:-\S+\s+)*([A-Za-z_][\w.-]*)")


def is_test_path(path: str) -> bool:
    """Whether a file belongs to the test suite (pytest and unittest conventions).

    Args:
        path: Repository-relative POSIX path.

    Returns:
        True for ``test_*.py``, ``*_test.py``, ``tests.py``, ``test.py``, ``conftest.py``
        anywhere, and for every file under a ``tests/`` or ``test/`` folder.
    """
    folders = path.split("/")[:-1]
    name = posixpath.basename(path)
    if any(folder in TEST_DIRS for folder in folders):
        return True
    if name in ("conftest.py", "tests.py", "test.py") or name.endswith("_test.py"):
        return True
    return name.startswith("test_") and name.endswith(".py")


def is_test_module(path: str) -> bool:
    """Whether a test file is collected for test functions (``test*.py`` or ``*_test.py``)."""
    return path.endswith(".py") and is_test_path(path) and bool(_TEST_MODULE.fullmatch(posixpath.basename(path)))


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
        """Score the test suite, its CI and its co-evolution with the source."""
        tests = [f for f in facts.python_files if is_test_path(f.path)]
        source = [f for f in facts.python_files if not is_test_path(f.path)]
        if not source:
            return CheckResult.not_applicable("no Python source files (outside tests)")
        findings: list[Finding] = []
        functions = sum(f.test_functions for f in tests if is_test_module(f.path))
        test_lines = sum(f.code_lines for f in tests)
        source_lines = sum(f.code_lines for f in source)
        ratio = test_lines / source_lines if source_lines else 0.0
        ci, ci_tests = _ci_configs(facts)
        metrics: dict[str, MetricValue] = {
            "test_files": len(tests),
            "test_modules": sum(1 for f in tests if is_test_module(f.path)),
            "test_functions": functions,
            "test_code_lines": test_lines,
            "source_code_lines": source_lines,
            "test_to_source_ratio": round(ratio, 3),
            "ci_configs": ci,
            "ci_configs_running_tests": ci_tests,
            "test_runner_configs": [p for p in _RUNNER_CONFIGS if p in facts.files],
        }
        findings += _static_findings(tests, functions, ratio, float(self.options["target-ratio"]), ci, ci_tests)
        static = (3.0 if functions else 0.0) + 3.0 * min(1.0, ratio / float(self.options["target-ratio"]))
        static += 2.0 if ci_tests else 1.0 if ci else 0.0
        summary = f"{functions} test functions, {ratio:.2f} test lines per source line, CI {_ci_word(ci, ci_tests)}"
        history, why_not = self._history(facts)
        if history is None:
            metrics.update(source_commits_last_365_days=None, source_commits_with_tests=None, test_change_share=None)
            return CheckResult.scored(10 * static / 8, f"{summary}; {why_not}", metrics=metrics, findings=findings)
        share = history.with_tests / history.source_commits
        metrics.update(
            source_commits_last_365_days=history.source_commits,
            source_commits_with_tests=history.with_tests,
            test_change_share=round(share, 3),
        )
        if share < float(self.options["target-share"]):
            message = (
                f"only {history.with_tests} of {history.source_commits} commits that changed source "
                "in the last 365 days also changed tests"
            )
            findings.append(Finding(message, None, None, Severity.NOTE, "test-coupling"))
        score = static + 2.0 * min(1.0, share / float(self.options["target-share"]))
        reason = f"{summary}, {share:.0%} of source commits changed tests"
        return CheckResult.scored(score, reason, metrics=metrics, findings=findings)

    def _history(self, facts: RepoFacts) -> tuple[_History | None, str]:
        """Count the window's source commits, or say why the history part is not scored."""
        if facts.is_shallow:
            return None, "shallow clone: history part not scored (use fetch-depth: 0)"
        start = facts.now - 365 * DAY
        window = [c for c in facts.commits if start <= c.authored_at <= facts.now and not c.is_merge]
        touched = [_touches(c, facts) for c in window]
        source = [with_tests for changes_source, with_tests in touched if changes_source]
        minimum = int(self.options["min-source-commits"])
        if len(source) < minimum:
            return None, f"{len(source)} source commits in the last 365 days (< {minimum}): history part not scored"
        return _History(len(source), sum(source)), ""


def _touches(commit: Commit, facts: RepoFacts) -> tuple[bool, bool]:
    """Whether a commit added or modified source, and whether it touched test files."""
    source = tests = False
    for change in commit.changes:
        if facts.config.is_excluded(change.path):
            continue
        if is_test_path(change.path):
            tests = True
        elif change.path.endswith(".py") and change.status != "D":
            source = True
    return source, source and tests


def _ci_configs(facts: RepoFacts) -> tuple[list[str], list[str]]:
    """CI configuration files, and those whose (uncommented) text runs a test command.

    ``make TARGET`` counts when the root Makefile's recipe for TARGET runs one.
    """
    configs = [p for p in facts.files if _CI_CONFIG.fullmatch(p)]
    recipes = _make_recipes(facts.documents.get("Makefile", "") or facts.documents.get("makefile", ""))
    running = []
    for path in configs:
        lines = facts.documents.get(path, "").splitlines()
        text = "\n".join(line for line in lines if not line.lstrip().startswith(("#", "//")))
        made = (recipes.get(target, "") for target in _MAKE_CALL.findall(text))
        if _TEST_COMMAND.search(text) or any(_TEST_COMMAND.search(recipe) for recipe in made):
            running.append(path)
    return configs, running


def _make_recipes(makefile: str) -> dict[str, str]:
    """Target name -> its recipe lines (tab-indented), for simple Makefiles."""
    recipes: dict[str, str] = {}
    current: list[str] = []
    for line in makefile.splitlines():
        rule = re.match(r"^([\w.-]+(?:\s+[\w.-]+)*)\s*::?(?!=)", line)
        if rule:
            current = rule.group(1).split()
        elif line.startswith("\t"):
            for target in current:
                recipes[target] = recipes.get(target, "") + line + "\n"
        elif line.strip():
            current = []
    return recipes


def _ci_word(ci: list[str], ci_tests: list[str]) -> str:
    if ci_tests:
        return "runs tests"
    return "without a visible test command" if ci else "missing"


def _static_findings(
    tests: list[PythonFile], functions: int, ratio: float, target: float, ci: list[str], ci_tests: list[str]
) -> list[Finding]:
    findings = [
        Finding(f"test file cannot be analysed: {f.error}", f.path, None, Severity.WARNING, "unparsable-test")
        for f in tests
        if f.error
    ]
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
