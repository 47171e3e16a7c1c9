"""The public classes and functions of a Python file, read without parsing it.

A release's additions are the public objects a changed file defines at the
release tag and did not define at the release before. Parsing both versions of
every changed file is what made the release facts slow (sympy 1.14.0 changed
330 modules; ``ast.parse`` takes about 4 ms per file), yet almost no changed
file adds anything. The outline is the set of names that decides it, read with
a handful of regular-expression passes that run in C:

1. string literals and comments are cut out, scanning left to right as the
   tokenizer does (a quote outside a string always opens one, ``#`` outside a
   string always opens a comment; prefixes such as ``r`` or ``f`` do not change
   where a string ends);
2. backslash continuations are joined and bracketed groups removed, innermost
   first, so that each remaining line is one logical line;
3. ``def`` and ``class`` lines are nested by indentation: a definition is open
   until a later logical line is indented no deeper than it.

For every file Python can parse the outline holds exactly the names the AST
gives (:func:`oshealth.analysis.docstrings.analyse` filtered by
:func:`oshealth.analysis.public_api.is_public`); the tests compare both on real
repositories. Text the scan cannot vouch for (a lone carriage return or form
feed, a byte-order mark, brackets or quotes left over, f-strings that nest
quotes on Python 3.12 and later) gives None, and the caller parses the file.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from dataclasses import dataclass

_STRING_OR_COMMENT = re.compile(
    r"""'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"""
    r'''|"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'''
    r"""|'[^'\\\n]*(?:\\.[^'\\\n]*)*'"""
    r'''|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'''
    r"""|\#[^\n]*""",
    re.DOTALL,
)
#: What no parseable file leaves behind once strings, comments and continuations are gone.
_STRAY = re.compile(r"""['"\\]""")
_DEFINITION = re.compile(r"\n( *)(?:async[ \t]+)?(def|class)[ \t]+(\w+)")
_LEADING_BLANKS = re.compile(r"^[ \t]+", re.MULTILINE)
_FSTRING_START = re.compile(r"(?<![\w])(?:[rRbBuU]?[fF]|[fF][rR])(?=['\"])")
_TAB_SIZE = 8


@dataclass(frozen=True)
class Definition:
    """A class or function that no function encloses and no private name leads to.

    Attributes:
        qualname: Dotted path inside the module (``Class.method``).
        kind: ``class`` or ``function``.
    """

    qualname: str
    kind: str


def public_definitions(text: str) -> frozenset[Definition] | None:
    """The classes and functions of a module that are public by name and not local to a function.

    Args:
        text: The decoded source.

    Returns:
        The definitions (exactly those of the AST when Python can parse the
        text), or None when the text holds something the scan cannot vouch for.
    """
    if not _plain(text):
        return None
    logical = _logical_lines(text)
    return _definitions(logical) if _balanced(logical) else None


def best_effort(text: str) -> frozenset[Definition]:
    """The outline of text the scan may not read as Python would: for files Python cannot parse at all.

    Args:
        text: The decoded source.

    Returns:
        What :func:`public_definitions` would give if it vouched for the text.
    """
    return _definitions(_logical_lines(text))


def _logical_lines(text: str) -> str:
    """The text with strings, comments and backslash continuations gone."""
    return _STRING_OR_COMMENT.sub("", text).replace("\\\n", " ")


def _definitions(logical: str) -> frozenset[Definition]:
    """The public definitions of text without strings, comments and continuations."""
    if "\t" in logical:
        logical = _LEADING_BLANKS.sub(_spaces, logical)
    return frozenset(_nest("\n" + logical))


def _plain(text: str) -> bool:
    """Whether the scan reads ``text`` as the tokenizer does: no lone carriage returns, form feeds, BOM..."""
    if "\r" in text or "\f" in text or text.startswith("\ufeff"):
        return False
    # PEP 701 (Python 3.12) lets f-strings nest quotes: only the tokenizer knows where those end
    return sys.version_info < (3, 12) or _FSTRING_START.search(text) is None


