"""The docstring-style check: pydocstyle's rules, as ruff (or pydocstyle) applies them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from oshealth.analysis import docstyle, docstyle_tally
from oshealth.analysis.docstyle_tally import Totals
from oshealth.analysis.public_api import is_test_file
from oshealth.facts import RepoFacts
from oshealth.findinglist import FindingList
from oshealth.models import Check, CheckResult, MetricValue


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
        exclude = bool(self.options["exclude-tests"])
        if exclude:
            files = tuple(f for f in files if not is_test_file(f.path))
            if not files:
                return CheckResult.not_applicable("exclude-tests leaves out every Python file")
        # each file's figures and findings are its part: a re-audit reads those of unchanged files
        totals = docstyle_tally.tally(files, style, exclude)
        return _score(style, totals, len(facts.python_files) - len(files))

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


def _score(style: docstyle.DocstyleFacts, totals: Totals, excluded: int) -> CheckResult:
    """Score the violations per documented object and list them as findings.

    Args:
        style: The engine's verdicts.
        totals: The files' figures, added up, and their findings.
        excluded: Test files left out by option ``exclude-tests``.

    Returns:
        The check's result: ``10 / (1 + violations per documented object)``.
    """
    violations = sum(totals.by_code.values())
    rate = violations / max(1, totals.documented)
    metrics: dict[str, MetricValue] = {
        "violations": violations,
        "violations_per_documented_object": round(rate, 4),
        "documented_objects": totals.documented,
        "by_code": dict(sorted(totals.by_code.items())),
        "engine": style.engine,
        "engine_version": style.engine_version,
        "convention": style.convention,
        "convention_source": style.convention_source,
        "files_checked": totals.checked,
        "test_files_excluded": excluded,
        "files_not_parsed": totals.unparsed,
        "parse_errors": totals.errors,
    }
    reason = (
        f"{violations} {style.convention} docstring violation{'s' if violations != 1 else ''} "
        f"({rate:.2f} per documented object) in {totals.checked} files, by {style.engine}"
    )
    result = CheckResult.scored(10.0 / (1.0 + rate), reason, metrics=metrics)
    # the findings stay in blocks (CheckResult.scored would decode them into a tuple)
    return replace(result, findings=FindingList(totals.blocks))
