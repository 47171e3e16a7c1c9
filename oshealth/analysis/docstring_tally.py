"""Interrogate's coverage totals over a set of files, with a finding per undocumented object."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from oshealth.analysis.docstring_filters import measure
from oshealth.analysis.docstrings import DocNode
from oshealth.analysis.public_api import is_test_file, module_name, public_flags
from oshealth.analysis.pyfile import PythonFile
from oshealth.findinglist import FindingBlock
from oshealth.interrogate_config import InterrogateSettings
from oshealth.models import Finding, Severity
from oshealth.parts import identity, per_file

#: The check whose parts these are (its id fingerprints the findings).
CHECK_ID = "docstring-coverage"


@dataclass
class Tally:
    """Running totals over the measured files.

    Attributes:
        covered: Counted objects with a docstring.
        total: Counted objects.
        public_covered: Counted public objects with a docstring.
        public_total: Counted public objects.
        files: Per-file rows (``path``, ``covered``, ``total``, ``percent``).
        findings: Findings beside the files' own (settings problems, unread files).
        blocks: The files' findings (unparsed files and undocumented objects), normalised.
    """

    covered: int = 0
    total: int = 0
    public_covered: int = 0
    public_total: int = 0
    files: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    blocks: list[FindingBlock] = field(default_factory=list)


@dataclass(frozen=True)
class FileShare:
    """One measured file's figures.

    Attributes:
        covered: Counted objects with a docstring.
        total: Counted objects.
        public_covered: Counted public objects with a docstring.
        public_total: Counted public objects.
        row: The file's row (``path``, ``covered``, ``total``, ``percent``).
    """

    covered: int
    total: int
    public_covered: int
    public_total: int
    row: dict[str, Any]


def tally_files(in_scope: Sequence[PythonFile], settings: InterrogateSettings) -> Tally:
    """Measure every parsed file in scope; unparsed files and settings problems become findings.

    Each file's share is a pure function of the file and the settings
    (:mod:`oshealth.parts`): a re-audit reads the shares of unchanged files.

    Args:
        in_scope: The files in scope.
        settings: The interrogate settings in force.

    Returns:
        The totals and findings.
    """
    tally = Tally()
    tally.findings.extend(_config_findings(settings))
    work = [(f.path, identity(f), partial(file_share, f, settings)) for f in in_scope]
    for part in per_file(CHECK_ID, repr(settings), work):
        tally.blocks.extend(part.blocks)
        share = part.value
        if share is not None:
            tally.covered += share.covered
            tally.total += share.total
            tally.public_covered += share.public_covered
            tally.public_total += share.public_total
            tally.files.append(share.row)
    return tally


def _config_findings(settings: InterrogateSettings) -> list[Finding]:
    """Turn problems in the repository's interrogate settings into findings.

    Args:
        settings: The interrogate settings in force.

    Returns:
        One warning per problem, at the settings file.
    """
    path = settings.source.split(" ", 1)[0] or None
    return [Finding(problem, path, None, Severity.WARNING, "interrogate-config") for problem in settings.problems]


def file_share(file: PythonFile, settings: InterrogateSettings) -> tuple[FileShare | None, list[Finding]]:
    """One file's figures (None when it is not measured) and a finding per undocumented object.

    Args:
        file: The file.
        settings: The interrogate settings in force.

    Returns:
        The figures and the findings; an unparsed file is one finding.
    """
    if file.error is not None:
        return None, [Finding(f"could not be analysed: {file.error}", file.path, None, Severity.WARNING, "unparsed")]
    counted = measure(file.doc_nodes, settings)
    if counted is None:
        return None, []
    covered = sum(1 for c in counted if c.covered)
    row = {"path": file.path, "covered": covered, "total": len(counted),
           "percent": percent(covered, len(counted), 100.0)}
    # whether each object is public, and the module's name, are worked out once per file
    public = [False] * len(file.doc_nodes) if is_test_file(file.path) else public_flags(file.doc_nodes, file.path)
    module = module_name(file.path)
    reported: set[int] = set()
    findings: list[Finding] = []
    public_total = public_covered = 0
    for item in counted:
        if public[item.index]:
            public_total += 1
            public_covered += item.covered
        if not item.covered and item.index not in reported:
            reported.add(item.index)
            findings.append(_missing(file, item.index, public[item.index], module))
    return FileShare(covered, len(counted), public_covered, public_total, row), findings


def _missing(file: PythonFile, index: int, public: bool, module: str) -> Finding:
    """Describe an undocumented object.

    Args:
        file: The file holding it.
        index: Its position in the file's records.
        public: Whether it is public API.
        module: The file's dotted module name.

    Returns:
        A warning for public objects, a note for private ones.
    """
    node = file.doc_nodes[index]
    name = module + (f".{node.qualname}" if node.qualname else "")
    visibility = "public" if public else "private"
    return Finding(
        f"{visibility} {_kind(file.doc_nodes, node)} `{name}` has no docstring",
        file.path,
        node.line or 1,
        Severity.WARNING if public else Severity.NOTE,
        f"missing-{visibility}",
    )


def _kind(nodes: tuple[DocNode, ...], node: DocNode) -> str:
    """Name the kind of object for messages.

    Args:
        nodes: The file's records.
        node: The object.

    Returns:
        ``module``, ``class``, ``method`` or ``function``.
    """
    if node.node_type == "Module":
        return "module"
    if node.node_type == "ClassDef":
        return "class"
    parent = nodes[node.parent] if node.parent is not None else None
    return "method" if parent is not None and parent.node_type == "ClassDef" else "function"


def percent(covered: int, total: int, empty: float | None = None) -> float | None:
    """Give a percentage to two decimals, as interrogate shows it.

    Args:
        covered: Documented objects.
        total: All objects.
        empty: The value when ``total`` is 0 (interrogate shows 100 for a file).

    Returns:
        The percentage, or ``empty``.
    """
    return round(100.0 * covered / total, 2) if total else empty
