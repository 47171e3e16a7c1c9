"""The per-file pipeline: one read, one parse, every analyser on the same tree.

Cost: one ``ast.parse``, one walk for radon's two visitors, one walk over the
statements for the docstrings, one masking pass for radon's line counts; the
cyclic garbage collector is paused meanwhile (trees and records hold no
cycles, and its passes over the young trees cost as much as the analysis).
A per-file time limit (:mod:`oshealth.analysis.timelimit`) turns a runaway
file into a record with an error.
"""

from __future__ import annotations

import ast
import gc
import hashlib
import pickle
import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from oshealth.analysis import complexity, docstrings, source, timelimit


@dataclass(frozen=True)
class PythonFile:
    """Everything oshealth knows about one Python file.

    Attributes:
        path: Repository-relative POSIX path.
        blob_id: git's blob id of the bytes analysed (the cache key).
        size: Size in bytes.
        lines: Number of lines.
        code_lines: Non-blank lines that are not only a comment.
        error: Why the file could not be analysed (syntax error, encoding...), else None.
        doc_nodes: Docstring records (empty when ``error`` is set).
        complexity: Complexity facts, or None when ``error`` is set.
        test_functions: Test functions and methods found (pytest and unittest conventions).
        timed_out: The analysis was stopped by the per-file time limit (``error``
            says so); the record depends on the machine's speed, so it is not
            one to keep in a cache.
    """

    path: str
    blob_id: str
    size: int
    lines: int
    code_lines: int
    error: str | None
    doc_nodes: tuple[docstrings.DocNode, ...]
    complexity: complexity.ModuleComplexity | None
    test_functions: int
    timed_out: bool = False

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its docstring and complexity facts as one inner pickle, read back only when touched.

        A re-audit loads every file's record but, its checks' per-file parts
        being stored (:mod:`oshealth.parts`), reads those facts of the changed
        files only: unpickling them all was most of the cost of loading.
        """
        heavy = self.__dict__.get("_heavy")
        if heavy is None:
            heavy = pickle.dumps((self.doc_nodes, self.complexity), protocol=pickle.HIGHEST_PROTOCOL)
        light = (self.path, self.blob_id, self.size, self.lines, self.code_lines, self.error, self.test_functions,
                 self.timed_out)
        return (_restored, (light, heavy))

    if not TYPE_CHECKING:  # at run time only: to the type checker, every attribute is a declared field

        def __getattr__(self, name: str) -> Any:
            """Decode the heavy facts of a record read from a pickle, on first use."""
            fields = self.__dict__
            if name in _HEAVY and "_heavy" in fields:
                fields["doc_nodes"], fields["complexity"] = pickle.loads(fields["_heavy"])
                return fields[name]
            raise AttributeError(name)


_HEAVY = frozenset({"doc_nodes", "complexity"})
_LIGHT = ("path", "blob_id", "size", "lines", "code_lines", "error", "test_functions", "timed_out")


def _restored(light: tuple[Any, ...], heavy: bytes) -> PythonFile:
    """A record read from a pickle: its light fields set, its heavy ones decoded when first read."""
    record = object.__new__(PythonFile)
    fields = record.__dict__
    fields.update(zip(_LIGHT, light, strict=True))
    fields["_heavy"] = heavy
    return record


def blob_id(data: bytes) -> str:
    """Git's object id for a blob with this content."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def analyse(path: str, data: bytes, time_limit: float | None = None, *, docstrings_only: bool = False) -> PythonFile:
    """Analyse one Python file; a pure function of its path and bytes (unless it runs out of time).

    Args:
        path: Repository-relative POSIX path (names the module in findings).
        data: The file's content.
        time_limit: Seconds the analysis may take; None for the environment's
            limit (``OSHEALTH_FILE_TIME_LIMIT``, default 30), 0 for none.
        docstrings_only: Stop after the docstring records (``complexity`` is
            None and ``test_functions`` 0): for readers of old revisions that
            need nothing else, at about half the cost. Not a record for the audit.

    Returns:
        The file's facts; problems are recorded in ``error``, never raised.
    """
    limit = timelimit.seconds_from_env() if time_limit is None else (time_limit if time_limit > 0 else None)
    collecting = gc.isenabled()
    gc.disable()
    try:
        with timelimit.time_limit(limit):
            return _analyse(path, data, docstrings_only)
    except timelimit.TimeLimitExceeded:
        stopped = f"analysis stopped by the per-file time limit of {limit:g} s ({timelimit.TIME_LIMIT_ENV})"
        return _replace_error(_base(path, data, source.decode(data)[0], None), stopped, timed_out=True)
    finally:
        if collecting:
            gc.enable()


def _base(path: str, data: bytes, text: str, error: str | None) -> PythonFile:
    """The record's size figures, before any analysis.

    Args:
        path: Repository-relative POSIX path.
        data: The file's content.
        text: The decoded source.
        error: Why the file cannot be parsed, else None.

    Returns:
        A record with the sizes and ``error``, and no analyses.
    """
    lines = text.splitlines()
    code_lines = sum(1 for line in lines if line.strip() and not line.lstrip().startswith("#"))
    return PythonFile(path, blob_id(data), len(data), len(lines), code_lines, error, (), None, 0)


