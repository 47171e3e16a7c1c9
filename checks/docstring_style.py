"""The docstring-style check: pydocstyle's rules, as ruff (or pydocstyle) applies them."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any, ClassVar

from oshealth.analysis import docstyle
from oshealth.analysis.public_api import is_test_file
from oshealth.analysis.pyfile import PythonFile
from oshealth.facts import RepoFacts
from oshealth.models import Check, CheckResult, Finding, MetricValue, Severity


class DocstringStyle(Check):
    """Docstrings should follow a docstring convention (pep257, numpy or google).

    What: the violations of pydocstyle's rules (D1xx missing docstrings, D2xx
    whitespace, D3xx quotes, D4xx content) in every Python file, exactly as
    ``ruff check --isolated --select D`` reports them with the convention set
    (``--config 'lint.pydocstyle.convention="..."'``), which leaves out the rules
    the convention does not use. Option ``engine = "pydocstyle"`` runs
    ``pydocstyle --convention=...`` instead (install ``oshealth[pydocstyle]``;
    it is deprecated and much slower; test files are checked too).

    The convention is option ``convention`` when set; else the repository's own
    settings in its root folder: ruff's (``[lint.pydocstyle]`` or ``[pydocstyle]``
    in ``.ruff.toml`` or ``ruff.toml``, ``[tool.ruff.lint.pydocstyle]`` or
    ``[tool.ruff.pydocstyle]`` in ``pyproject.toml``) and pydocstyle's
    (``[pydocstyle]`` in ``setup.cfg``, ``tox.ini`` or ``.pydocstyle``,
    ``[tool.pydocstyle]`` in ``pyproject.toml``), the engine's own tool first;
    else pep257. Only the convention is read from those settings: their
    ``select``, ``ignore`` and per-file ignores are not applied. Files the
    engine cannot parse (syntax errors, not UTF-8) are findings and are counted
    apart, never as violations.

    Option ``exclude-tests = true`` leaves test files (``test_*.py``,
    ``*_test.py``, ``conftest.py``, files under ``test``/``tests`` folders) out
    of every number, as docstring-coverage's option of the same name does: for
    projects whose tests are not meant to carry docstrings.

    Score: ``10 / (1 + violations / max(1, documented))``, where ``documented``
    is the number of modules, classes and functions that have a docstring. It
    passes at 7, that is at most 0.43 violations per documented object: style
    matters relative to how much documentation there is to read.

    Fix: correct each docstring listed in the findings (``ruff check --select D
    --fix`` repairs many of them), or set the convention the project really
    follows in ``[tool.ruff.lint.pydocstyle]``.
    """

    id: ClassVar[str] = "docstring-style"
    category: ClassVar[str] = "documentation"
    weight: ClassVar[float] = 1.0
    default_options: ClassVar[dict[str, Any]] = {
        "engine": docstyle.DEFAULT_ENGINE,
        "convention": "",
        "exclude-tests": False,
    }

    def evaluate(self, facts: RepoFacts) -> CheckResult:
        """Score the docstrings' style from the engine's violations.

        Args:
            facts: The repository's facts.

        Returns:
            The check's result.
        """
        if not facts.python_files:
            return CheckResult.not_applicable("no Python files")
        style = facts.docstyle
        if style is None:
            return CheckResult.inconclusive("docstring style was not collected with the facts")
        mismatch = self._mismatch(style)
        if mismatch:
            return CheckResult.inconclusive(mismatch)
        if style.error:
            return CheckResult.inconclusive(f"{style.engine} could not check the docstrings: {style.error}")
        files = facts.python_files
        if self.options["exclude-tests"]:
            files, style = _without_tests(files, style)
            if not files:
                return CheckResult.not_applicable("exclude-tests leaves out every Python file")
        return _score(style, sum(node.covered for f in files for node in f.doc_nodes),
                      len(facts.python_files) - len(files))

    def _mismatch(self, style: docstyle.DocstyleFacts) -> str | None:
        """Say why facts collected for another engine or convention cannot be judged.

        Args:
            style: The collected facts.

        Returns:
            The reason, or None when the facts match the options.
        """
        engine, convention = self.options["engine"], self.options["convention"]
        if engine != style.engine or (convention and convention != style.convention):
            return (
                f"facts were collected with {style.engine}/{style.convention}, "
                f"not the configured {engine}/{convention or 'repository convention'}"
            )
        return None


def _without_tests(
    files: tuple[PythonFile, ...], style: docstyle.DocstyleFacts
) -> tuple[tuple[PythonFile, ...], docstyle.DocstyleFacts]:
    """The Python files and the engine's verdicts without the test files (option ``exclude-tests``).

    Args:
        files: The analysed Python files.
        style: The engine's verdicts on them.

    Returns:
        Both, test files left out.
    """
    kept = {path: record for path, record in style.files.items() if not is_test_file(path)}
    return tuple(f for f in files if not is_test_file(f.path)), replace(style, files=kept)


def _score(style: docstyle.DocstyleFacts, documented: int, excluded: int) -> CheckResult:
    """Score the violations per documented object and list them as findings.

    Args:
        style: The engine's verdicts.
        documented: How many objects carry a docstring.
        excluded: Test files left out by option ``exclude-tests``.

    Returns:
        The check's result: ``10 / (1 + violations per documented object)``.
    """
    findings, by_code, unparsed = _findings(style)
    violations = sum(by_code.values())
    rate = violations / max(1, documented)
    metrics: dict[str, MetricValue] = {
        "violations": violations,
        "violations_per_documented_object": round(rate, 4),
        "documented_objects": documented,
        "by_code": dict(sorted(by_code.items())),
        "engine": style.engine,
        "engine_version": style.engine_version,
        "convention": style.convention,
        "convention_source": style.convention_source,
        "files_checked": len(style.files),
        "test_files_excluded": excluded,
        "files_not_parsed": len(unparsed),
        "parse_errors": sum(len(r.errors) for r in style.files.values()),
    }
    reason = (
        f"{violations} {style.convention} docstring violation{'s' if violations != 1 else ''} "
        f"({rate:.2f} per documented object) in {len(style.files)} files, by {style.engine}"
    )
    return CheckResult.scored(10.0 / (1.0 + rate), reason, metrics=metrics, findings=findings)


def _findings(style: docstyle.DocstyleFacts) -> tuple[list[Finding], Counter[str], list[str]]:
    """Turn the engine's verdicts into findings, counting violations by rule.

    Args:
        style: The engine's verdicts.

    Returns:
        ``(findings, violations by code, files the engine could not check)``;
        an unchecked file gets one finding, for its first error.
    """
    findings: list[Finding] = []
    by_code: Counter[str] = Counter()
    unparsed: list[str] = []
    severity_of: dict[str, Severity] = {}  # per rule code, not per violation (there may be tens of thousands)
    for path, record in style.files.items():
        for violation in record.violations:
            code = violation.code
            by_code[code] += 1
            severity = severity_of.get(code)
            if severity is None:
                severity = severity_of[code] = _severity(code)
            findings.append(Finding(violation.message, path, violation.line, severity, code))
        if record.errors:
            first = record.errors[0]
            unparsed.append(path)
            message = f"{style.engine} could not check this file: {first.message}"
            findings.append(Finding(message, path, first.line, Severity.WARNING, first.code))
    return findings, by_code, unparsed


def _severity(code: str) -> Severity:
    """Rank a rule's violations: missing docstrings above layout slips.

    Args:
        code: The rule code.

    Returns:
        WARNING for D1xx (missing docstrings), NOTE for the rest.
    """
    # a missing docstring hides an API; a layout slip only slows reading
    return Severity.WARNING if code.startswith("D1") else Severity.NOTE
