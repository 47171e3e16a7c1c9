"""Gate rules on the changed code: docstrings (1) and complexity (2).

Rule 3 (tests changed with the source) is in :mod:`oshealth.gate.tests_changed`.
"""

from __future__ import annotations

import ast
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from oshealth import api, api_bases, interrogate_config
from oshealth.analysis import docstring_filters, docstrings, docstyle
from oshealth.analysis.complexity import Block
from oshealth.analysis.public_api import is_test_file
from oshealth.analysis.pyfile import PythonFile
from oshealth.config import Config
from oshealth.gate.collect import SETTINGS_FILES, ChangeSet
from oshealth.gate.model import RuleResult, RuleStatus
from oshealth.gate.settings import DiffSettings
from oshealth.interrogate_config import InterrogateSettings
from oshealth.models import Finding, MetricValue, Severity
from oshealth.symbols import Change, FileSymbols, Symbol
from oshealth.wording import plural

TITLES = {
    "docstrings": "Docstrings on added and changed public objects",
    "complexity": "Complexity of changed functions",
    "tests": "Tests changed with the source",
    "changelog": "Changelog entry for public API changes",
    "docs": "Documentation for added public API",
    "scores": "Scores at base and head",
}


def outcome(rule: str, settings: DiffSettings, findings: list[Finding], message: str, ok: str,
            metrics: Mapping[str, MetricValue] | None = None) -> RuleResult:
    """A rule's result: failing or warning (per its level) when it has findings, else passing.

    Args:
        rule: The rule id.
        settings: The gate settings.
        findings: Violations (severity is set here from the level).
        message: The one-line message when there are findings.
        ok: The one-line message when there are none.
        metrics: Figures behind the outcome.

    Returns:
        The rule's result, findings fingerprinted and sorted.
    """
    level = settings.level(rule)
    if not findings:
        return RuleResult(rule, TITLES[rule], RuleStatus.PASS, ok, (), dict(metrics or {}))
    severity = Severity.ERROR if level == "fail" else Severity.WARNING
    status = RuleStatus.FAIL if level == "fail" else RuleStatus.WARN
    marked = [Finding(f.message, f.path, f.line, severity if f.severity is not Severity.NOTE else f.severity, rule)
              for f in findings]
    return RuleResult(rule, TITLES[rule], status, message, normalized(rule, marked), dict(metrics or {}))


def normalized(rule: str, findings: list[Finding]) -> tuple[Finding, ...]:
    """Fingerprint and sort findings as the audit does (identical messages told apart by order)."""
    seen: dict[tuple[str, str], int] = {}
    done = []
    for finding in sorted(findings, key=lambda f: (f.path or "", f.line or 0, f.message)):
        key = (finding.path or "", finding.message)
        done.append(finding.with_fingerprint(f"diff/{rule}", seen.get(key, 0)).displayable())
        seen[key] = seen.get(key, 0) + 1
    return tuple(sorted(done, key=Finding.sort_key))


def skipped(rule: str, why: str) -> RuleResult:
    """A rule that did not run."""
    return RuleResult(rule, TITLES[rule], RuleStatus.SKIP, why)


def interrogate_settings(change: ChangeSet, config: Config) -> InterrogateSettings:
    """The interrogate settings at the head, as the docstring-coverage check reads them (unless told not to)."""
    if not config.check_options.get("docstring-coverage", {}).get("use-repo-config", True):
        return InterrogateSettings()
    documents = {name: text for name in ("pyproject.toml", "setup.cfg") if (text := change.head_text(name)) is not None}
    return interrogate_config.read(documents)


def docstrings_rule(change: ChangeSet, settings: DiffSettings, config: Config) -> RuleResult:
    """Rule 1: added or changed public classes, functions and methods have docstrings (modules: see below).

    A module the change adds is asked for one; a changed module only when the
    change also adds a public function, class or method to it: a
    ``__version__`` bump or an import changes its code, not what it offers.
    Which objects count follows interrogate with the repository's settings
    (as the docstring-coverage check does), restricted to public objects of
    the importable packages and modules (all non-test files when none is found).
    ``@overload`` stubs are never asked for one, whatever the decorator's
    module is called (``t.overload``): pydocstyle's D418 forbids a docstring
    there, the implementation carries it. A module's ``__getattr__`` and
    ``__dir__`` (PEP 562) are mechanisms, not API: never asked either.
    """
    if settings.level("docstrings") == "off":
        return skipped("docstrings", "off in config")
    inter = interrogate_settings(change, config)
    min_length = int(settings.option("docstrings", "min-length"))
    roots = api.package_roots(change.head_files)
    findings: list[Finding] = []
    checked = 0
    for fs in change.python:
        if fs.head is None or is_test_file(fs.path) or inter.is_excluded("/", fs.path):
            continue
        if roots and not api.in_package(fs.path, roots):  # docs/conf.py, setup.py: not public API
            continue
        file_findings, file_checked = _file_docstrings(change, fs, fs.head, inter, min_length)
        findings += file_findings
        checked += file_checked
    if settings.option("docstrings", "style"):
        findings.extend(_style_findings(change, config))
    objects = plural(checked, "added or changed public object")
    ok = f"{objects}, all documented"
    message = f"{plural(len(findings), 'problem')} in {objects}"
    return outcome("docstrings", settings, findings, message, ok, {"checked": checked})


