"""Cyclomatic complexity and maintainability index of one module, as radon computes them.

The figures equal ``radon cc`` and ``radon mi`` (radon 6.0.1, default options)
on the same file, computed from the tree that oshealth parsed once: radon's
two visitors in one walk (:mod:`oshealth.analysis.radonwalk`) and radon's
raw line counts in linear time (:mod:`oshealth.analysis.rawmetrics`).
Radon reads every file as plain UTF-8, so it fails on files that Python itself
accepts (a UTF-8 byte-order mark, or a PEP 263 cookie for an encoding whose
bytes are not valid UTF-8); :attr:`ModuleComplexity.error` records those so
that the numbers leave out exactly the files radon leaves out.
"""

from __future__ import annotations

import ast
import codecs
import warnings
from dataclasses import dataclass

from radon.complexity import cc_rank
from radon.metrics import mi_compute
from radon.visitors import Class, Function

from oshealth.analysis import radonwalk
from oshealth.analysis.rawmetrics import raw_metrics

__all__ = ["Block", "ModuleComplexity", "analyse", "maintainability", "radon_source", "raw_metrics"]


@dataclass(frozen=True)
class Block:
    """One function, method or class as ``radon cc`` lists it.

    Attributes:
        name: radon's full name (``Class.method`` for methods).
        kind: ``function``, ``method`` or ``class``.
        line: First line of the block.
        end_line: Last line of the block.
        complexity: Cyclomatic complexity (for a class, radon's mean of its
            methods plus one).
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
        blocks: The blocks ``radon cc`` lists by default: module-level
            functions, classes and their methods. Closures and inner classes
            stay inside their parents, as without ``--show-closures``.
        maintainability: radon's maintainability index (``radon mi``, multi-line
            strings counted as comments), or None when radon cannot compute it.
        error: Why radon cannot read the file at all (it reports an error and
            skips it), else None; ``blocks`` is empty when set.
    """

    blocks: tuple[Block, ...]
    maintainability: float | None
    error: str | None = None


def analyse(tree: ast.Module, text: str, data: bytes) -> ModuleComplexity:
    """Compute radon's complexity blocks and maintainability index for a module.

    Args:
        tree: The module parsed from ``text``.
        text: The source as Python decodes it.
        data: The file's bytes (radon decodes them as UTF-8 whatever the cookie says).

    Returns:
        The module's complexity facts.
    """
    radon_text, error = radon_source(data)
    if radon_text is None:
        return ModuleComplexity((), None, error)
    if radon_text != text:
        # a non-UTF-8 coding cookie: radon analyses a different text than Python's
        try:
            tree = _parse(radon_text)
        except (SyntaxError, ValueError) as exc:
            return ModuleComplexity((), None, f"radon reads the file as UTF-8 and cannot parse it: {exc}")
        text = radon_text
    figures = radonwalk.walk(tree)
    blocks = tuple(_block(block) for block in figures.blocks)
    return ModuleComplexity(blocks, maintainability(text, figures.total_complexity, figures.halstead_volume))


def radon_source(data: bytes) -> tuple[str | None, str | None]:
    """The text ``radon`` reads from a file, or why it cannot read it.

    Args:
        data: The file's bytes.

    Returns:
        ``(text, None)``, or ``(None, error)`` when radon fails on the file.
    """
    if data.startswith(codecs.BOM_UTF8):
        return None, "radon cannot read files that start with a UTF-8 byte-order mark"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, f"radon reads files as UTF-8 and fails: {exc}"


def _parse(text: str) -> ast.Module:
    """Parse the text radon reads, without the warnings (invalid escapes...) Python gives on the way."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text)


def _block(block: Function | Class) -> Block:
    """One of radon's blocks as a :class:`Block`, its kind and rank as ``radon cc`` shows them."""
    if isinstance(block, Function):
        kind = "method" if block.is_method else "function"
    else:
        kind = "class"
    complexity = int(block.complexity)
    return Block(block.fullname, kind, block.lineno, block.endline, complexity, cc_rank(complexity))


def maintainability(text: str, total_complexity: int, volume: float) -> float | None:
    """Compute radon's ``mi_visit(text, multi=True)`` from figures of the parsed tree.

    Args:
        text: The source, for radon's raw line counts.
        total_complexity: The module's total complexity (``ComplexityVisitor.total_complexity``).
        volume: The module's Halstead volume (``h_visit_ast(tree).total.volume``).

    Returns:
        The maintainability index from 0 to 100, or None when radon's raw
        analysis rejects the text (``radon mi`` then reports an error).
    """
    raw = raw_metrics(text)
    if raw is None:
        return None
    comment_lines = raw.comments + raw.multi
    comments = comment_lines / float(raw.sloc) * 100 if raw.sloc != 0 else 0
    return float(mi_compute(volume, total_complexity, raw.lloc, comments))
