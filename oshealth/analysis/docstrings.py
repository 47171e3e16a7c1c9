"""Docstring facts of one module, recorded the way interrogate visits them.

The visitor mirrors ``interrogate.visit.CoverageVisitor`` with every
``ignore-*`` option off, so the record does not depend on any configuration
(and can be cached by blob id);
:func:`oshealth.analysis.docstring_filters.measure` then re-applies
interrogate's filters for given settings, including its pruning of everything
below an ignored node, its ``whitelist-regex``, nested and ``google`` style
rules.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

_DEF_TYPES = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class DocNode:
    """One module, class, function or method and its docstring.

    Attributes:
        name: The object's own name (the file's base name for the module).
        qualname: Dotted path inside the module ("" for the module itself).
        node_type: The AST type name, as interrogate records it: ``Module``,
            ``ClassDef``, ``FunctionDef`` or ``AsyncFunctionDef``.
        line: Line of the definition (None for the module).
        level: Nesting depth (0 for the module).
        parent: Index of the enclosing node in the file's tuple, or None.
        docstring: The cleaned docstring, or None when absent.
        is_nested_func: A function defined directly in a function (interrogate's sense).
        is_nested_cls: A class defined directly in a class or function.
        decorators: Decorator markers interrogate looks at: ``property``,
            ``setter``, ``deleter``, ``overload``.
        end_line: Last line of the definition (None for the module); the
            change gate maps changed lines to definitions with it.
    """

    name: str
    qualname: str
    node_type: str
    line: int | None
    level: int
    parent: int | None
    docstring: str | None
    is_nested_func: bool
    is_nested_cls: bool
    decorators: frozenset[str]
    end_line: int | None = None

    @property
    def covered(self) -> bool:
        """Whether the node has a non-blank docstring (interrogate's test)."""
        return self.docstring is not None and self.docstring.strip() != ""


def analyse(tree: ast.Module, filename: str) -> tuple[DocNode, ...]:
    """Record every module, class and function node of ``tree`` in visit order.

    Args:
        tree: The parsed module.
        filename: The file's base name (interrogate names the module by it).

    Returns:
        The nodes, module first, in interrogate's depth-first order.
    """
    nodes: list[DocNode] = []
    module = DocNode(filename, "", "Module", None, 0, None, ast.get_docstring(tree), False, False, frozenset())
    nodes.append(module)
    stack: list[tuple[ast.AST, int]] = [(child, 0) for child in reversed(_def_children(tree))]
    while stack:
        node, parent_index = stack.pop()
        assert isinstance(node, _DEF_TYPES)
        parent = nodes[parent_index]
        node_type = type(node).__name__
        nodes.append(
            DocNode(
                name=node.name,
                qualname=f"{parent.qualname}.{node.name}" if parent.qualname else node.name,
                node_type=node_type,
                line=node.lineno,
                level=parent.level + 1,
                parent=parent_index,
                docstring=ast.get_docstring(node),
                is_nested_func=parent.node_type == "FunctionDef" and node_type == "FunctionDef",
                is_nested_cls=parent.node_type in ("ClassDef", "FunctionDef") and node_type == "ClassDef",
                decorators=_decorator_markers(node),
                end_line=node.end_lineno,
            )
        )
        index = len(nodes) - 1
        stack.extend((child, index) for child in reversed(_def_children(node)))
    return tuple(nodes)


def _def_children(node: ast.AST) -> list[ast.AST]:
    """Definitions reached from ``node`` by ``generic_visit`` without passing another definition.

    Definitions are statements, so only statement blocks are searched (in
    field order, as ``generic_visit`` goes), not the expressions that make up
    most of a tree; a statement of a kind not listed in :data:`_BLOCKS` or
    :data:`_SIMPLE` (a newer Python's) is searched node by node.
    """
    found: list[ast.AST] = []
    body = getattr(node, "body", None)
    if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body is not None:
        _collect_defs(body, found)
    else:
        _walk_defs(node, found)
    return found


#: Statements holding blocks of statements: the fields that do, in field order.
_BLOCKS: dict[type[ast.AST], tuple[str, ...]] = {
    ast.If: ("body", "orelse"),
    ast.For: ("body", "orelse"),
    ast.AsyncFor: ("body", "orelse"),
    ast.While: ("body", "orelse"),
    ast.With: ("body",),
    ast.AsyncWith: ("body",),
    ast.Try: ("body", "handlers", "orelse", "finalbody"),
    ast.TryStar: ("body", "handlers", "orelse", "finalbody"),
    ast.Match: ("cases",),
}
#: Statements without statements inside.
_SIMPLE = frozenset({
    ast.Return, ast.Delete, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Raise, ast.Assert, ast.Import,
    ast.ImportFrom, ast.Global, ast.Nonlocal, ast.Expr, ast.Pass, ast.Break, ast.Continue,
})


def _collect_defs(statements: list[ast.stmt], found: list[ast.AST]) -> None:
    """Add the definitions of a block and of the blocks inside its statements, in visit order."""
    for statement in statements:
        kind = type(statement)
        if kind in _SIMPLE:
            continue
        if isinstance(statement, _DEF_TYPES):
            found.append(statement)
        elif kind in _BLOCKS:
            for name in _BLOCKS[kind]:
                if name in ("handlers", "cases"):
                    for item in getattr(statement, name):  # each handler or case holds a block
                        _collect_defs(item.body, found)
                else:
                    _collect_defs(getattr(statement, name), found)
        else:
            _walk_defs(statement, found)


def _walk_defs(node: ast.AST, found: list[ast.AST]) -> None:
    """Add the definitions below ``node``, visiting every node (the general, slower way)."""
    pending = list(ast.iter_child_nodes(node))
    pending.reverse()
    while pending:
        child = pending.pop()
        if isinstance(child, _DEF_TYPES):
            found.append(child)
        else:
            grandchildren = list(ast.iter_child_nodes(child))
            grandchildren.reverse()
            pending.extend(grandchildren)


def _decorator_markers(node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    """Find the decorators interrogate's options look at.

    Args:
        node: The definition.

    Returns:
        The markers among ``property``, ``setter``, ``deleter`` and ``overload``.
    """
    markers: set[str] = set()
    for dec in node.decorator_list:
        if isinstance(dec, ast.Name) and dec.id in ("property", "overload"):
            markers.add(dec.id)
        if isinstance(dec, ast.Attribute):
            if dec.attr in ("setter", "deleter"):
                markers.add(dec.attr)
            if dec.attr == "overload" and isinstance(dec.value, ast.Name) and dec.value.id == "typing":
                markers.add("overload")
    return frozenset(markers)
