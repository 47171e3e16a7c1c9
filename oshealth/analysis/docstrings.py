"""Docstring facts of one module, recorded the way interrogate visits them.

The visitor mirrors ``interrogate.visit.CoverageVisitor`` with every
``ignore-*`` option off, so the record does not depend on any configuration
(and can be cached by blob id); :func:`measure` then re-applies interrogate's
filters for given settings, including its pruning of everything below an
ignored node, its ``whitelist-regex``, nested and ``google`` style rules.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from oshealth.interrogate_config import InterrogateSettings

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


@dataclass(frozen=True)
class Counted:
    """One object interrogate counts, with its coverage after the ``google`` style sharing.

    Attributes:
        index: Position of the node in the file's :class:`DocNode` tuple.
        covered: Whether interrogate counts it as documented.
    """

    index: int
    covered: bool


def measure(nodes: tuple[DocNode, ...], settings: InterrogateSettings) -> tuple[Counted, ...] | None:
    """Count one file's objects exactly as interrogate 1.7.0 does with ``settings``.

    The steps follow ``CoverageVisitor`` and ``InterrogateCoverage._get_file_coverage``
    in order: the visitor skips ignored objects with everything inside them;
    a file left with only its module is dropped under ``ignore-module``;
    ``whitelist-regex`` keeps matching objects (once per matching pattern, as
    interrogate does); nested functions and nested classes (with their direct
    children) are then removed; ``google`` style shares coverage between a class
    and its ``__init__``; the module is not counted under ``ignore-module``.

    Args:
        nodes: The file's records from :func:`analyse`.
        settings: The interrogate settings in force.

    Returns:
        The counted objects in interrogate's order (an object may appear twice),
        or None when interrogate reports nothing for the file.
    """
    kept = _visited(nodes, settings)
    if len(kept) == 1 and settings.skips_modules:
        return None
    kept = _whitelisted(nodes, kept, settings)
    if not kept:
        return None
    kept = _without_nested(nodes, kept, settings)
    covered = {i: nodes[i].covered for i in range(len(nodes))}
    if settings.style == "google":
        _share_google(nodes, kept, covered)
    return tuple(Counted(i, covered[i]) for i in kept if not (i == 0 and settings.skips_modules))


def _whitelisted(nodes: tuple[DocNode, ...], kept: list[int], settings: InterrogateSettings) -> list[int]:
    """Apply ``whitelist-regex``: keep the module and the objects whose name matches.

    Args:
        nodes: The file's records.
        kept: Indexes still counted, module first.
        settings: The interrogate settings in force.

    Returns:
        ``kept`` unchanged without a whitelist; else the module and each match
        (once per matching pattern, as interrogate does), or nothing at all
        when no object matches.
    """
    if not settings.whitelist_regex:
        return kept
    chosen = [i for i in kept[1:] for regex in settings.whitelist_regex if regex.match(nodes[i].name)]
    return [0, *chosen] if chosen else []


def _without_nested(nodes: tuple[DocNode, ...], kept: list[int], settings: InterrogateSettings) -> list[int]:
    """Drop nested functions, and nested classes with their direct children, as configured.

    Args:
        nodes: The file's records.
        kept: Indexes still counted.
        settings: The interrogate settings in force.

    Returns:
        The indexes left, in order.
    """
    if settings.ignore_nested_functions:
        kept = [i for i in kept if not nodes[i].is_nested_func]
    if settings.ignore_nested_classes:
        nested = {i for i in kept if nodes[i].is_nested_cls}
        kept = [i for i in kept if i not in nested and nodes[i].parent not in nested]
    return kept


def _visited(nodes: tuple[DocNode, ...], settings: InterrogateSettings) -> list[int]:
    """Indexes of the nodes interrogate's visitor reaches: not ignored, nor inside an ignored node."""
    reached = [False] * len(nodes)
    for index, node in enumerate(nodes):
        if node.parent is None:
            reached[index] = True
        else:
            reached[index] = reached[node.parent] and not _is_ignored(node, settings)
    return [index for index, ok in enumerate(reached) if ok]


def _is_ignored(node: DocNode, settings: InterrogateSettings) -> bool:
    """Whether interrogate's visitor skips ``node`` (and so everything inside it).

    Args:
        node: The class or function.
        settings: The interrogate settings in force.

    Returns:
        True when an ``ignore-*`` option or ``ignore-regex`` excludes it.
    """
    if _is_ignored_name(node.name, settings):
        return True
    return node.node_type != "ClassDef" and _is_ignored_function(node, settings)


def _is_ignored_name(name: str, settings: InterrogateSettings) -> bool:
    """Apply the rules on names alone: private, semiprivate and ``ignore-regex``.

    Args:
        name: The object's own name.
        settings: The interrogate settings in force.

    Returns:
        True when the name excludes the object.
    """
    dunder_end = name.endswith("__")
    if settings.ignore_private and name.startswith("__") and not dunder_end:
        return True
    if settings.ignore_semiprivate and name.startswith("_") and not name.startswith("__") and not dunder_end:
        return True
    return any(regex.match(name) for regex in settings.ignore_regex)


def _is_ignored_function(node: DocNode, settings: InterrogateSettings) -> bool:
    """Apply the rules for functions only: ``__init__``, magic methods, properties, overloads.

    Args:
        node: The function or method.
        settings: The interrogate settings in force.

    Returns:
        True when one of those options excludes it.
    """
    name = node.name
    magic = name.startswith("__") and name.endswith("__") and name != "__init__"
    return (
        (settings.ignore_init_method and name == "__init__")
        or (settings.ignore_magic and magic)
        or _is_ignored_decorated(node.decorators, settings)
    )


def _is_ignored_decorated(marks: frozenset[str], settings: InterrogateSettings) -> bool:
    """Apply the rules on decorators: properties, their setters and deleters, overloads.

    Args:
        marks: The function's decorator markers.
        settings: The interrogate settings in force.

    Returns:
        True when one of those options excludes the function.
    """
    return (
        (settings.ignore_property_decorators and bool(marks & {"property", "setter", "deleter"}))
        or (settings.ignore_property_setters and "setter" in marks)
        or (settings.ignore_overloaded_functions and "overload" in marks)
    )


def _share_google(nodes: tuple[DocNode, ...], kept: list[int], covered: dict[int, bool]) -> None:
    """A class and its ``__init__`` count as documented when either is (updated in visit order)."""
    for index in kept:
        node = nodes[index]
        if node.node_type != "FunctionDef" or node.name != "__init__" or node.parent is None:
            continue
        if not covered[index] and covered[node.parent]:
            covered[index] = True
        elif covered[index] and not covered[node.parent]:
            covered[node.parent] = True
