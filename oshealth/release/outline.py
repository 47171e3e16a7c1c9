"""The public classes and functions of a Python file, read without parsing it.

A release's additions are the public objects a changed file defines at the
release tag and did not define at the release before. Parsing both versions of
every changed file is what made the release facts slow (sympy 1.14.0 changed
330 modules; ``ast.parse`` takes about 4 ms per file), yet almost no changed
file adds anything. The outline is the set of names that decides it, read with
a few regular-expression passes that run in C:

1. string literals and comments are cut out, scanning left to right as the
   tokenizer does (a quote outside a string always opens one, ``#`` outside a
   string always opens a comment; prefixes such as ``r`` or ``f`` do not change
   where a string ends), and backslash continuations joined;
2. ``def`` and ``class`` lines are nested by indentation: a definition is open
   until a later logical line is indented no deeper than it (a line inside
   brackets, told by counting them from a line known to start a logical line,
   continues the line before it);
3. nothing inside a function is public, so a function's body is skipped in
   one search for the line that ends it.

For every file Python can parse the outline holds exactly the names the AST
gives (:func:`oshealth.analysis.docstrings.analyse` filtered by
:func:`oshealth.analysis.public_api.is_public`); both were compared on 13,000
distinct files of sympy, pydantic, flask, click, requests and black, on Python
3.11 to 3.13. Text the scan cannot vouch for (a lone carriage return or form
feed, a byte-order mark, a quote or backslash left over, on Python 3.12 and
later an f-string that does not end where the scan ends it) gives None, and
the caller parses the file. For a file Python cannot parse, whether the scan
vouches for it makes no difference: such a file defines nothing at a release
and, at the release before, is read by its outline all the same.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
import unicodedata
from dataclasses import dataclass

_STRINGS = (
    r"""'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"""
    r'''|"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'''
    r"""|'[^'\\\n]*(?:\\.[^'\\\n]*)*'"""
    r'''|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'''
)
_STRING_OR_COMMENT = re.compile(rf"{_STRINGS}|\#[^\n]*", re.DOTALL)
_STRING_OR_COMMENT_SPLIT = re.compile(rf"({_STRINGS}|\#[^\n]*)", re.DOTALL)
#: The prefix of an f-string (or of a t-string, Python 3.14) at the end of the code before a string.
_PREFIX_AT_END = re.compile(r"(?<!\w)(?:[rR]?[fFtT]|[fFtT][rR])\Z")
#: What no parseable file leaves behind once strings, comments and continuations are gone.
_STRAY = re.compile(r"""['"\\]""")
_DEFINITION = re.compile(r"\n( *)(?:async[ \t]+)?(def|class)[ \t]+(\w+)")
_LEADING_BLANKS = re.compile(r"^[ \t]+", re.MULTILINE)
_INDENT_CONTINUED = re.compile(r"^[ \t]*\\\n", re.MULTILINE)
#: Since Python 3.12 (PEP 701) f-strings may hold quotes of their own kind in their fields.
_NESTING = sys.version_info >= (3, 12)
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
    if "\r" in text or "\f" in text or text.startswith("\ufeff"):
        return None  # line ends, indentation and the first line the scan would read otherwise
    unquoted = _checked_unquoted(text) if _NESTING else _STRING_OR_COMMENT.sub("", text)
    if unquoted is None or ("\\\n" in unquoted and _indentation_continued(unquoted)):
        return None
    logical = unquoted.replace("\\\n", " ")
    if _STRAY.search(logical):
        return None  # a quote the scan could not close, a backslash continuing nothing: a misread string
    return _definitions(logical)


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


def _checked_unquoted(text: str) -> str | None:
    """The text without strings and comments, or None when an f-string may end elsewhere than the scan ends it."""
    parts = _STRING_OR_COMMENT_SPLIT.split(text)  # code, string or comment, code, ...
    for index in range(1, len(parts), 2):
        literal = parts[index]
        if "{" in literal and literal[0] != "#":
            prefix = _PREFIX_AT_END.search(parts[index - 1], max(0, len(parts[index - 1]) - 2))
            if prefix is not None and not _ends_alone(prefix.group() + literal):
                return None
    return "".join(parts[::2])


def _indentation_continued(unquoted: str) -> bool:
    """Whether a logical line starts with a backslash continuation right after its indentation.

    How deep that indents the line is a quirk of the tokenizer (the column of
    the backslash, unless it is 0); lines that continue another line (after a
    backslash or inside brackets) are not indented at all.
    """
    for match in _INDENT_CONTINUED.finditer(unquoted):
        start = match.start()
        if unquoted[start - 2 : start] != "\\\n" and _depth(unquoted, 0, start) == 0:
            return True
    return False


