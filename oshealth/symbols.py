"""Python symbols added, changed or removed between two revisions, from the AST at both ends.

Both versions of each changed file are read from git objects and go through
the same per-file pipeline as the audit (:func:`oshealth.analysis.pyfile.analyse`).
A symbol is a module, class, function or method, identified inside its file by
its qualified name (and its rank among same-named definitions, for overloads
and property setters). It is:

- *added* when its file or its name is new at the head;
- *removed* when its name is gone at the head;
- *changed* when one of its *own* lines changed: the lines of its span that do
  not belong to a nested definition (so editing a method changes the method,
  not its class; a module changes when its top-level code does). Blank and
  comment-only lines do not count: the blank lines around a new function do
  not change its module.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum

from oshealth.analysis.docstrings import DocNode
from oshealth.analysis.public_api import is_public, is_test_file, module_name
from oshealth.analysis.pyfile import PythonFile, analyse
from oshealth.gitlog import FileChange

__all__ = ["Change", "FileSymbols", "Symbol", "compare_file", "own_lines", "python_changes"]


class Change(StrEnum):
    """How a symbol changed."""

    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"


@dataclass(frozen=True)
class Symbol:
    """One module, class, function or method that changed.

    Attributes:
        path: The file (at the head; at the base for removed symbols).
        qualname: Dotted name inside the module (``""`` for the module itself).
        dotted: Full dotted name (``pkg.mod.Class.method``).
        kind: ``module``, ``class``, ``function`` or ``method``.
        line: Line of the definition (None for a module).
        end_line: Last line of the definition (None for a module).
        is_public: No private name from the package down, not local to a function, not in a test file.
        change: Added, changed or removed.
        index: Position of the node in its file's :class:`DocNode` tuple (head's, or base's when removed).
    """

    path: str
    qualname: str
    dotted: str
    kind: str
    line: int | None
    end_line: int | None
    is_public: bool
    change: Change
    index: int


@dataclass(frozen=True)
class FileSymbols:
    """The symbols of one changed Python file.

    Attributes:
        path: Path at the head (at the base for a deleted file).
        old_path: Path at the base (None for an added file).
        base: The file analysed at the base, or None.
        head: The file analysed at the head, or None.
        symbols: Added, changed and removed symbols, in line order.
    """

    path: str
    old_path: str | None
    base: PythonFile | None
    head: PythonFile | None
    symbols: tuple[Symbol, ...]

    def of(self, change: Change) -> list[Symbol]:
        """The symbols with this kind of change."""
        return [s for s in self.symbols if s.change is change]


def python_changes(changes: Collection[FileChange]) -> list[FileChange]:
    """The changes to Python files (``.py``/``.pyi``), sorted by path."""
    return sorted(
        (c for c in changes if c.path.endswith((".py", ".pyi")) or (c.old_path or "").endswith((".py", ".pyi"))),
        key=lambda c: c.path,
    )


def compare_file(change: FileChange, base: bytes | None, head: bytes | None, lines: Collection[int]) -> FileSymbols:
    """Compare both versions of one file.

    Args:
        change: The file's change (status, path, old path).
        base: Its bytes at the base (None when added).
        head: Its bytes at the head (None when deleted).
        lines: The head's changed lines of this file.

    Returns:
        The file's symbols; a file that cannot be parsed at one end has no symbols from that end.
    """
    old_path, base_file, head_file = _ends(change, base, head)
    if head_file is not None and head_file.error is not None:
        return FileSymbols(change.path, old_path, base_file, head_file, ())  # unreadable head: the error is the news
    new_keys, old_keys = _keys(base_file, head_file)
    found: list[Symbol] = []
    if head_file is not None and head is not None:
        found += _added_or_changed(head_file, significant_lines(head, lines), new_keys, old_keys)
    if base_file is not None and base_file.error is None:
        found += _removed(base_file, new_keys, old_keys)
    found.sort(key=lambda s: (s.change is Change.REMOVED, s.line or 0, s.qualname))
    return FileSymbols(change.path, old_path, base_file, head_file, tuple(found))


def _ends(change: FileChange, base: bytes | None, head: bytes | None) -> tuple[str | None, PythonFile | None,
                                                                             PythonFile | None]:
    """The base path (None for an added file) and the file analysed at each end where it exists."""
    old_path = change.old_path or (None if change.status == "A" else change.path)
    base_file = analyse(old_path, base) if base is not None and old_path else None
    head_file = analyse(change.path, head) if head is not None else None
    return old_path, base_file, head_file


def _removed(base_file: PythonFile, new_keys: Mapping[tuple[str, int], int],
             old_keys: Mapping[tuple[str, int], int]) -> list[Symbol]:
    """The base's symbols that the head no longer has."""
    return [_symbol(base_file, index, Change.REMOVED) for key, index in old_keys.items() if key not in new_keys]


