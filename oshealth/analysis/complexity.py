"""Cyclomatic complexity and maintainability index of one module, by radon."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from radon.complexity import cc_rank
from radon.metrics import h_visit_ast, mi_compute
from radon.raw import analyze
from radon.visitors import ComplexityVisitor, Function


@dataclass(frozen=True)
class Block:
    """One function, method or class as ``radon cc`` lists it.

    Attributes:
        name: radon's full name (``Class.method`` for methods).
        kind: ``function``, ``method`` or ``class``.
        line: First line of the block.
        end_line: Last line of the block.
        complexity: Cyclomatic complexity.
        rank: radon's A-F rank.
    """

    name: str
    kind: str
    line: int
    end_line: int
    complexity: int
    rank: str


@dataclass(frozen=True)
class ModuleComplexity:
    """Complexity facts of one module.

    Attributes:
        blocks: The blocks ``radon cc`` reports (closures and inner classes
            stay inside their parents, as radon's default does).
        maintainability: radon's maintainability index (``radon mi``, multi-line
            strings counted as comments), or None when it cannot be computed.
    """

    blocks: tuple[Block, ...]
    maintainability: float | None


def analyse(tree: ast.Module, text: str) -> ModuleComplexity:
    """Compute radon's complexity blocks and maintainability index for a module.

    Args:
        tree: The parsed module (radon's visitors take the same AST).
        text: The decoded source, for radon's raw line metrics.

    Returns:
        The module's complexity facts.
    """
    visitor = ComplexityVisitor.from_ast(tree)
    blocks = tuple(_block(b) for b in [*visitor.functions, *visitor.classes])
    return ModuleComplexity(blocks, _maintainability(tree, text, visitor.total_complexity))


def _block(block: object) -> Block:
    if isinstance(block, Function):
        kind = "method" if block.is_method else "function"
    else:
        kind = "class"
    complexity = int(block.complexity)  # type: ignore[attr-defined]
    return Block(
        name=block.fullname,  # type: ignore[attr-defined]
        kind=kind,
        line=block.lineno,  # type: ignore[attr-defined]
        end_line=block.endline,  # type: ignore[attr-defined]
        complexity=complexity,
        rank=cc_rank(complexity),
    )


def _maintainability(tree: ast.Module, text: str, total_complexity: int) -> float | None:
    try:
        raw = analyze(text)
    except Exception:  # radon's tokenizer rejects some files ast accepts
        return None
    comment_lines = raw.comments + raw.multi
    comments = comment_lines / float(raw.sloc) * 100 if raw.sloc else 0
    volume = h_visit_ast(tree).total.volume
    return float(mi_compute(volume, total_complexity, raw.lloc, comments))