def _ends_alone(literal: str) -> bool:
    """Whether an f-string ends where the scan ends it: parsed alone, it is one whole string.

    Where the scan ends it, the tokenizer ends it too unless the quote there
    is inside a replacement field (PEP 701); then the text up to it is no
    whole string.
    """
    try:
        body = ast.parse(literal, mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    last = literal.rpartition("\n")[2]
    return (body.end_lineno, body.end_col_offset) == (literal.count("\n") + 1, len(last.encode("utf-8")))


def _definitions(logical: str) -> frozenset[Definition]:
    """The public definitions of text without strings, comments and continuations."""
    if "\t" in logical:
        logical = _LEADING_BLANKS.sub(_spaces, logical)
    return frozenset(_nest("\n" + logical))


def _spaces(match: re.Match[str]) -> str:
    """Leading blanks with tabs expanded as the tokenizer counts them."""
    return " " * _column(match.group())


def _nest(logical: str) -> list[Definition]:
    """Nest the ``def`` and ``class`` lines of ``logical`` (starting with a newline) by indentation.

    A definition is open until a later logical line is indented no deeper (a
    line at bracket depth 0: lines inside brackets continue a logical line).
    Nothing inside a function is public, so a function's body is skipped in
    one search for the line that ends it.
    """
    found: list[Definition] = []
    classes: list[tuple[int, str | None]] = []  # open classes: indentation, dotted path (None: private)
    lines = _Lines(logical)
    position = 0
    while (match := _DEFINITION.search(logical, position)) is not None:
        column = len(match.group(1))
        _close_classes(classes, column, lines, match.start())
        name = match.group(3)
        if not name.isascii():
            name = unicodedata.normalize("NFKC", name)  # as the parser names identifiers
        path = _path(classes[-1][1] if classes else "", name)
        is_function = match.group(2) == "def"
        if path is not None:
            found.append(Definition(path, "function" if is_function else "class"))
        lines.start_after(match.start(), match.end())
        if is_function:
            position = lines.skip(column)
        else:
            classes.append((column, path))
            position = lines.position
    return found


def _close_classes(classes: list[tuple[int, str | None]], column: int, lines: _Lines, definition: int) -> None:
    """Close the open classes that end before a definition.

    Those indented as deep as the definition or deeper end at it; those
    further out end earlier if a logical line between is indented no deeper.

    Args:
        classes: The open classes, outermost first (indentation, dotted path); updated.
        column: The definition's indentation.
        lines: The walk over the lines since the previous definition.
        definition: Where the newline before the definition is.
    """
    while classes and classes[-1][0] >= column:
        classes.pop()
    while classes and lines.closes(classes[-1][0], definition):
        classes.pop()


class _Lines:
    """A walk over the logical lines after one definition, looking for the line that ends a block."""

    def __init__(self, logical: str) -> None:
        """Start before the first line of ``logical`` (which starts with a newline)."""
        self._text = logical
        self._anchor = 0  # a logical line starts right after this newline: bracket depth 0 there
        self.position = 0  # the newline before the first line not yet ruled out

    def start_after(self, definition: int, end: int) -> None:
        """Go on after the first line of the definition whose newline is at ``definition``."""
        self._anchor = definition
        after = self._text.find("\n", end)
        self.position = len(self._text) if after < 0 else after

    def closes(self, column: int, end: int) -> bool:
        """Whether a logical line before the newline at ``end`` is indented ``column`` or less.

        When one is, the walk stops before it: it may end blocks further out too.
        """
        pattern = _low_line(column)
        while True:
            match = pattern.search(self._text, self.position, end)
            if match is None:
                return False
            self.position = match.start()
            if _depth(self._text, self._anchor, match.start()) == 0:
                return True
            self.position = match.end()  # inside brackets: a continuation line

    def skip(self, column: int) -> int:
        """Skip the block of a definition indented ``column``: give the newline before the line that ends it."""
        if not self.closes(column, len(self._text)):
            return len(self._text)
        self._anchor = self.position
        return self.position


def _depth(text: str, start: int, end: int) -> int:
    """How many brackets opened in ``text[start:end]`` are still open."""
    opened = text.count("(", start, end) + text.count("[", start, end) + text.count("{", start, end)
    return opened - text.count(")", start, end) - text.count("]", start, end) - text.count("}", start, end)


@functools.cache
def _low_line(column: int) -> re.Pattern[str]:
    """A pattern of a newline and a non-blank line indented ``column`` spaces or less."""
    return re.compile(f"\n {{0,{column}}}(?=[^ \n])")


def _path(parent: str | None, name: str) -> str | None:
    """The dotted path of a definition in a class (``parent``) or module (``""``); None when private."""
    if parent is None or _is_private(name):
        return None
    return f"{parent}.{name}" if parent else name


def _column(indent: str) -> int:
    """The tokenizer's column after ``indent``: tabs to the next multiple of 8."""
    column = 0
    for char in indent:
        column = (column // _TAB_SIZE + 1) * _TAB_SIZE if char == "\t" else column + 1
    return column


def _is_private(name: str) -> bool:
    """A leading underscore, but not a dunder name (the docstring-coverage rule)."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))
