"""The per-file pipeline: one read, one parse, every analyser on the same tree."""

from __future__ import annotations

import ast
import hashlib
import posixpath
from dataclasses import dataclass

from oshealth.analysis import complexity, docstrings, source


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


def blob_id(data: bytes) -> str:
    """Git's object id for a blob with this content."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def analyse(path: str, data: bytes) -> PythonFile:
    """Analyse one Python file; a pure function of its path and bytes.

    Args:
        path: Repository-relative POSIX path (names the module in findings).
        data: The file's content.

    Returns:
        The file's facts; problems are recorded in ``error``, never raised.
    """
    parsed = source.parse(data)
    text = parsed.text
    lines = text.splitlines()
    code_lines = sum(1 for line in lines if line.strip() and not line.lstrip().startswith("#"))
    base = PythonFile(path, blob_id(data), len(data), len(lines), code_lines, parsed.error, (), None, 0)
    if parsed.tree is None:
        return base
    tree = parsed.tree
    try:
        nodes = source.run_deep(lambda: docstrings.analyse(tree, posixpath.basename(path)))
        module_complexity = source.run_deep(lambda: complexity.analyse(tree, text, data))
    except RecursionError:
        return _replace_error(base, "nested too deeply to analyse")
    return PythonFile(
        path, base.blob_id, base.size, base.lines, code_lines, None, nodes, module_complexity, count_tests(tree)
    )


def _replace_error(file: PythonFile, error: str) -> PythonFile:
    return PythonFile(file.path, file.blob_id, file.size, file.lines, file.code_lines, error, (), None, 0)


def count_tests(tree: ast.Module) -> int:
    """Count pytest/unittest test functions: ``test*`` at module level or in ``Test*``/TestCase classes."""
    count = 0
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            count += 1
        elif isinstance(node, ast.ClassDef) and _is_test_class(node):
            count += sum(
                1
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test")
            )
    return count


def _is_test_class(node: ast.ClassDef) -> bool:
    if node.name.startswith("Test"):
        return True
    names = {b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in node.bases}
    return any(name.endswith("TestCase") for name in names)
