"""Which Python objects are public API, which files are tests, and their dotted module names.

Used by the docstring-coverage check: an object is public when no name on the way
from the package folders down to it starts with an underscore (dunder names
count as public), it is not local to a function, and its file is not a test.
"""

from __future__ import annotations

import posixpath

from oshealth.analysis.docstrings import DocNode

_TEST_DIRS = frozenset({"test", "tests", "testing"})


def _is_private_name(name: str) -> bool:
    """Whether a name is private: a leading underscore, but not a dunder name.

    Args:
        name: An object, module or package name.

    Returns:
        True for private names.
    """
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
    if is_private_path(path):
        return False
    node: DocNode | None = nodes[index]
    while node is not None and node.parent is not None:
        parent = nodes[node.parent]
        if _is_private_name(node.name) or parent.node_type in ("FunctionDef", "AsyncFunctionDef"):
            return False
        node = parent
    return True


def is_private_path(path: str) -> bool:
    """Whether a folder or the module name of ``path`` is private (then nothing in the file is public)."""
    stem = posixpath.splitext(path)[0]
    return any(_is_private_name(part) for part in stem.split("/"))


def public_flags(nodes: tuple[DocNode, ...], path: str) -> list[bool]:
    """:func:`is_public` of every node of a file, in one pass over its records.

    Args:
        nodes: The file's records (each parent before its children).
        path: The file's repository-relative path.

    Returns:
        ``flags[index] == is_public(nodes, index, path)`` for every index.
    """
    if is_private_path(path):
        return [False] * len(nodes)
    flags: list[bool] = []
    for node in nodes:
        if node.parent is None:
            flags.append(True)
        else:
            parent = nodes[node.parent]
            flags.append(
                flags[node.parent]
                and not _is_private_name(node.name)
                and parent.node_type not in ("FunctionDef", "AsyncFunctionDef")
            )
    return flags


def module_name(path: str) -> str:
    """Dotted module name of a repository-relative path (``src/pkg/__init__.py`` -> ``pkg``)."""
    dotted = posixpath.splitext(path)[0].removeprefix("src/").replace("/", ".")
    return dotted.removesuffix(".__init__") or dotted
