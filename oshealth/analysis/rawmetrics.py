"""radon's raw line counts (``radon.raw.analyze``) in linear time, with the same values.

radon splits a module into groups of lines by tokenizing the stripped lines
from each line on, adding one line and tokenizing again until the tokens are
complete: quadratic in the length of a multi-line literal (minutes for a few
thousand lines). Its groups end exactly where one tokenizer pass over all the
stripped lines ends a line outside brackets, strings and continuations; an
error token anywhere means radon never finds a complete group and raises.

Two ways to that one pass, both on Python 3.11 (whose pure-Python tokenizer
radon uses; other versions run radon's own function):

- the fast path masks strings and comments with one regular expression and
  reads brackets, colons and the rest with string methods: the few token
  facts radon's counts depend on. Any character it cannot vouch for (non-ASCII
  code, stray quotes or backslashes, characters the tokenizer rejects,
  unbalanced brackets) sends the module to
- the exact path: the tokenizer itself, once over the whole module
  (:mod:`oshealth.analysis.rawtokens`).

A group with a semicolon has its logical lines counted by radon's own
``_logical`` on that group's tokens, as radon does.
"""

from __future__ import annotations

import io
import itertools
import re
import sys
import tokenize

from radon.raw import Module, _logical, analyze

from oshealth.analysis.rawtokens import RadonFails, exact_counts, line_groups, new_counts

#: Comments, backslash continuations and strings (from their opening quote; continued with a
#: backslash), found left to right as the tokenizer finds them.
_TOKENS = re.compile(
    r"#[^\n]*"
    r"|\\\n"
    r"|'''[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*'''"
    r'|"""[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*"""'
    r"|'[^\n'\\]*(?:\\[\s\S][^\n'\\]*)*'"
    r'|"[^\n"\\]*(?:\\[\s\S][^\n"\\]*)*"'
)
#: Bytes the masked code may hold for the fast path to be sure of the tokenizer's view (besides ``!``
#: in ``!=``): printable ASCII but the characters the tokenizer rejects or the masking does not model.
_SURE = bytes(sorted(set(b"\t\n\x01\x02\x03") | set(range(0x20, 0x7F)) - set(b"'\"\\$?`!")))
_LONE_BANG = re.compile(rb"!(?!=)")
_MARKER_CHARS = re.compile(r"[\x01-\x03]")
# markers in the masked text: inside a string across a line end, a comment, a backslash continuation
_IN_STRING, _COMMENT, _CONTINUED = "\x01", "\x02", "\x03"
_MARKERS = b"\x01\x02\x03"
_MARKERS_AND_SPACE = b"\x01\x02\x03\n\t "
#: Bytes of a masked row that matter for the tokenizer's state at its end: brackets become ( or ),
#: the markers of a row that goes on stay; everything else is dropped.
_STATE_TABLE = bytes.maketrans(b"[{]}", b"(())")
_STATE_DROP = bytes(sorted(set(range(256)) - set(b"()[]{}\x01\x03\n")))
_COLON_TOKEN = re.compile(rb":(?!=)")
#: The tokenizer's string prefixes (``tokenize._all_string_prefixes``): with one, a string stays one token.
_PREFIXES = frozenset(
    "".join(chars)
    for word in ("", "b", "r", "u", "f", "br", "fr")
    for order in {word, word[::-1]}
    for chars in itertools.product(*({c.lower(), c.upper()} for c in order))
)