def _file_docstrings(change: ChangeSet, fs: FileSymbols, head: PythonFile, inter: InterrogateSettings,
                     min_length: int) -> tuple[list[Finding], int]:
    """The docstring findings of one changed file (``head``: its analysis at the head), and how many were judged."""
    if head.error is not None:
        return [Finding(f"cannot be analysed: {head.error}", fs.path, None, Severity.WARNING)], 0
    counted = {c.index: c.covered for c in docstring_filters.measure(head.doc_nodes, inter) or ()}
    overloads = _overload_lines(change.head_blobs.get(fs.path))
    judged = [s for s in _judged(fs, counted) if s.line not in overloads]
    findings: list[Finding] = []
    for symbol in judged:
        covered = counted[symbol.index] or _documented_elsewhere(symbol, head.doc_nodes, change.head_api)
        findings += _docstring_findings(symbol, covered, head.doc_nodes, min_length)
    return findings, len(judged)


def _documented_elsewhere(symbol: Symbol, nodes: tuple[docstrings.DocNode, ...],
                          head_api: api.ApiSnapshot | None) -> bool:
    """Whether a method without a docstring is documented by its class or by the method it overrides.

    ``__init__`` is documented by its class's docstring (Sphinx's and
    napoleon's way, and most projects'); a method overriding a documented
    method of a base class griffe resolves (the same module, or one the change
    touches and the packages above it) shows that docstring (:func:`inspect.getdoc`).
    """
    if symbol.kind != "method":
        return False
    parent = nodes[symbol.index].parent
    if symbol.qualname.rpartition(".")[2] == "__init__" and parent is not None and nodes[parent].covered:
        return True
    found = api_bases.find(head_api.modules, symbol.dotted) if head_api is not None else None
    return found is not None and api_bases.documenting_member(found) is not None


def _overload_lines(source: bytes | None) -> frozenset[int]:
    """The ``def`` lines of functions decorated ``@overload``, ``@typing.overload`` or ``@<alias>.overload``."""
    try:
        tree = ast.parse(source) if source is not None else None
    except (SyntaxError, ValueError):
        return frozenset()
    return frozenset(
        node.lineno for node in ast.walk(tree or ast.Module(body=[], type_ignores=[]))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(map(_is_overload, node.decorator_list))
    )


def _is_overload(decorator: ast.expr) -> bool:
    """Whether a decorator is ``overload`` under any module name."""
    return (isinstance(decorator, ast.Name) and decorator.id == "overload") or (
        isinstance(decorator, ast.Attribute) and decorator.attr == "overload")


def _judged(fs: FileSymbols, counted: Mapping[int, bool]) -> list[Symbol]:
    """Added or changed public symbols of a file that interrogate counts (a module's PEP 562 hooks left out).

    A module is judged only when the change adds it or adds public API to it
    (:func:`_adds_api`): a version bump or an import changes a module's code,
    not what it offers.
    """
    judged = [s for s in fs.symbols if s.change is not Change.REMOVED and s.is_public and s.index in counted
              and s.qualname not in api.MODULE_HOOKS]
    return [s for s in judged if s.kind != "module" or s.change is Change.ADDED or _adds_api(fs)]


def _adds_api(fs: FileSymbols) -> bool:
    """Whether the change adds a public function, class or method to a file (a module's hooks are not API)."""
    return any(s.change is Change.ADDED and s.is_public and s.kind != "module" and s.qualname not in api.MODULE_HOOKS
               for s in fs.symbols)


def _docstring_findings(symbol: Symbol, covered: bool, nodes: tuple[docstrings.DocNode, ...],
                        min_length: int) -> list[Finding]:
    """The docstring problems of one symbol: missing, or shorter than ``min_length``."""
    line = symbol.line or 1
    if not covered:
        return [Finding(f"{symbol.change.value} public {symbol.kind} `{symbol.dotted}` has no docstring",
                        symbol.path, line)]
    text = (nodes[symbol.index].docstring or "").strip()
    if min_length and text and len(text) < min_length:
        message = f"docstring of `{symbol.dotted}` has {plural(len(text), 'character')} (at least {min_length} wanted)"
        return [Finding(message, symbol.path, line)]
    return []