def _balanced(logical: str) -> bool:
    """Whether nothing is left that a parseable file cannot hold: stray quotes or backslashes, unmatched brackets."""
    if _STRAY.search(logical):
        return False
    return all(logical.count(open_) == logical.count(close) for open_, close in ("()", "[]", "{}"))


def _spaces(match: re.Match[str]) -> str:
    """Leading blanks with tabs expanded as the tokenizer counts them."""
    return " " * _column(match.group())


def _nest(logical: str) -> list[Definition]:
    """Nest the ``def`` and ``class`` lines of ``logical`` (starting with a newline) by indentation.

    A definition is open until a later logical line is indented no deeper: a
    line at bracket depth 0 (lines inside brackets continue a logical line).
    """
    found: list[Definition] = []
    # (indentation, is a function, dotted path or None when a function or private name leads to it)
    stack: list[tuple[int, bool, str | None]] = []
    segment = _Segment(logical)
    for match in _DEFINITION.finditer(logical):
        column = len(match.group(1))
        while stack and stack[-1][0] >= column:
            stack.pop()
        while stack and segment.closes(stack[-1][0], match.start()):
            stack.pop()
        name = match.group(3)
        if not name.isascii():
            name = unicodedata.normalize("NFKC", name)  # as the parser names identifiers
        is_function = match.group(2) == "def"
        path = _path(stack, name)
        if path is not None:
            found.append(Definition(path, "function" if is_function else "class"))
        stack.append((column, is_function, None if is_function else path))
        segment.start_after(match.start(), match.end())
    return found


class _Segment:
    """The logical lines between one definition's first line and the next definition."""

    def __init__(self, logical: str) -> None:
        """Start before the first line of ``logical`` (which starts with a newline)."""
        self._text = logical
        self._anchor = 0  # a logical line starts right after this newline: bracket depth 0 there
        self._position = 0  # the newline before the first line of the segment not yet ruled out

    def start_after(self, definition: int, end: int) -> None:
        """Begin the segment after the first line of the definition whose newline is at ``definition``."""
        self._anchor = definition
        after = self._text.find("\n", end)
        self._position = len(self._text) if after < 0 else after

    def closes(self, column: int, end: int) -> bool:
        """Whether a logical line before the newline at ``end`` is indented ``column`` or less.

        Once found, the segment goes on from that line (lines before it are
        deeper, so they close no definition further out either).
        """
        pattern = _low_line(column)
        while True:
            match = pattern.search(self._text, self._position, end)
            if match is None:
                return False
            self._position = match.start()
            if _depth(self._text, self._anchor, match.start()) == 0:
                return True
            self._position = match.end()  # inside brackets: a continuation line


def _depth(text: str, start: int, end: int) -> int:
    """How many brackets opened in ``text[start:end]`` are still open."""
    part = text[start:end]
    return sum(part.count(c) for c in "([{") - sum(part.count(c) for c in ")]}")


@functools.cache
def _low_line(column: int) -> re.Pattern[str]:
    """A pattern of a newline and a non-blank line indented ``column`` spaces or less."""
    return re.compile(f"\n {{0,{column}}}(?=[^ \n])")


def _path(stack: list[tuple[int, bool, str | None]], name: str) -> str | None:
    """The dotted path of a definition under ``stack``, or None when a function or private name leads to it."""
    if _is_private(name):
        return None
    if not stack:
        return name
    parent = stack[-1][2]
    return None if parent is None else f"{parent}.{name}"


def _column(indent: str) -> int:
    """The tokenizer's column after ``indent``: tabs to the next multiple of 8."""
    column = 0
    for char in indent:
        column = (column // _TAB_SIZE + 1) * _TAB_SIZE if char == "\t" else column + 1
    return column


def _is_private(name: str) -> bool:
    """A leading underscore, but not a dunder name (the docstring-coverage rule)."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))
