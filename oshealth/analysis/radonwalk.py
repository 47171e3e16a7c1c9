"""radon's ComplexityVisitor and HalsteadVisitor in one walk over a module's tree.

radon (6.0.1) walks a module twice for ``radon mi``: once with
``ComplexityVisitor`` (cyclomatic complexity, also ``radon cc``'s blocks) and
once with ``HalsteadVisitor`` (the volume). Both are ``ast.NodeVisitor``
subclasses whose dispatch costs more than the work. This module walks the
tree once and keeps, rule for rule, what each visitor does:

- complexity: one "scope" per radon visitor instance. A function's body
  statements are each walked by a fresh scope (their decisions make the
  function's complexity; functions found there are its closures; classes
  found there are dropped); a class's body statements likewise (functions
  found there are its methods, their complexity added to the class's);
  ``assert`` adds one and hides everything inside it; decorators, arguments,
  return annotations, class bases and keywords are never looked at. The
  decisions: ``if``, ``x if c else y``, ``for``/``while``/``async for`` (+1
  with an ``else``), each ``except`` (+1 for ``else``; ``except*`` blocks add
  nothing), each extra operand of ``and``/``or``, each comprehension and its
  ``if`` clauses, ``match`` cases (a capture or wildcard case excepted).
  A block ends on the largest line number the last statement's scope saw.
- Halstead: the operators and operands of ``BinOp``, ``UnaryOp``, ``BoolOp``,
  ``AugAssign`` and ``Compare`` everywhere but in a function's decorators,
  arguments and return annotation; an operand is told apart by its name,
  attribute or constant value and by the innermost function around it.

The records are radon's own ``Function`` and ``Class`` tuples and the volume
comes from radon's ``halstead_visitor_report``, so every derived figure is
computed by radon's code. The tests compare the outcome with both visitors on
generated and real code.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from radon.metrics import halstead_visitor_report
from radon.visitors import Class, Function

#: Fields whose nodes neither visitor reacts to (expression contexts, operator tokens) or that hold no node.
_INERT_FIELDS = frozenset({
    "ctx", "op", "ops", "name", "id", "attr", "arg", "module", "level", "kind", "type_comment", "conversion",
    "is_async", "asname", "tag",
})


class _ChildFields(dict[type[ast.AST], tuple[str, ...]]):
    """The fields of each node type that may hold child nodes, in field order (found on first use)."""

    def __missing__(self, kind: type[ast.AST]) -> tuple[str, ...]:
        """Find and keep the fields of a node type not met before."""
        # a Constant's value is a Python object, never a node
        fields = () if kind is ast.Constant else tuple(name for name in kind._fields if name not in _INERT_FIELDS)
        self[kind] = fields
        return fields


_CHILD_FIELDS = _ChildFields()


@dataclass
class _Scope:
    """The state of one radon ``ComplexityVisitor`` instance."""

    complexity: int = 0
    to_method: bool = False
    classname: str | None = None
    functions: list[Function] = field(default_factory=list)
    classes: list[Class] = field(default_factory=list)
    max_line: float = float("-inf")


@dataclass
class RadonFigures:
    """What radon's two visitors find in a module.

    Attributes:
        functions: Module-level functions (radon's ``ComplexityVisitor.functions``).
        classes: Module-level classes (``ComplexityVisitor.classes``).
        total_complexity: ``ComplexityVisitor.total_complexity`` (the module's, for the MI).
        halstead_volume: ``h_visit_ast(tree).total.volume``.
    """

    functions: list[Function]
    classes: list[Class]
    total_complexity: int
    halstead_volume: float

    @property
    def blocks(self) -> list[Function | Class]:
        """The blocks ``radon cc`` lists: functions, then each class followed by its methods."""
        blocks: list[Function | Class] = list(self.functions)
        for klass in self.classes:
            blocks.append(klass)
            blocks.extend(klass.methods)
        return blocks


class _Walk:
    """One walk over a module: the complexity scopes on the way and the Halstead tallies."""

    def __init__(self) -> None:
        self.operators = 0
        self.operands = 0
        self.operators_seen: set[str] = set()
        self.operands_seen: set[tuple[str | None, Any]] = set()

    def visit(self, node: ast.AST, scope: _Scope | None, context: str | None) -> None:
        """Visit ``node`` as radon's visitors would; ``scope`` is None where ComplexityVisitor does not look.

        Args:
            node: The node.
            scope: The complexity scope visiting it, or None.
            context: The innermost enclosing function's name (Halstead's context), or None.
        """
        kind = type(node)
        definition = _DEFINITIONS.get(kind)
        if definition is not None:
            definition(self, node, scope, context)
            return
        if kind in _OPERATIONS:
            self._operation(node, context)
        if scope is None:
            self._unscoped_children(node, kind, context)
        elif kind is ast.Assert:
            scope.complexity += 1
            self._unscoped_children(node, kind, context)  # radon's visit_Assert looks no further
        else:
            line = getattr(node, "lineno", None)
            if line is not None and line > scope.max_line:
                scope.max_line = line
            if kind in _DECISIONS:
                scope.complexity += _DECISIONS[kind](node)
            self._scoped_children(node, kind, scope, context)

    def _scoped_children(self, node: ast.AST, kind: type[ast.AST], scope: _Scope, context: str | None) -> None:
        """Visit the nodes under ``node``, field by field, in the same scope and context.

        A leaf (a name, a constant: nearly half of all nodes) only moves the
        scope's last line, so it is handled here rather than with a visit.

        Args:
            node: The node.
            kind: Its type.
            scope: The complexity scope visiting it.
            context: The innermost enclosing function's name, or None.
        """
        for name in _CHILD_FIELDS[kind]:
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    if type(item) in _LEAVES:
                        if item.lineno > scope.max_line:
                            scope.max_line = item.lineno
                    elif isinstance(item, ast.AST):
                        self.visit(item, scope, context)
            elif type(value) in _LEAVES:
                if value.lineno > scope.max_line:  # type: ignore[union-attr]
                    scope.max_line = value.lineno  # type: ignore[union-attr]
            elif isinstance(value, ast.AST):
                self.visit(value, scope, context)

    def _unscoped_children(self, node: ast.AST, kind: type[ast.AST], context: str | None) -> None:
        """Visit the nodes under ``node`` for Halstead only, field by field, in the same context.

        Without a scope a leaf has nothing to move, so it is skipped rather than visited.

        Args:
            node: The node.
            kind: Its type.
            context: The innermost enclosing function's name, or None.
        """
        for name in _CHILD_FIELDS[kind]:
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    if type(item) not in _LEAVES and isinstance(item, ast.AST):
                        self.visit(item, None, context)
            elif type(value) not in _LEAVES and isinstance(value, ast.AST):
                self.visit(value, None, context)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: _Scope | None) -> None:
        """A function: each body statement in a scope of its own, in the function's Halstead context."""
        closures: list[Function] = []
        complexity = 1
        last = _Scope()
        for child in node.body:
            last = _Scope()
            self.visit(child, last, node.name)
            closures.extend(last.functions)
            complexity += last.complexity
        if scope is not None:
            end = max(node.lineno, last.max_line)
            scope.functions.append(Function(node.name, node.lineno, node.col_offset, end, scope.to_method,
                                            scope.classname, closures, complexity))

    def _class(self, node: ast.ClassDef, scope: _Scope | None, context: str | None) -> None:
        """A class: its bases, keywords and decorators for Halstead only, its body statements in method scopes."""
        for child in (*node.bases, *node.keywords):
            self.visit(child, None, context)
        methods: list[Function] = []
        inner: list[Class] = []
        complexity = 1
        max_lines: list[float] = [node.lineno]
        for child in node.body:
            body_scope = _Scope(to_method=True, classname=node.name)
            self.visit(child, body_scope, context)
            methods.extend(body_scope.functions)
            complexity += body_scope.complexity + sum(f.complexity for f in body_scope.functions)
            max_lines.append(body_scope.max_line)
            inner.extend(body_scope.classes)
        for child in node.decorator_list:
            self.visit(child, None, context)
        if scope is not None:
            end = max(max_lines + [m.endline for m in methods])
            scope.classes.append(Class(node.name, node.lineno, node.col_offset, end, methods, inner, complexity))

    def _operation(self, node: Any, context: str | None) -> None:
        """Count the operators and operands of one operation node, as HalsteadVisitor's ``dispatch`` does."""
        kind = type(node)
        if kind is ast.Compare:
            self.operators += len(node.ops)
            self.operands += len(node.comparators) + 1
            self.operators_seen.update(type(op).__name__ for op in node.ops)
            operands = [*node.comparators, node.left]
        else:
            self.operators += 1
            self.operators_seen.add(type(node.op).__name__)
            if kind is ast.BinOp:
                operands = [node.left, node.right]
            elif kind is ast.UnaryOp:
                operands = [node.operand]
            elif kind is ast.BoolOp:
                operands = node.values
            else:  # AugAssign
                operands = [node.target, node.value]
            self.operands += len(operands)
        for operand in operands:
            self.operands_seen.add((context, _operand_key(operand)))


def _operand_key(operand: ast.AST) -> Any:
    """How HalsteadVisitor tells operands apart: a name, an attribute, a constant's value, else the node."""
    kind = type(operand)
    if kind is ast.Name:
        return operand.id  # type: ignore[attr-defined]
    if kind is ast.Attribute:
        return operand.attr  # type: ignore[attr-defined]
    if kind is ast.Constant:
        return operand.value  # type: ignore[attr-defined]
    return operand


def _match_cases(node: Any) -> int:
    """The decisions of a ``match``: one per case, the catch-all case excepted."""
    # radon: a case whose pattern has a ``pattern`` attribute set to None (``case _`` or ``case name``) is the else
    default = any(case for case in node.cases if getattr(case.pattern, "pattern", False) is None)
    return max(0, len(node.cases) - default)


#: The decision points of ComplexityVisitor.generic_visit, by node type.
_DECISIONS: dict[type[ast.AST], Any] = {
    ast.Try: lambda node: len(node.handlers) + bool(node.orelse),
    ast.BoolOp: lambda node: len(node.values) - 1,
    ast.If: lambda node: 1,
    ast.IfExp: lambda node: 1,
    ast.Match: _match_cases,
    ast.For: lambda node: bool(node.orelse) + 1,
    ast.While: lambda node: bool(node.orelse) + 1,
    ast.AsyncFor: lambda node: bool(node.orelse) + 1,
    ast.comprehension: lambda node: len(node.ifs) + 1,
}
_OPERATIONS = frozenset({ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.AugAssign, ast.Compare})
#: Nodes with a line and nothing either visitor reacts to, in them or under them.
_LEAVES = frozenset({ast.Name, ast.Constant, ast.Pass, ast.Break, ast.Continue})
#: Definitions, which open scopes of their own: how the walk handles each.
_DEFINITIONS: dict[type[ast.AST], Any] = {
    ast.FunctionDef: lambda walk, node, scope, context: walk._function(node, scope),
    ast.AsyncFunctionDef: lambda walk, node, scope, context: walk._function(node, scope),
    ast.ClassDef: _Walk._class,
}


def walk(tree: ast.Module) -> RadonFigures:
    """Find what ``ComplexityVisitor.from_ast(tree)`` and ``h_visit_ast(tree)`` find, in one walk.

    Args:
        tree: The module.

    Returns:
        The blocks, the total complexity and the Halstead volume.

    Raises:
        RecursionError: The tree is nested too deeply for the stack (as radon's visitors).
    """
    walker = _Walk()
    root = _Scope(complexity=1)
    walker.visit(tree, root, None)
    total = (root.complexity + sum(f.complexity for f in root.functions) - len(root.functions)
             + sum(c.real_complexity for c in root.classes) - len(root.classes))
    tallies = SimpleNamespace(distinct_operators=len(walker.operators_seen),
                              distinct_operands=len(walker.operands_seen),
                              operators=walker.operators, operands=walker.operands)
    return RadonFigures(root.functions, root.classes, total, halstead_visitor_report(tallies).volume)
