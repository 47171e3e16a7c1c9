"""The docstring-coverage check: interrogate's numbers, computed on oshealth's one parse per file."""

from __future__ import annotations

import decimal
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from oshealth import interrogate_config
from oshealth.analysis.docstrings import DocNode, measure
from oshealth.analysis.pyfile import PythonFile
from oshealth.facts import RepoFacts
from oshealth.interrogate_config import InterrogateSettings
from oshealth.models import Check, CheckResult, Finding, MetricValue, Severity, Status

_TEST_DIRS = frozenset({"test", "tests", "testing"})


@dataclass
class _Tally:
    """Running totals over the measured files."""

    covered: int = 0
    total: int = 0
    public_covered: int = 0
    public_total: int = 0
    files: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


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
    non-UTF-8 files, which oshealth does measure. ``.pyi`` stubs requested
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
        settings = interrogate_config.read(facts.documents) if self.options["use-repo-config"] else None
        settings = settings or InterrogateSettings()
        root = facts.root.as_posix()
        in_scope = [f for f in facts.python_files if not settings.is_excluded(root, f.path)]
        if self.options["exclude-tests"]:
            in_scope = [f for f in in_scope if not is_test_file(f.path)]
        if not in_scope:
            return CheckResult.not_applicable("interrogate's settings (or exclude-tests) leave out every Python file")
        tally = _Tally()
        tally.findings.extend(_config_findings(settings))
        unparsed = [f for f in in_scope if f.error is not None]
        tally.findings.extend(
            Finding(f"could not be analysed: {f.error}", f.path, None, Severity.WARNING, "unparsed") for f in unparsed
        )
        for file in in_scope:
            if file.error is None:
                _measure_file(file, settings, tally)
        stubs = _unmeasured_stubs(facts.files, settings, root)
        metrics = self._metrics(tally, settings, facts, in_scope, len(unparsed), stubs)
        return self._result(tally, settings, metrics, len(in_scope) - len(unparsed))

    def _fail_under(self, settings: InterrogateSettings) -> float:
        if "fail-under" in self._explicit or settings.fail_under is None:
            return float(self.options["fail-under"])
        return settings.fail_under

    def _metrics(
        self,
        tally: _Tally,
        settings: InterrogateSettings,
        facts: RepoFacts,
        in_scope: list[PythonFile],
        unparsed: int,
        stubs: int,
    ) -> dict[str, MetricValue]:
        return {
            "covered": tally.covered,
            "total": tally.total,
            "percent": _percent(tally.covered, tally.total),
            "public_covered": tally.public_covered,
            "public_total": tally.public_total,
            "public_percent": _percent(tally.public_covered, tally.public_total),
            "fail_under": self._fail_under(settings),
            "measured_files": len(tally.files),
            "unparsed_files": unparsed,
            "excluded_files": len(facts.python_files) - len(in_scope),
            "unmeasured_stub_files": stubs,
            "config_source": settings.source or "interrogate defaults",
            "files": sorted(tally.files, key=lambda row: str(row["path"])),
        }

    def _result(
        self, tally: _Tally, settings: InterrogateSettings, metrics: dict[str, MetricValue], parsed: int
    ) -> CheckResult:
        if parsed == 0:
            return CheckResult.inconclusive("no Python file in scope could be parsed", metrics, tally.findings)
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
        return CheckResult(status, round(min(10.0, max(0.0, score)), 2), reason, metrics, tuple(tally.findings))


def _measure_file(file: PythonFile, settings: InterrogateSettings, tally: _Tally) -> None:
    counted = measure(file.doc_nodes, settings)
    if counted is None:
        return
    test_file = is_test_file(file.path)
    covered = sum(1 for c in counted if c.covered)
    tally.covered += covered
    tally.total += len(counted)
    percent = _percent(covered, len(counted), 100.0)
    tally.files.append({"path": file.path, "covered": covered, "total": len(counted), "percent": percent})
    reported: set[int] = set()
    for item in counted:
        public = not test_file and is_public(file.doc_nodes, item.index, file.path)
        if public:
            tally.public_total += 1
            tally.public_covered += item.covered
        if not item.covered and item.index not in reported:
            reported.add(item.index)
            tally.findings.append(_missing(file, item.index, public))


def _missing(file: PythonFile, index: int, public: bool) -> Finding:
    node = file.doc_nodes[index]
    name = module_name(file.path) + (f".{node.qualname}" if node.qualname else "")
    visibility = "public" if public else "private"
    return Finding(
        f"{visibility} {_kind(file.doc_nodes, node)} `{name}` has no docstring",
        file.path,
        node.line or 1,
        Severity.WARNING if public else Severity.NOTE,
        f"missing-{visibility}",
    )


def _kind(nodes: tuple[DocNode, ...], node: DocNode) -> str:
    if node.node_type == "Module":
        return "module"
    if node.node_type == "ClassDef":
        return "class"
    parent = nodes[node.parent] if node.parent is not None else None
    return "method" if parent is not None and parent.node_type == "ClassDef" else "function"


def _config_findings(settings: InterrogateSettings) -> list[Finding]:
    path = settings.source.split(" ", 1)[0] or None
    return [Finding(problem, path, None, Severity.WARNING, "interrogate-config") for problem in settings.problems]


def _unmeasured_stubs(files: tuple[str, ...], settings: InterrogateSettings, root: str) -> int:
    return sum(
        1
        for path in files
        if not path.endswith(".py") and settings.measures_extension(path) and not settings.is_excluded(root, path)
    )


def _percent(covered: int, total: int, empty: float | None = None) -> float | None:
    """Percentage to two decimals; ``empty`` when there is nothing (interrogate shows 100 for a file)."""
    return round(100.0 * covered / total, 2) if total else empty


def _decimals(fail_under: float) -> int:
    """Decimals interrogate rounds the percentage to before comparing with ``fail-under``."""
    exponent = decimal.Decimal(str(fail_under)).as_tuple().exponent
    return -exponent if isinstance(exponent, int) else 0


def _is_private_name(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def is_test_file(path: str) -> bool:
    """Whether ``path`` is a test file: ``test_*.py``, ``*_test.py``, ``conftest.py`` or under a test folder."""
    *folders, base = path.split("/")
    return (
        base.startswith("test_") or base.endswith("_test.py") or base == "conftest.py"
        or any(folder in _TEST_DIRS for folder in folders)
    )


def is_public(nodes: tuple[DocNode, ...], index: int, path: str) -> bool:
    """Whether an object is public API: no private name from its package down, not local to a function.

    Args:
        nodes: The file's records.
        index: Position of the object in ``nodes``.
        path: The file's repository-relative path.

    Returns:
        True for public objects (dunder names count as public).
    """
    stem = posixpath.splitext(path)[0]
    if any(_is_private_name(part) for part in stem.split("/")):
        return False
    node: DocNode | None = nodes[index]
    while node is not None and node.parent is not None:
        parent = nodes[node.parent]
        if _is_private_name(node.name) or parent.node_type in ("FunctionDef", "AsyncFunctionDef"):
            return False
        node = parent
    return True


def module_name(path: str) -> str:
    """Dotted module name of a repository-relative path (``src/pkg/__init__.py`` -> ``pkg``)."""
    dotted = posixpath.splitext(path)[0].removeprefix("src/").replace("/", ".")
    return dotted.removesuffix(".__init__") or dotted