def _style_findings(change: ChangeSet, config: Config) -> list[Finding]:
    """Docstring style violations (the docstring-style check's engine and convention) on changed lines."""
    paths = [fs.path for fs in change.python if fs.head is not None and not is_test_file(fs.path)]
    if not paths:
        return []
    options = config.check_options.get("docstring-style", {})
    with tempfile.TemporaryDirectory(prefix="oshealth-style-") as tmp:
        _write_head_files(tmp, change, [*paths, *(f for f in SETTINGS_FILES if f in change.head_blobs)])
        facts = docstyle.collect(Path(tmp), paths, list(change.head_files), options)
    if facts.error:
        return [Finding(f"docstring style not checked: {facts.error}", None, None, Severity.WARNING)]
    return _on_changed_lines(facts, change)


def _on_changed_lines(facts: docstyle.DocstyleFacts, change: ChangeSet) -> list[Finding]:
    """The style violations on changed lines, as findings."""
    return [
        Finding(f"{v.code} {v.message}", path, v.line)
        for path, style in facts.files.items()
        for v in style.violations
        if v.line in change.lines.get(path, frozenset())
    ]


def _write_head_files(folder: str, change: ChangeSet, paths: list[str]) -> None:
    """Write the head's version of each path under ``folder`` (odd names kept byte for byte)."""
    for path in paths:
        target = os.path.join(os.fsencode(folder), os.fsencode(path))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        Path(os.fsdecode(target)).write_bytes(change.head_blobs[path])


def complexity_rule(change: ChangeSet, settings: DiffSettings) -> RuleResult:
    """Rule 2: no new function, and none the change makes more complex, exceeds the configured complexity.

    Every changed function's delta is reported. A function already over the
    limit at the base that the change does not make more complex (a comment
    or a call renamed in flask's ``make_response``, complexity 16) does not
    fail the change: it is counted in the message, not listed as a finding.
    """
    if settings.level("complexity") == "off":
        return skipped("complexity", "off in config")
    limit = settings.option("complexity", "max")
    rows = _complexity_rows(change)
    over = [r for r in rows if r["head"] > limit]
    findings = [Finding(_complexity_message(r, limit), r["path"], r["line"]) for r in over if _grew(r)]
    worst = max((r["head"] for r in rows), default=0)
    ok = f"{plural(len(rows), 'changed function')}, highest complexity {worst} (limit {limit:g})"
    if over:
        ok += f"; {len(over)} over it already at the base, no more complex"
    message = f"{len(findings)} of {plural(len(rows), 'changed function')} over complexity {limit:g}"
    return outcome("complexity", settings, findings, message, ok, {"functions": rows, "max": limit})


def _complexity_rows(change: ChangeSet) -> list[dict[str, Any]]:
    """A row per changed function of the non-test Python files the head can analyse."""
    rows: list[dict[str, Any]] = []
    for fs in change.python:
        if fs.head is not None and fs.head.complexity is not None and not is_test_file(fs.path):
            rows += _changed_functions(fs, fs.head.complexity.blocks, change.lines.get(fs.path, frozenset()))
    return rows


def _grew(row: Mapping[str, Any]) -> bool:
    """Whether a changed function is new or more complex than at the base."""
    return row["base"] is None or row["delta"] > 0


def _changed_functions(fs: FileSymbols, blocks: tuple[Block, ...], lines: frozenset[int]) -> list[dict[str, Any]]:
    """A row per function or method of the head that is new or has a changed line, with its complexity delta."""
    old = _blocks_by_name(fs.base.complexity.blocks if fs.base and fs.base.complexity else ())
    rows = []
    for block in blocks:
        touched = bool(set(range(block.line, block.end_line + 1)) & lines)
        if block.kind == "class" or not (touched or block.name not in old):
            continue
        before = old.get(block.name)
        rows.append({"path": fs.path, "name": block.name, "line": block.line, "head": block.complexity,
                     "base": before.complexity if before else None,
                     "delta": block.complexity - before.complexity if before else None})
    return rows


def _blocks_by_name(blocks: tuple[Block, ...]) -> dict[str, Block]:
    """The function and method blocks of radon by full name (the first of same-named ones)."""
    found: dict[str, Block] = {}
    for block in blocks:
        if block.kind != "class":
            found.setdefault(block.name, block)
    return found


def _complexity_message(row: Mapping[str, Any], limit: float) -> str:
    """``f has cyclomatic complexity 14 (> 10), was 9 (+5)``."""
    was = "new" if row["base"] is None else f"was {row['base']} ({row['delta']:+d})"
    return f"`{row['name']}` has cyclomatic complexity {row['head']} (> {limit:g}), {was}"
