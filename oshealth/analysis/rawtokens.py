"""The exact path of :mod:`oshealth.analysis.rawmetrics`: one tokenizer pass over the whole module.

radon groups a module's stripped lines by tokenizing them until the tokens
are complete; :func:`line_groups` cuts the same groups from where one pass
over all the lines leaves the tokenizer clean (both paths use it), and
:func:`exact_counts` counts radon's raw metrics from the tokens of each
group, as ``radon.raw.analyze`` does. rawmetrics' fast path sends here every
module whose text it cannot vouch for.
"""

from __future__ import annotations

import io
import tokenize
from collections.abc import Iterator

from radon.raw import _logical, is_single_token

_END = tokenize.TokenInfo(tokenize.ENDMARKER, "", (0, 0), (0, 0), "")


class RadonFails(Exception):
    """radon's ``analyze`` would raise on this text."""


def new_counts() -> dict[str, int]:
    """Every count of radon's raw metrics at zero (``loc`` is their sum, made last)."""
    return {"lloc": 0, "sloc": 0, "comments": 0, "multi": 0, "blank": 0, "single": 0}


def line_groups(lines: list[str], clean: list[bool]) -> Iterator[tuple[int, int]]:
    """Yield ``(first, last)`` for each group of lines radon tokenizes together.

    A group ends at the first line after which the tokenizer is clean. An
    empty line is the exception: as the last line of radon's buffer it is
    invisible (the buffer just ends with a newline), so it ends a group only
    when it starts one or when the line before it already left the tokenizer
    clean.
    """
    first = 0
    for row, line in enumerate(lines):
        ends = (row == first or clean[row - 1]) if not line else clean[row]
        if ends:
            yield first, row
            first = row + 1
    if first != len(lines):
        raise RadonFails


def exact_counts(lines: list[str]) -> dict[str, int] | None:
    """Count radon's raw metrics from one tokenizer pass over the stripped lines.

    Args:
        lines: The module's stripped lines.

    Returns:
        The counts, or None where radon's ``analyze`` raises.
    """
    counts = new_counts()
    try:
        for first, last, tokens in _token_groups(lines):
            _count_tokens(lines[first : last + 1], tokens, counts)
    except (RadonFails, tokenize.TokenError, SyntaxError):
        return None
    return counts


def _token_groups(lines: list[str]) -> Iterator[tuple[int, int, list[tokenize.TokenInfo]]]:
    """Yield ``(first, last, tokens)`` for each group of lines radon tokenizes together.

    Raises:
        RadonFails: An error token, or a group that never completes.
    """
    by_row, clean = _tokenized_rows(lines)
    if lines and lines[-1]:
        # no TokenError, so the tokenizer ended clean, even where the last line
        # emitted no NEWLINE (a comment closing a backslash continuation)
        clean[-1] = True
    for first, last in line_groups(lines, clean):
        yield first, last, [token for tokens in by_row[first : last + 1] for token in tokens]


def _tokenized_rows(lines: list[str]) -> tuple[list[list[tokenize.TokenInfo]], list[bool]]:
    """The tokens of each row, and whether the tokenizer is outside brackets at the end of each.

    Raises:
        RadonFails: An error token.
        tokenize.TokenError: The text ends inside a bracket or a string.
    """
    by_row: list[list[tokenize.TokenInfo]] = [[] for _ in lines]
    clean = [False] * len(lines)
    depth = 0
    for token in tokenize.generate_tokens(io.StringIO("\n".join(lines)).readline):
        if token.type == tokenize.ERRORTOKEN:
            raise RadonFails  # radon keeps adding lines, then raises at the end of the file
        if token.type in (tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT):
            continue
        if token.type == tokenize.OP and token.string in ("(", "[", "{", ")", "]", "}"):
            depth += 1 if token.string in ("(", "[", "{") else -1
        row = token.start[0] - 1
        by_row[row].append(token)
        if token.type in (tokenize.NL, tokenize.NEWLINE):
            clean[row] = depth == 0
    return by_row, clean


def _count_tokens(parsed: list[str], group: list[tokenize.TokenInfo], counts: dict[str, int]) -> None:
    """Add one group's lines to the counts, as ``radon.raw.analyze`` does, from its tokens."""
    tokens = [*group, _END]
    counts["comments"] += sum(1 for t in tokens if t.type == tokenize.COMMENT)
    filled = sum(1 for line in parsed if line)
    if is_single_token(tokenize.COMMENT, tokens):
        counts["single"] += 1
    elif not is_single_token(tokenize.STRING, tokens):
        counts["sloc"] += filled
        counts["blank"] += len(parsed) - filled
    elif tokens[0].start[0] == tokens[0].end[0]:
        counts["single"] += 1
    else:
        counts["multi"] += filled
        counts["blank"] += len(parsed) - filled
    counts["lloc"] += _logical(tokens)
