"""The docstring-coverage check: interrogate's numbers, computed on oshealth's one parse per file."""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from typing import Any, ClassVar

from oshealth import interrogate_config
from oshealth.analysis.docstring_tally import Tally, percent, tally_files
from oshealth.analysis.public_api import is_public, is_test_file, module_name
from oshealth.analysis.pyfile import PythonFile
from oshealth.facts import RepoFacts
from oshealth.findinglist import FindingList
from oshealth.interrogate_config import InterrogateSettings
from oshealth.models import Check, CheckResult, Finding, MetricValue, Severity, Status

__all__ = ["DocstringCoverage", "is_public", "is_test_file", "module_name"]


class DocstringCoverage(Check):
    """Modules, classes and functions should carry docstrings (interrogate's coverage).

    What: the share of modules, classes, functions and methods that have a
    non-blank docstring, with exactly the semantics of interrogate 1.7.0 run at
    the repository root: the repository's own ``[tool.interrogate]`` settings
    in ``pyproject.toml`` (or ``[tool:interrogate]`` in ``setup.cfg`` when there
    is no ``pyproject.toml``) apply, with every ``ignore-*`` option,
    ``ignore-regex``, ``whitelist-regex``, ``exclude``, ``style`` and
    ``fail-under``, and interrogate's own exclusions (``.tox``, ``.venv``,
    ``venv``, ``.git``, ``.hg`` at the root, matched as path prefixes).
    ``covered``, ``total`` and ``percent`` equal what ``interrogate -v .``
    reports. Files that cannot be parsed (syntax errors, Python 2, bad
    encodings) are findings and left out of the numbers (``unparsed_files``);
    interrogate itself crashes on them, and on very deeply nested code and
    non-UTF-8 files, which oshealth does measure. Files that cannot be read (no
    permission; a symbolic link to a file outside the repository, which is
    never read) are findings too (rule ``unread``). ``.pyi`` stubs requested
    with ``ext`` are not measured (``unmeasured_stub_files``).

    Public API: ``public_*`` metrics count the measured objects that are public:
    no name on the way from the package folders down to the object starts with
    an underscore (dunder names such as ``__init__``, ``__call__`` or
    ``__init__.py`` are public: they are part of a class's or package's
    interface), the object is not defined inside a function, and the file is
    not a test file (``test_*.py``, ``*_test.py``, ``conftest.py``, or under a
    ``test``/``tests``/``testing`` folder).

    Score: ``10 * (percent + public_percent) / 200``, or ``10 * percent / 100``
    when nothing public is measured. The check passes when ``percent``, rounded
    as interrogate rounds it, is at least ``fail-under``: the option when set in
    oshealth's config, else the repository's interrogate ``fail-under``, else 80.

    Options: ``fail-under`` (percent), ``exclude-tests`` (leave test files out
    of every number), ``use-repo-config`` (false: interrogate's defaults).

    Why: undocumented API is the first wall a new user hits.

    Fix: add a docstring to each object listed in the findings, public ones first.
    """

    id: ClassVar[str] = "docstring-coverage"
    category: ClassVar[str] = "documentation"
    weight: ClassVar[float] = 2.0
    default_options: ClassVar[Mapping[str, Any]] = {
        "fail-under": interrogate_config.DEFAULT_FAIL_UNDER,
        "exclude-tests": False,
        "use-repo-config": True,
    }

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        """Create the check, remembering which options were set explicitly.

        Args:
            options: Per-check options from config, already validated.
        """
        super().__init__(options)
        self._explicit = frozenset(options or ())

    def evaluate(self, facts: RepoFacts) -> CheckResult:
        """Measure docstring coverage the way interrogate would at the repository root.

        Args:
            facts: Everything read from the repository.

        Returns:
            The coverage result, or not applicable without Python files.
        """
        if not facts.python_files:
            return CheckResult.not_applicable("no Python files in the repository")
        settings = self._settings(facts)
        root = facts.root.as_posix()
        in_scope = self._in_scope(facts, settings, root)
        if not in_scope:
            return CheckResult.not_applicable("interrogate's settings (or exclude-tests) leave out every Python file")
        tally = tally_files(in_scope, settings)
        tally.findings.extend(
            Finding(skip.reason, skip.path, None, Severity.WARNING, "unread")
            for skip in facts.skipped
            if not settings.is_excluded(root, skip.path)
        )
        unparsed = sum(1 for f in in_scope if f.error is not None)
        stubs = _unmeasured_stubs(facts.files, settings, root)
        metrics = self._metrics(tally, settings, facts, in_scope, unparsed, stubs)
        return self._result(tally, settings, metrics, len(in_scope) - unparsed)

    def _settings(self, facts: RepoFacts) -> InterrogateSettings:
        """Read the repository's interrogate settings, unless the options say not to.

        Args:
            facts: Everything read from the repository.

        Returns:
            The settings in force (interrogate's defaults when none apply).
        """
        settings = interrogate_config.read(facts.documents) if self.options["use-repo-config"] else None
        return settings or InterrogateSettings()

    def _in_scope(self, facts: RepoFacts, settings: InterrogateSettings, root: str) -> list[PythonFile]:
        """Select the Python files interrogate would look at (and, if asked, leave tests out).

        Args:
            facts: Everything read from the repository.
            settings: The interrogate settings in force.
            root: The work tree, as a POSIX path.

        Returns:
            The files in scope, in the facts' order.
        """
        in_scope = [f for f in facts.python_files if not settings.is_excluded(root, f.path)]
        if self.options["exclude-tests"]:
            in_scope = [f for f in in_scope if not is_test_file(f.path)]
        return in_scope

    def _fail_under(self, settings: InterrogateSettings) -> float:
        """Choose the threshold: oshealth's option when set, else the repository's, else the default.

        Args:
            settings: The interrogate settings in force.

        Returns:
            The ``fail-under`` percentage.
        """
        if "fail-under" in self._explicit or settings.fail_under is None:
            return float(self.options["fail-under"])
        return settings.fail_under

    def _metrics(
        self,
        tally: Tally,
        settings: InterrogateSettings,
        facts: RepoFacts,
        in_scope: list[PythonFile],
        unparsed: int,
        stubs: int,
    ) -> dict[str, MetricValue]:
        """Gather the check's metrics.

        Args:
            tally: The totals over the measured files.
            settings: The interrogate settings in force.
            facts: Everything read from the repository.
            in_scope: The files in scope.
            unparsed: How many of them could not be parsed.
            stubs: How many ``.pyi`` files were asked for but not measured.

        Returns:
            The metrics, files sorted by path.
        """
        return {
            "covered": tally.covered,
            "total": tally.total,
            "percent": percent(tally.covered, tally.total),
            "public_covered": tally.public_covered,
            "public_total": tally.public_total,
            "public_percent": percent(tally.public_covered, tally.public_total),
            "fail_under": self._fail_under(settings),
            "measured_files": len(tally.files),
            "unparsed_files": unparsed,
            "excluded_files": len(facts.python_files) - len(in_scope),
            "unmeasured_stub_files": stubs,
            "config_source": settings.source or "interrogate defaults",
            "files": sorted(tally.files, key=lambda row: str(row["path"])),
        }

    def _result(
        self, tally: Tally, settings: InterrogateSettings, metrics: dict[str, MetricValue], parsed: int
    ) -> CheckResult:
        """Score the totals and decide pass or fail against ``fail-under``.

        Args:
            tally: The totals over the measured files.
            settings: The interrogate settings in force.
            metrics: The metrics from :meth:`_metrics`.
            parsed: How many files in scope could be parsed.

        Returns:
            The check's result.
        """
        if parsed == 0:
            return CheckResult.inconclusive("no Python file in scope could be parsed", metrics, _findings(tally))
        if tally.total == 0:
            return CheckResult.not_applicable("interrogate's settings leave no object to measure", metrics)
        percent = 100.0 * tally.covered / tally.total
        if tally.public_total:
            public = 100.0 * tally.public_covered / tally.public_total
            score = 10.0 * (percent + public) / 200.0
            detail = f"; public API {public:.1f}% of {tally.public_total}"
        else:
            score, detail = percent / 10.0, "; no public API measured"
        fail_under = self._fail_under(settings)
        passed = round(percent, _decimals(fail_under)) >= fail_under
        stubs = metrics["unmeasured_stub_files"]
        reason = (
            f"{percent:.1f}% of {tally.total} objects documented (need {fail_under:g}%){detail}"
            + (f"; {stubs} .pyi files not measured" if stubs else "")
        )
        status = Status.PASS if passed else Status.FAIL
        return CheckResult(status, round(min(10.0, max(0.0, score)), 2), reason, metrics, _findings(tally))


def _findings(tally: Tally) -> FindingList:
    """The findings of the files (as blocks) and the others."""
    return FindingList(tally.blocks, tally.findings)


def _unmeasured_stubs(files: tuple[str, ...], settings: InterrogateSettings, root: str) -> int:
    """Count the non-``.py`` files (``.pyi`` stubs) interrogate's ``ext`` asks for, which are not measured.

    Args:
        files: Every file of the work tree.
        settings: The interrogate settings in force.
        root: The work tree, as a POSIX path.

    Returns:
        How many such files are in scope.
    """
    return sum(
        1
        for path in files
        if not path.endswith(".py") and settings.measures_extension(path) and not settings.is_excluded(root, path)
    )


def _decimals(fail_under: float) -> int:
    """Decimals interrogate rounds the percentage to before comparing with ``fail-under``."""
    exponent = decimal.Decimal(str(fail_under)).as_tuple().exponent
    return -exponent if isinstance(exponent, int) else 0