def raw_metrics(text: str) -> Module | None:
    """The value of ``radon.raw.analyze(text)``, in linear time.

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
    if not lines:
        return Module(0, 0, 0, 0, 0, 0, 0)
    counts = _fast_counts(lines)
    if counts is None:
        counts = exact_counts(lines)
        if counts is None:
            return None
    loc = counts["sloc"] + counts["blank"] + counts["multi"] + counts["single"]
    return Module(loc, counts["lloc"], counts["sloc"], counts["comments"], counts["multi"], counts["blank"],
                  counts["single"])


def _mask(joined: str) -> bytes | None:
    """Replace strings and comments by markers, keeping every line break.

    A string on one line becomes ``S``; a string over several lines becomes
    ``M`` followed by one byte 1 per line break inside it (a prefix such as
    ``rb`` stays in front); a comment becomes byte 2; a backslash
    continuation byte 3.

    Args:
        joined: The stripped lines joined with line breaks.

    Returns:
        The masked text as ASCII bytes, or None when it cannot be trusted (the
        text holds the marker characters, or code the tokenizer would reject).
    """
    if _MARKER_CHARS.search(joined):
        return None
    pieces: list[str] = []
    end = 0
    for match in _TOKENS.finditer(joined):
        start = match.start()
        pieces.append(joined[end:start])
        first = joined[start]
        end = match.end()
        if first == "#":
            pieces.append(_COMMENT)
        elif first == "\\":
            pieces.append(_CONTINUED + "\n")
        else:
            breaks = joined.count("\n", start, end)
            pieces.append("M" + (_IN_STRING + "\n") * breaks if breaks else "S")
    pieces.append(joined[end:])
    masked = "".join(pieces)
    if not masked.isascii():
        return None  # non-ASCII code: identifiers the tokenizer may split differently
    data = masked.encode("ascii")
    unsure = data.translate(None, _SURE)
    if unsure and (unsure.strip(b"!") or _LONE_BANG.search(data)):
        return None
    return data


def _fast_counts(lines: list[str]) -> dict[str, int] | None:
    """Count radon's raw metrics from the masked text, or None when only the tokenizer can tell.

    A row leaves the tokenizer clean when it ends outside brackets, strings
    and continuations; groups are cut as :func:`~oshealth.analysis.rawtokens.line_groups` cuts them.

    Args:
        lines: The module's stripped lines (at least one).

    Returns:
        The counts, or None to fall back on the exact path (unbalanced brackets,
        a text that ends inside a string, a bracket or a continuation).
    """
    masked = _mask("\n".join(lines))
    if masked is None:
        return None
    clean = _clean_rows(masked, lines)
    if clean is None:
        return None
    rows = masked.split(b"\n")
    counts = new_counts()
    counts["comments"] = masked.count(b"\x02")
    try:
        for first, last in line_groups(lines, clean):
            if first == last:
                _count_row(rows[first], lines[first], counts)
            else:
                _count_group(rows[first : last + 1], lines[first : last + 1], counts)
    except RadonFails:
        return None
    return counts


def _clean_rows(masked: bytes, lines: list[str]) -> list[bool] | None:
    """Whether each row leaves the tokenizer clean, read from the masked text.

    Args:
        masked: The masked text of ``lines``.
        lines: The module's stripped lines (at least one).

    Returns:
        A flag per row (the last row's says whether it is a line of its own:
        not empty), or None when the text has a closing bracket too many or
        ends inside a bracket or a continuation.
    """
    clean: list[bool] = []
    depth = 0
    for state in masked.translate(_STATE_TABLE, _STATE_DROP).split(b"\n"):
        if state:
            depth += state.count(b"(") - state.count(b")")
            clean.append(depth == 0 and not state.endswith((b"\x01", b"\x03")))
        else:
            clean.append(depth == 0)
        if depth < 0:
            return None
    if not clean[-1]:
        return None
    clean[-1] = bool(lines[-1])
    return clean


def _count_row(row: bytes, line: str, counts: dict[str, int]) -> None:
    """Add a group of one line to the counts (most groups): :func:`_count_group` made short.

    Args:
        row: The masked row.
        line: The stripped line.
        counts: The running counts.
    """
    if not line:
        counts["blank"] += 1
        return
    core = row.translate(None, _MARKERS_AND_SPACE)
    if len(core) > 3 and b";" not in core:
        counts["sloc"] += 1  # code, not a string or comment alone
        counts["lloc"] += _colon_lines(row) if b":" in core else 1
        return
    _count_group([row], [line], counts)


def _count_group(rows: list[bytes], parsed: list[str], counts: dict[str, int]) -> None:
    """Add one group's lines to the counts, as ``radon.raw.analyze`` does, from its masked rows.

    Comments are counted once for the whole text by the caller.

    Args:
        rows: The group's masked rows.
        parsed: The group's stripped lines.
        counts: The running counts.
    """
    group = b"\n".join(rows)
    comments = group.count(b"\x02")
    core = group.translate(None, _MARKERS_AND_SPACE)
    filled = sum(1 for line in parsed if line)
    if not core and comments == 1:
        counts["single"] += 1  # a comment alone
        return
    string = _lone_string(group, core, comments)
    if string == "S":
        counts["lloc"] += 1
        counts["single"] += 1
        return
    if string == "M":
        counts["lloc"] += 1
        counts["multi"] += filled
        counts["blank"] += len(parsed) - filled
        return
    counts["sloc"] += filled
    counts["blank"] += len(parsed) - filled
    _count_logical(group, core, parsed, counts)


def _lone_string(group: bytes, core: bytes, comments: int) -> str:
    """``S`` or ``M`` when the group is a string alone (on one line, on several), else nothing.

    Args:
        group: The group's masked text.
        core: The group without markers and spaces.
        comments: How many comments the group holds.

    Returns:
        The string's marker, or an empty text.
    """
    if len(core) > 3 or comments:
        return ""
    alone = group.translate(None, _MARKERS).strip().decode()
    return alone[-1] if alone[-1:] in ("S", "M") and alone[:-1] in _PREFIXES else ""


def _count_logical(group: bytes, core: bytes, parsed: list[str], counts: dict[str, int]) -> None:
    """Add a code group's logical lines, as radon's ``_logical`` counts them."""
    if b";" in core:
        # radon splits on semicolons and counts each part with its own quirks: let it
        counts["lloc"] += int(_logical(list(tokenize.generate_tokens(io.StringIO("\n".join(parsed)).readline))))
    elif core:
        counts["lloc"] += _colon_lines(group) if b":" in core else 1


def _colon_lines(code: bytes) -> int:
    """Count radon's ``_logical`` lines for code with a colon: 1 when the last colon is the last token, else 2.

    Args:
        code: Masked code (markers allowed) holding a ``:``.

    Returns:
        The number of logical lines radon counts.
    """
    code = code.translate(None, _MARKERS)
    if code.rstrip().endswith(b":"):
        return 1
    return 2 if _COLON_TOKEN.search(code) else 1  # ``:=`` is a token of its own
