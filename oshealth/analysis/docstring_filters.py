"""interrogate's filters and counting, re-applied to one file's docstring records for given settings.

The records of :mod:`oshealth.analysis.docstrings` leave every ``ignore-*``
option off, so that they depend on nothing but the file; :func:`measure`
turns them into the objects interrogate 1.7.0 counts with the settings in
force (its pruning below an ignored node, ``whitelist-regex``, nested objects,
and the ``google`` style's sharing of coverage between a class and its
``__init__``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from oshealth.analysis.docstrings import DocNode
    from oshealth.interrogate_config import InterrogateSettings


@dataclass(frozen=True)
class Counted:
    """One object interrogate counts, with its coverage after the ``google`` style sharing.

    Attributes:
        index: Position of the node in the file's :class:`~oshealth.analysis.docstrings.DocNode` tuple.
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
        nodes: The file's records from :func:`~oshealth.analysis.docstrings.analyse`.
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
