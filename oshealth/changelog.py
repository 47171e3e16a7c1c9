"""Changelogs: where they are, their version sections, and news fragments.

A changelog is a file named ``CHANGELOG``, ``CHANGES``, ``HISTORY``, ``NEWS``
or ``RELEASES`` (any case, any extension, ``_``/``-`` variants such as
``RELEASE_NOTES``) at the repository root or in ``docs/``/``doc/``. Its
sections are read from Markdown (ATX ``#`` and setext) and reStructuredText
(underlined, optionally overlined) headings: the section level is the
shallowest heading level where a version number or an "unreleased" marker
appears; a deeper heading is a release section too when its title starts with a version
(conventional-changelog writes minor releases as ``# [1.2.0]`` and patch releases as ``## [1.2.1]``). News
fragments are the files of towncrier's and scriv's fragment
folders (``changelog.d/``, ``newsfragments/``, ``changes/``, ``news/``).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

__all__ = ["Section", "find_changelogs", "fragments", "is_fragment", "sections", "sections_touched"]

_CHANGELOG_STEMS = frozenset({"changelog", "changes", "history", "news", "releases", "release_notes", "release-notes"})
_CHANGELOG_FOLDERS = frozenset({"", "docs", "doc"})
#: Fragment folders at the root (towncrier's and scriv's usual names).
_FRAGMENT_ROOTS = ("changelog.d/", "newsfragments/", "changes/", "news/")
_NOT_FRAGMENTS = frozenset({".gitignore", ".gitkeep", ".keep", "readme", "readme.md", "readme.rst", "readme.txt"})
_VERSION = re.compile(r"(?<![\w.])v?(\d+(?:\.\d+)+(?:[-.]?(?:a|b|rc|alpha|beta|dev|post)\.?\d*)*)(?!\w)", re.I)
_UNRELEASED_LINE = re.compile(
    r"\b(unreleased|not (?:yet )?released|in development|development version|upcoming|next release|tbd|tba)\b",
    re.I,
)
#: Titles may also say only "dev", "development" or "in progress" (requests' "dev" section).
_UNRELEASED = re.compile(rf"{_UNRELEASED_LINE.pattern}|\b(dev|development|in progress|main|master|head)$", re.I)
#: A heading that is a release by its form: it starts with the version, alone or before a date, a dash or a
#: parenthesis, or as a link's text (conventional-changelog's ``## [1.2.3](url) (date)``); "Version" or
#: "Release" may come first. "Python 3.12 support" or "2.0 migration guide" are not releases.
_RELEASE_TITLE = re.compile(
    r"^(?:(?:version|release)\s+)?(?:\[v?\d+(?:\.\d+)+[^\]]*\]|v?\d+(?:\.\d+)+\S*(?:\s*$|\s+[-\u2013\u2014(:]|\s+\d{4}-))",
    re.I,
)
_RST_ADORNMENT = re.compile(r"^([=\-`:'\"~^_*+#<>.])\1{2,}\s*$")
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")


@dataclass(frozen=True)
class Section:
    """One release section of a changelog.

    Attributes:
        title: The heading text.
        version: The version named in the heading (``1.2.0``), or None.
        is_unreleased: The heading or its first line says it is not released
            yet ("Unreleased", "in development", "dev", a ``.dev`` version...).
        start_line: Line of the heading (1-based).
        end_line: Last line before the next section at the same or a higher level.
        body: The text under the heading, without it.
    """

    title: str
    version: str | None
    is_unreleased: bool
    start_line: int
    end_line: int
    body: str


def is_changelog(path: str) -> bool:
    """Whether a repository-relative path is a changelog (see the module doc)."""
    folder, base = posixpath.split(path)
    stem = base.split(".", 1)[0].lower()
    return folder.lower() in _CHANGELOG_FOLDERS and stem in _CHANGELOG_STEMS


def find_changelogs(paths: Iterable[str]) -> list[str]:
    """The changelogs among ``paths``, root files first, then sorted.

    Args:
        paths: Repository-relative POSIX paths.

    Returns:
        The changelog paths.
    """
    return sorted((p for p in paths if is_changelog(p)), key=lambda p: ("/" in p, p))


def is_fragment(path: str, extra_dirs: Collection[str] = ()) -> bool:
    """Whether a path is a news fragment (a file in a towncrier or scriv fragment folder).

    Args:
        path: Repository-relative POSIX path.
        extra_dirs: More fragment folders (towncrier's configured ``directory``).

    Returns:
        True for fragments; templates and README files of those folders are not.
    """
    base = posixpath.basename(path).lower()
    if base in _NOT_FRAGMENTS or base.startswith("template") or base.startswith("_template"):
        return False
    folders = (*_FRAGMENT_ROOTS, *(d.strip("/") + "/" for d in extra_dirs if d.strip("/")))
    return path.startswith(folders) or "/newsfragments/" in f"/{path}"


def fragments(paths: Iterable[str], extra_dirs: Collection[str] = ()) -> list[str]:
    """The news fragments among ``paths``, sorted.

    Args:
        paths: Repository-relative POSIX paths.
        extra_dirs: More fragment folders (towncrier's configured ``directory``).

    Returns:
        The fragment paths.
    """
    return sorted(p for p in paths if is_fragment(p, extra_dirs))


@dataclass(frozen=True)
class _Heading:
    """A heading found in the text: its 0-based line, the lines it spans, level key and title."""

    index: int
    span: int
    level: str
    title: str


def sections(text: str, filename: str) -> list[Section]:
    """The release sections of a changelog, in file order.

    Args:
        text: The changelog's text.
        filename: Its name (``.md``/``.markdown`` read as Markdown, anything else
            as reStructuredText with Markdown headings also recognised).

    Returns:
        The sections at the release level; empty when no heading names a version
        or an unreleased marker.
    """
    lines = text.splitlines()
    headings = _headings(lines, markdown_only=filename.lower().endswith((".md", ".markdown")))
    level = _release_level(headings)
    if level is None:
        return []
    order = _level_order(headings)
    result: list[Section] = []
    chosen = _release_headings(headings, level, order)
    for heading in chosen:
        end = _section_end(heading, headings, chosen, order, len(lines))
        body_lines = lines[heading.index + heading.span : end]
        result.append(_section(heading, body_lines, end))
    return result


def _release_headings(headings: list[_Heading], level: str, order: dict[str, int]) -> list[_Heading]:
    """The headings of the release level, and deeper ones shaped as releases of another version.

    A deeper heading naming the version of the section it sits in ("### v1.9.0 Changes" under "## v1.9.0")
    is a part of that release, not one of its own.
    """
    chosen: list[_Heading] = []
    for heading in headings:
        if heading.level == level:
            chosen.append(heading)
        elif order[heading.level] > order[level] and _RELEASE_TITLE.match(heading.title):
            if not chosen or _version_of(chosen[-1].title) != _version_of(heading.title):
                chosen.append(heading)
    return chosen


def _version_of(title: str) -> str | None:
    """The version a heading names, or None."""
    found = _VERSION.search(title)
    return found.group(1) if found else None


def _section(heading: _Heading, body_lines: list[str], end: int) -> Section:
    """Build a :class:`Section` from its heading and body lines (``end`` is 0-based exclusive)."""
    version = _version_of(heading.title)
    first = next((line.strip() for line in body_lines if line.strip()), "")
    unreleased = bool(_UNRELEASED.search(heading.title)) or _is_unreleased_line(first)
    if version and re.search(r"dev\d*$", version, re.I):
        unreleased = True
    return Section(heading.title, version, unreleased, heading.index + 1, end, "\n".join(body_lines).strip("\n"))


def _is_unreleased_line(line: str) -> bool:
    """Whether the first line under a heading marks it unreleased (a short line like ``Unreleased``)."""
    return len(line) <= 40 and bool(_UNRELEASED_LINE.search(line)) and not line.startswith(("-", "*", "+"))


def _section_end(heading: _Heading, headings: list[_Heading], chosen: list[_Heading], order: dict[str, int],
                 total: int) -> int:
    """The 0-based exclusive end of a section: the next heading at the same or a higher level, or the next release."""
    rank = order[heading.level]
    for other in headings:
        if other.index > heading.index and (order[other.level] <= rank or other in chosen):
            return other.index
    return total


def _level_order(headings: list[_Heading]) -> dict[str, int]:
    """Rank of each heading style: Markdown by ``#`` count, reST by first appearance."""
    order: dict[str, int] = {}
    for heading in headings:
        if heading.level not in order:
            order[heading.level] = len(order)
    md = {lvl: int(lvl[2:]) for lvl in order if lvl.startswith("md")}
    rst = [lvl for lvl in order if not lvl.startswith("md")]
    ranks = {lvl: 10 * n for lvl, n in md.items()}
    ranks.update({lvl: 10 * (i + 1) + 5 for i, lvl in enumerate(rst)})
    return ranks


def _release_level(headings: list[_Heading]) -> str | None:
    """The shallowest heading level whose titles name a version or an unreleased marker."""
    order = _level_order(headings)
    candidates = [h.level for h in headings if _VERSION.search(h.title) or _UNRELEASED.search(h.title)]
    return min(candidates, key=lambda lvl: order[lvl]) if candidates else None


def _headings(lines: list[str], *, markdown_only: bool) -> list[_Heading]:
    """Every heading: ATX, setext (Markdown) and underlined or overlined (reST)."""
    found: list[_Heading] = []
    fenced = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        heading = None if fenced else _heading_at(lines, i, markdown_only)
        if heading is not None:
            found.append(heading)
            i += heading.span
        else:
            i += 1
    return found


def _heading_at(lines: list[str], i: int, markdown_only: bool) -> _Heading | None:
    """The heading starting at line ``i``, if any."""
    line = lines[i]
    atx = _ATX.match(line)
    if atx:
        return _Heading(i, 1, f"md{len(atx.group(1))}", atx.group(2).strip())
    title = line.strip()
    if not title or _RST_ADORNMENT.match(line):
        return _overlined(lines, i) if not markdown_only else None
    return _underlined(i, title, lines[i + 1] if i + 1 < len(lines) else "", markdown_only)


def _underlined(i: int, title: str, nxt: str, markdown_only: bool) -> _Heading | None:
    """A setext (Markdown) or reST heading: the title at ``i`` and an underline ``nxt`` below it."""
    under = _RST_ADORNMENT.match(nxt)
    if under is None or len(nxt.rstrip()) < min(len(title), 3) and not markdown_only:
        return None
    char = under.group(1)
    if markdown_only:
        return _Heading(i, 2, "md1" if char == "=" else "md2", title) if char in "=-" else None
    return _Heading(i, 2, f"rst{char}", title)


def _overlined(lines: list[str], i: int) -> _Heading | None:
    """A reST heading with an overline at ``i``, a title, and the same underline."""
    if i + 2 >= len(lines) or not lines[i + 1].strip():
        return None
    over, under = _RST_ADORNMENT.match(lines[i]), _RST_ADORNMENT.match(lines[i + 2])
    if over and under and over.group(1) == under.group(1):
        return _Heading(i, 3, f"rst{over.group(1)}{over.group(1)}", lines[i + 1].strip())
    return None


def sections_touched(found: list[Section], lines: Collection[int]) -> list[Section]:
    """The sections that contain any of ``lines`` (1-based), headings included.

    Args:
        found: Sections from :func:`sections`.
        lines: Changed line numbers.

    Returns:
        The sections touched, in file order.
    """
    return [s for s in found if any(s.start_line <= n <= s.end_line for n in lines)]
