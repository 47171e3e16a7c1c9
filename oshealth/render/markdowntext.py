"""Repository text as inert GitHub Markdown: shown literally, pinging nobody, linking nowhere.

Every string that comes from the audited repository (paths, messages,
author names, the reasons that quote them) is escaped so that it shows
literally: Markdown and HTML syntax is backslash-escaped, control
characters are made visible, and a word joiner (U+2060) is put after ``@``,
after ``#`` before a digit and inside ``://`` and ``www.``, so that a name
like ``@octocat`` or ``#123`` pings nobody, links to no issue and no site
(GitHub finds mentions, issue references and bare URLs in the text, after
backslash escapes are gone).
Paths are shown as code spans, where nothing is interpreted.
"""

from __future__ import annotations

import html
import re

#: Longest repository string shown in full, in characters.
MAX_FIELD = 1_000
_WORD_JOINER = "\u2060"
# Characters that start Markdown or HTML syntax anywhere in a line; "$" is GitHub's math.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")
_MENTION = re.compile(r"@(?=[\w-])")
_ISSUE_REF = re.compile(r"#(?=\d)")
# Where GFM would turn plain text into a link: "https://...", "www.example.com".
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=\bwww)(?=\.)", re.IGNORECASE)
# Control characters, and lone surrogates (undecodable bytes of a file name) that UTF-8 cannot encode.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_BACKTICKS = re.compile(r"`+")
# A run of backticks, text, and a run of the same length (CommonMark's code span).
_QUOTED = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


def escape(text: str, *, limit: int = MAX_FIELD) -> str:
    """Repository text as inert Markdown: shown literally, pinging nobody.

    Args:
        text: Any string from the audited repository.
        limit: Longer text is cut to this many characters and ends with "…".

    Returns:
        The escaped text, safe in a paragraph, a list item or a table cell.
    """
    text = _visible(_shorten(text, limit))
    text = _SPECIAL.sub(r"\\\1", text)
    return _unlinked(text)


def _unlinked(text: str) -> str:
    """Break mentions, issue references and bare URLs with an invisible word joiner."""
    text = _MENTION.sub("@" + _WORD_JOINER, text)
    text = _ISSUE_REF.sub("#" + _WORD_JOINER, text)
    return _AUTOLINK.sub(_WORD_JOINER, text)


def code(text: str, *, limit: int = MAX_FIELD) -> str:
    """Repository text as a code span, whatever backticks or spaces it holds."""
    text = _visible(_shorten(text, limit)) or " "
    runs = [len(run) for run in _BACKTICKS.findall(text)]
    fence = "`" * (max(runs, default=0) + 1)
    edge_space = text.startswith(" ") and text.endswith(" ") and text.strip() != ""
    pad = " " if text.startswith("`") or text.endswith("`") or edge_space else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def inline(text: str) -> str:
    """Text whose `quoted` or ``quoted`` parts become code spans; the rest is escaped.

    Finding messages and fix texts quote names this way; the quoted parts
    come from the repository as much as the rest, and are as inert in a
    code span.
    """
    text = _shorten(text, MAX_FIELD)
    parts: list[str] = []
    start = 0
    for match in _QUOTED.finditer(text):
        parts.append(escape(text[start : match.start()]))
        parts.append(code(match.group(2)))
        start = match.end()
    parts.append(escape(text[start:]))
    return "".join(parts)


def _shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis last when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _visible(text: str) -> str:
    """Control characters (a newline in a file name...) as their visible pictures, others as U+FFFD."""
    return _CONTROL.sub(lambda m: chr(0x2400 + ord(m.group())) if ord(m.group()) < 0x20 else "\ufffd", text)


def html_text(text: str) -> str:
    """Text for raw HTML (the ``<summary>`` line), also pinging nobody."""
    return _unlinked(html.escape(_visible(text)))
