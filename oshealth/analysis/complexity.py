"""Cyclomatic complexity and maintainability index of one module, as radon computes them.

The figures equal ``radon cc`` and ``radon mi`` (radon 6.0.1, default options)
on the same file: the same visitors run on the tree that oshealth parsed once.
Radon reads every file as plain UTF-8, so it fails on files that Python itself
accepts (a UTF-8 byte-order mark, or a PEP 263 cookie for an encoding whose
bytes are not valid UTF-8); :attr:`ModuleComplexity.error` records those so
that the numbers leave out exactly the files radon leaves out.
"""

from __future__ import annotations

import ast
import codecs
import io
import sys
import tokenize
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from radon.complexity import cc_rank
from radon.metrics import h_visit_ast, mi_compute
from radon.raw import Module, _logical, analyze, is_single_token
from radon.visitors import Class, ComplexityVisitor, Function


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
    visitor = ComplexityVisitor.from_ast(tree)
    blocks = tuple(_block(block) for block in visitor.blocks)
    return ModuleComplexity(blocks, maintainability(tree, text, visitor.total_complexity))


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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text)


def _block(block: Function | Class) -> Block:
    if isinstance(block, Function):
        kind = "method" if block.is_method else "function"
    else:
        kind = "class"
    complexity = int(block.complexity)
    return Block(block.fullname, kind, block.lineno, block.endline, complexity, cc_rank(complexity))


def maintainability(tree: ast.Module, text: str, total_complexity: int) -> float | None:
    """Compute radon's ``mi_visit(text, multi=True)``, reusing the parsed tree.

    Args:
        tree: The module parsed from ``text``.
        text: The source, for radon's raw line counts.
        total_complexity: The module's total complexity (``ComplexityVisitor.total_complexity``).

    Returns:
        The maintainability index from 0 to 100, or None when radon's raw
        analysis rejects the text (``radon mi`` then reports an error).
    """
    raw = raw_metrics(text)
    if raw is None:
        return None
    comment_lines = raw.comments + raw.multi
    comments = comment_lines / float(raw.sloc) * 100 if raw.sloc != 0 else 0
    volume = h_visit_ast(tree).total.volume
    return float(mi_compute(volume, total_complexity, raw.lloc, comments))


class _RadonFails(Exception):
    """radon's ``analyze`` would raise on this text."""


def raw_metrics(text: str) -> Module | None:
    """The value of ``radon.raw.analyze(text)``, in one tokenizer pass.

    radon tokenizes the stripped lines from each line on, adding one line and
    tokenizing again until the tokens are complete: quadratic in the length
    of a multi-line literal (minutes for a few thousand lines). Its groups of
    lines end exactly where one tokenizer pass over all the stripped lines
    ends a line outside brackets, strings and continuations; an error token
    anywhere means radon never finds a complete group and raises. The
    equivalence rests on Python 3.11's pure-Python tokenizer; other versions
    run radon's own function.

    Args:
        text: The module's source.

    Returns:
        radon's raw metrics, or None where ``analyze`` raises.
    """
    if sys.version_info[:2] != (3, 11):
        try:
            return analyze(text)
        except Exception:  # radon's line tokenizer rejects some files that ast accepts
            return None
    lines = [line.strip() for line in text.splitlines()]
    counts = {"lloc": 0, "sloc": 0, "comments": 0, "multi": 0, "blank": 0, "single": 0}
    try:
        for first, last, tokens in _line_groups(lines):
            _count_group(lines[first : last + 1], tokens, counts)
    except (_RadonFails, tokenize.TokenError, SyntaxError):
        return None
    loc = counts["sloc"] + counts["blank"] + counts["multi"] + counts["single"]
    return Module(loc, counts["lloc"], counts["sloc"], counts["comments"], counts["multi"], counts["blank"],
                  counts["single"])


def _line_groups(lines: list[str]) -> Iterator[tuple[int, int, list[tokenize.TokenInfo]]]:
    """Yield ``(first, last, tokens)`` for each group of lines radon tokenizes together.

    A group ends at the first line after which the tokenizer is outside any
    bracket, string or continuation. An empty line is the exception: as the
    last line of radon's buffer it is invisible (the buffer just ends with a
    newline), so it ends a group only when it starts one or when the line
    before it already left the tokenizer clean.
    """
    by_row: list[list[tokenize.TokenInfo]] = [[] for _ in lines]
    clean = [False] * len(lines)
    depth = 0
    for token in tokenize.generate_tokens(io.StringIO("\n".join(lines)).readline):
        if token.type == tokenize.ERRORTOKEN:
            raise _RadonFails  # radon keeps adding lines, then raises at the end of the file
        if token.type in (tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT):
            continue
        if token.type == tokenize.OP and token.string in ("(", "[", "{", ")", "]", "}"):
            depth += 1 if token.string in ("(", "[", "{") else -1
        row = token.start[0] - 1
        by_row[row].append(token)
        if token.type in (tokenize.NL, tokenize.NEWLINE):
            clean[row] = depth == 0
    if lines and lines[-1]:
        # no TokenError, so the tokenizer ended clean, even where the last line
        # emitted no NEWLINE (a comment closing a backslash continuation)
        clean[-1] = True
    first = 0
    for row, line in enumerate(lines):
        ends = (row == first or clean[row - 1]) if not line else clean[row]
        if ends:
            yield first, row, [token for tokens in by_row[first : row + 1] for token in tokens]
            first = row + 1
    if first != len(lines):
        raise _RadonFails


_END = tokenize.TokenInfo(tokenize.ENDMARKER, "", (0, 0), (0, 0), "")


def _count_group(parsed: list[str], group: list[tokenize.TokenInfo], counts: dict[str, int]) -> None:
    """Add one group's lines to the counts, as ``radon.raw.analyze`` does."""
    tokens = [*group, _END]
    counts["comments"] += sum(1 for t in tokens if t.type == tokenize.COMMENT)
    if is_single_token(tokenize.COMMENT, tokens):
        counts["single"] += 1
    elif is_single_token(tokenize.STRING, tokens):
        if tokens[0].start[0] == tokens[0].end[0]:
            counts["single"] += 1
        else:
            counts["multi"] += sum(1 for line in parsed if line)
            counts["blank"] += sum(1 for line in parsed if not line)
    else:
        counts["sloc"] += sum(1 for line in parsed if line)
        counts["blank"] += sum(1 for line in parsed if not line)
    counts["lloc"] += _logical(tokens)