def _keys(base_file: PythonFile | None, head_file: PythonFile | None) -> tuple[dict[tuple[str, int], int],
                                                                             dict[tuple[str, int], int]]:
    """The keyed nodes of the head and of the base; an unreadable base takes the head's (nothing added)."""
    new_keys = _keyed(head_file.doc_nodes) if head_file else {}
    old_keys = _keyed(base_file.doc_nodes) if base_file else {}
    if base_file is not None and base_file.error is not None:
        old_keys = dict(new_keys)  # an unreadable base: judge the head on its changed lines alone
    return new_keys, old_keys


def _added_or_changed(head_file: PythonFile, significant: set[int], new_keys: Mapping[tuple[str, int], int],
                      old_keys: Mapping[tuple[str, int], int]) -> list[Symbol]:
    """The head's symbols that are new, or whose own lines include a significant changed line."""
    own = own_lines(head_file.doc_nodes, head_file.lines)
    found = []
    for key, index in new_keys.items():
        if key not in old_keys:
            found.append(_symbol(head_file, index, Change.ADDED))
        elif own[index] & significant:
            found.append(_symbol(head_file, index, Change.CHANGED))
    return found


def significant_lines(data: bytes, lines: Collection[int]) -> set[int]:
    """The changed lines that hold code: blank lines and comment-only lines do not change a symbol.

    Args:
        data: The file's bytes at the head.
        lines: Its changed line numbers.

    Returns:
        The changed lines with something besides whitespace and a comment.
    """
    text = data.decode("utf-8", errors="replace").splitlines()
    return {n for n in lines if 0 < n <= len(text) and text[n - 1].strip() and not text[n - 1].lstrip().startswith("#")}


def _keyed(nodes: tuple[DocNode, ...]) -> dict[tuple[str, int], int]:
    """Node index by (qualified name, rank among same-named nodes)."""
    seen: dict[str, int] = {}
    keyed: dict[tuple[str, int], int] = {}
    for index, node in enumerate(nodes):
        rank = seen.get(node.qualname, 0)
        seen[node.qualname] = rank + 1
        keyed[(node.qualname, rank)] = index
    return keyed


def own_lines(nodes: tuple[DocNode, ...], total: int) -> list[set[int]]:
    """Each node's own lines: its span minus the spans of the definitions directly inside it.

    Args:
        nodes: A file's nodes (module first).
        total: The file's number of lines (the module's span).

    Returns:
        One set of line numbers per node.
    """
    spans = [set(range(n.line or 1, (n.end_line or n.line or total) + 1)) for n in nodes]
    own = [set(span) for span in spans]
    for index, node in enumerate(nodes):
        if node.parent is not None:
            own[node.parent] -= spans[index]
    return own


def _kind(nodes: tuple[DocNode, ...], node: DocNode) -> str:
    """``module``, ``class``, ``method`` or ``function``."""
    if node.node_type == "Module":
        return "module"
    if node.node_type == "ClassDef":
        return "class"
    parent = nodes[node.parent] if node.parent is not None else None
    return "method" if parent is not None and parent.node_type == "ClassDef" else "function"


def _symbol(file: PythonFile, index: int, change: Change) -> Symbol:
    """The :class:`Symbol` of node ``index`` of ``file``."""
    nodes = file.doc_nodes
    node = nodes[index]
    module = module_name(file.path)
    dotted = f"{module}.{node.qualname}" if node.qualname else module
    public = is_public(nodes, index, file.path) and not is_test_file(file.path)
    return Symbol(file.path, node.qualname, dotted, _kind(nodes, node), node.line, node.end_line, public, change, index)

