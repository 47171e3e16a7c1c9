"""Changes that leave what a program does alone: its type annotations and its version string.

The release gate's docs rule asks no docs change for them (requests 2.34.1
fixed hints, pydantic bumps ``VERSION`` at each release), and the pull-request
gate's rule 3 asks no test change for them (a release pull request bumps
``__version__``). Both compare Python syntax trees with the annotations taken
out: parameter and return annotations, the annotation of ``x: T = v`` (kept
as an annotated name: a dataclass field stays a field), and the imports made
only for annotations (``if TYPE_CHECKING:`` blocks; ``typing``,
``typing_extensions`` and ``collections.abc`` imports no code uses).
"""

from __future__ import annotations

import ast
from typing import TypeGuard, TypeVar

__all__ = ["is_version_name", "same_but_hints", "strip_annotations"]

_VERSION_NAMES = frozenset({"version", "versioninfo"})
#: Modules imported for annotations: an import from them that no code uses is there for the hints.
_TYPING_MODULES = frozenset({"typing", "typing_extensions", "collections.abc", "__future__"})
_Tree = TypeVar("_Tree", bound=ast.AST)


def is_version_name(name: str) -> bool:
    """Whether a name holds a version (``__version__``, ``VERSION``, ``version_info``, ``__version_info__``).

    Args:
        name: An attribute's own name.

    Returns:
        True for the names of version strings and tuples.
    """
    return name.replace("_", "").lower() in _VERSION_NAMES


def strip_annotations(tree: _Tree) -> _Tree:
    """Take the type annotations out of a tree, in place.

    Parameters and returns lose theirs; ``x: T = v`` and ``x: T`` keep their
    target with the annotation blanked (a dataclass field stays one).

    Args:
        tree: A parsed module, statement or expression.

    Returns:
        The same tree.
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            node.annotation = None
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            node.returns = None
        elif isinstance(node, ast.AnnAssign):
            node.annotation = ast.Constant(value=None)
    return tree


def same_but_hints(old: bytes, new: bytes) -> bool:
    """Whether two versions of a Python file differ only in type annotations and version strings.

    Comments and layout are not in the syntax tree; everything else in it
    counts, docstrings included.

    Args:
        old: The file at one end.
        new: The file at the other.

    Returns:
        True when the trees are equal with annotations, imports made for them
        and the values of version names taken out; False when either does not parse.
    """
    try:
        return _normalized(old) == _normalized(new)
    except (SyntaxError, ValueError, RecursionError):
        return False


def _normalized(data: bytes) -> str:
    """The dump of a file's tree without annotations, their imports and version values.

    Raises:
        SyntaxError: It does not parse.
        ValueError: It holds null bytes.
    """
    tree = strip_annotations(ast.parse(data))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and _assigns_version(node):
            node.value = ast.Constant(value=None)
    _drop_hint_imports(tree)
    return ast.dump(tree)


def _drop_hint_imports(tree: ast.AST) -> None:
    """Remove ``if TYPE_CHECKING:`` blocks, then the typing imports no code uses."""
    blocks = _blocks(tree)
    for block in blocks:  # TYPE_CHECKING blocks first: the names they import are then unused
        block[:] = [kept for statement in block for kept in _without_type_checking(statement)]
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    for block in blocks:
        block[:] = [statement for statement in block if not _hint_import(statement, used)]


def _blocks(tree: ast.AST) -> list[list[ast.stmt]]:
    """Every list of statements in a tree (bodies, ``else`` and ``finally`` blocks)."""
    found: list[list[ast.stmt]] = []
    for node in ast.walk(tree):
        found += [block for name in ("body", "orelse", "finalbody") if _is_block(block := getattr(node, name, None))]
    return found


def _is_block(value: object) -> TypeGuard[list[ast.stmt]]:
    """Whether a node's field is a list of statements (a lambda's or a conditional expression's body is not)."""
    return isinstance(value, list) and all(isinstance(item, ast.stmt) for item in value)


def _without_type_checking(statement: ast.stmt) -> list[ast.stmt]:
    """An ``if TYPE_CHECKING:`` block's ``else`` statements in its place; any other statement itself."""
    return statement.orelse if isinstance(statement, ast.If) and _is_type_checking(statement.test) else [statement]


def _assigns_version(node: ast.Assign | ast.AnnAssign) -> bool:
    """Whether an assignment sets a version name (and nothing else)."""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return all(isinstance(t, ast.Name) and is_version_name(t.id) for t in targets)


def _is_type_checking(test: ast.expr) -> bool:
    """``TYPE_CHECKING``, ``typing.TYPE_CHECKING`` or ``t.TYPE_CHECKING``."""
    name = test.attr if isinstance(test, ast.Attribute) else test.id if isinstance(test, ast.Name) else ""
    return name == "TYPE_CHECKING"


def _hint_import(statement: ast.stmt, used: set[str]) -> bool:
    """Whether a statement imports from a typing module only names no code uses."""
    if isinstance(statement, ast.ImportFrom):
        module = statement.module or ""
    elif isinstance(statement, ast.Import):
        module = statement.names[0].name if len(statement.names) == 1 else ""
    else:
        return False
    bound = {(a.asname or a.name).split(".")[0] for a in statement.names}
    return module in _TYPING_MODULES and not bound & used
