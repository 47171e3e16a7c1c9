"""Reading documentation text: section headings of common markups, rst / MkDocs includes, README qualities."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

_FENCED_BLOCK = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1", re.M | re.S)
_ATX = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
_HTML_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.I | re.S)
_ADOC_HEADING = re.compile(r"^={1,6}[ \t]+(\S.*)$", re.M)
_UNDERLINE = re.compile(r"^([=\-~^*+#\"'`:._])\1{2,}\s*$")
_INCLUDE = re.compile(r"^\.\. (?:include|literalinclude|mdinclude)::\s*(\S+)|--8<--\s*[\"']([^\"']+)", re.M)
_INSTALL_HEADING = re.compile(r"install|getting started|set ?up\b|quick ?start", re.I)
_INSTALL_COMMAND = re.compile(
    r"\b(?:(?:pip3?|pipx|conda|mamba|poetry|uv|pdm)\s+(?:pip\s+)?(?:install|add)"
    r"|(?:npm|pnpm)\s+(?:install|i|add)|yarn\s+(?:global\s+)?add|(?:cargo|go|gem|brew)\s+(?:install|add|get))\b",
    re.I,
)
_USAGE_HEADING = re.compile(r"usage|example|quick ?start|getting started|tutorial|how to use|basic use|demo", re.I)
_CODE_EXAMPLE = re.compile(
    r"^\s*(?:```|~~~)|^\s*\.\. (?:code-block|code|sourcecode)::|^\s*>>> |::[ \t]*\n[ \t]*\n[ \t]+\S", re.M
)
#: How deep includes are followed (an include cycle must end).
MAX_INCLUDE_DEPTH = 3


def headings(text: str) -> list[str]:
    """Section titles of Markdown (ATX, setext), reStructuredText, AsciiDoc or HTML text.

    Args:
        text: The document.

    Returns:
        The titles: ATX, then HTML, then AsciiDoc, then underlined ones, each in document order.
    """
    text = _FENCED_BLOCK.sub("", text)  # a "# comment" in a code block is not a heading
    found = [m.group(1) for m in _ATX.finditer(text)]
    found += [m.group(1) for m in _HTML_HEADING.finditer(text)]
    found += [m.group(1) for m in _ADOC_HEADING.finditer(text)]
    lines = text.splitlines()
    for before, line in zip(lines, lines[1:], strict=False):
        if _UNDERLINE.match(line) and before.strip() and not _UNDERLINE.match(before):
            found.append(before.strip())
    return found


def with_includes(documents: Mapping[str, str], path: str, depth: int = 0) -> str:
    """The document's text followed by the text of the documents it includes (rst, MkDocs snippets).

    Args:
        documents: The repository's text documents by path.
        path: The document.
        depth: How many includes led here.

    Returns:
        The texts joined by newlines; includes deeper than :data:`MAX_INCLUDE_DEPTH` are not followed.
    """
    text = documents.get(path, "")
    if depth >= MAX_INCLUDE_DEPTH:
        return text
    parts = [text]
    for match in _INCLUDE.finditer(text):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), match.group(1) or match.group(2)))
        if target in documents and target != path:
            parts.append(with_includes(documents, target, depth + 1))
    return "\n".join(parts)


def readme_qualities(text: str, min_chars: int) -> dict[str, bool]:
    """Judge what a README says.

    Args:
        text: The README.
        min_chars: The length it needs (surrounding whitespace left out).

    Returns:
        ``readme_long_enough``; ``readme_has_install`` (an install heading or a
        ``pip install``-like command); ``readme_has_usage`` (a usage or example
        heading); ``readme_has_code_example`` (a fenced block, an rst code
        directive or ``::`` literal block, or ``>>>`` lines); in that order.
    """
    titles = headings(text)
    return {
        "readme_long_enough": len(text.strip()) >= min_chars,
        "readme_has_install": any(_INSTALL_HEADING.search(h) for h in titles) or bool(_INSTALL_COMMAND.search(text)),
        "readme_has_usage": any(_USAGE_HEADING.search(h) for h in titles),
        "readme_has_code_example": bool(_CODE_EXAMPLE.search(text)),
    }