def _analyse(path: str, data: bytes, docstrings_only: bool) -> PythonFile:
    """Parse once and run every analyser on the tree (see :func:`analyse`)."""
    parsed = source.parse(data)
    text = parsed.text
    base = _base(path, data, text, parsed.error)
    if parsed.tree is None:
        return base
    tree = parsed.tree
    try:
        nodes = source.run_deep(lambda: docstrings.analyse(tree, posixpath.basename(path)))
        if docstrings_only:
            return PythonFile(path, base.blob_id, base.size, base.lines, base.code_lines, None, nodes, None, 0)
        module_complexity = source.run_deep(lambda: complexity.analyse(tree, text, data))
    except RecursionError:
        return _replace_error(base, "nested too deeply to analyse")
    return PythonFile(path, base.blob_id, base.size, base.lines, base.code_lines, None, nodes, module_complexity,
                      count_tests(tree))


def _replace_error(file: PythonFile, error: str, *, timed_out: bool = False) -> PythonFile:
    """Record a file that could not be analysed: keep its size figures, drop the analyses.

    Args:
        file: The record so far.
        error: Why the analysis failed.
        timed_out: The time limit stopped it.

    Returns:
        The record with ``error`` set and no docstring, complexity or test facts.
    """
    return PythonFile(file.path, file.blob_id, file.size, file.lines, file.code_lines, error, (), None, 0,
                      timed_out)


def count_tests(tree: ast.Module) -> int:
    """Count the test functions that pytest and unittest would collect from a module.

    Counted: module-level ``test*`` functions (also inside module-level ``if``,
    ``try`` and ``with`` blocks); ``test*`` methods, own or inherited from a class
    of the same module, of classes named ``Test*`` without an ``__init__``
    (pytest) or deriving from a ``*TestCase`` class, directly or through a class
    of the same module (unittest); nested ``Test*`` classes. A class whose
    ``__test__`` is false, itself or through a local base, is not collected.

    Args:
        tree: The module's AST.

    Returns:
        The number of test functions.
    """
    classes: dict[str, ast.ClassDef] = {}
    count = 0
    for node in _module_statements(tree.body):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            count += 1
        elif isinstance(node, ast.ClassDef):
            classes[node.name] = node
    for node in classes.values():
        count += _class_tests(node, classes)
    return count


def _module_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """Flatten a module body, descending into ``if``, ``try`` and ``with`` blocks.

    Args:
        body: The statements.

    Returns:
        The statements and those of their blocks, in source order.
    """
    # pytest collects every module attribute, so definitions under if/try/with count
    found: list[ast.stmt] = []
    for node in body:
        found.append(node)
        if isinstance(node, ast.If | ast.With | ast.AsyncWith):
            found.extend(_module_statements(node.body + getattr(node, "orelse", [])))
        elif isinstance(node, ast.Try | ast.TryStar):
            blocks = node.body + node.orelse + node.finalbody
            found.extend(_module_statements(blocks + [s for h in node.handlers for s in h.body]))
    return found


def _base_names(node: ast.ClassDef) -> list[str]:
    """Give the last name of each base class (``unittest.TestCase`` gives ``TestCase``).

    Args:
        node: The class.

    Returns:
        The names, in order; ``""`` for a base that is not a plain name or attribute.
    """
    return [b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in node.bases]


def _lineage(node: ast.ClassDef, classes: dict[str, ast.ClassDef]) -> list[ast.ClassDef]:
    """The class and its local bases, nearest first (method resolution order, simplified)."""
    order: list[ast.ClassDef] = []
    pending = [node]
    while pending:
        current = pending.pop(0)
        if current in order:
            continue
        order.append(current)
        pending.extend(classes[n] for n in _base_names(current) if n in classes and classes[n] is not current)
    return order


def _class_tests(node: ast.ClassDef, classes: dict[str, ast.ClassDef]) -> int:
    """Count the test methods a test runner collects from one class and its nested classes.

    Args:
        node: The class.
        classes: The module-level classes by name (its possible local bases).

    Returns:
        The number of test methods, own and inherited; 0 when the class is not collected.
    """
    lineage = _lineage(node, classes)
    if not _is_collected(node, lineage):
        return 0
    names = {
        item.name
        for klass in lineage
        for item in klass.body
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test")
    }
    nested = sum(_class_tests(item, {}) for item in node.body if isinstance(item, ast.ClassDef))
    return len(names) + nested


def _is_collected(node: ast.ClassDef, lineage: list[ast.ClassDef]) -> bool:
    """Whether pytest or unittest collects the class at all.

    Args:
        node: The class.
        lineage: The class and its local bases, nearest first.

    Returns:
        True for a ``*TestCase`` subclass or a ``Test*`` class without ``__init__``,
        unless the nearest ``__test__`` setting is false.
    """
    is_case = any(name.endswith("TestCase") for c in lineage for name in _base_names(c))
    if not is_case and (not node.name.startswith("Test") or _defines(node, "__init__")):
        return False
    flag = next((flag for flag in map(_test_flag, lineage) if flag is not None), None)
    return flag is not False


def _defines(node: ast.ClassDef, name: str) -> bool:
    """Whether the class body defines a method called ``name``.

    Args:
        node: The class.
        name: The method name.

    Returns:
        True when it does.
    """
    return any(isinstance(i, ast.FunctionDef | ast.AsyncFunctionDef) and i.name == name for i in node.body)


def _test_flag(node: ast.ClassDef) -> bool | None:
    """The class's own ``__test__ = <constant>`` value, or None when it sets none."""
    for item in node.body:
        if (
            isinstance(item, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__test__" for t in item.targets)
            and isinstance(item.value, ast.Constant)
        ):
            return bool(item.value.value)
    return None
