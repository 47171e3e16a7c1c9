"""Release notes: the changelog section of a version, and whether it says anything.

A section says something when it has a line other than blank lines, heading
adornments, and release markers (``Unreleased``, ``Released 2024-01-02``, a bare
date): click's ``Version 8.1.8`` / ``Unreleased`` section with no entry is empty.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from oshealth import changelog, versions
from oshealth.changelog import Section

_DATE = r"(?:\d{4}-\d{2}-\d{2}|\d{1,2} [a-z]+\.? \d{4}|[a-z]+\.? \d{1,2},? \d{4}|tbd|tba|\?+)"
#: A line that only dates a release or says it is not out yet.
_MARKER = re.compile(
    rf"^(?:(?:un)?released(?: on)?:?|release date:?|not (?:yet )?released(?: yet)?|in development|to be released)?"
    rf"\s*(?:{_DATE})?$",
    re.IGNORECASE,
)
_ADORNMENT = re.compile(r"^\s*([=\-`:'\"~^_*+#<>.])\1{2,}\s*$")
_COMMENT = re.compile(r"^\s*(?:\.\. (?!\w+::)|<!--.*-->\s*$)")
_BULLET = re.compile(r"^(?:[-*+•]|\d+[.)])\s")


@dataclass(frozen=True)
class Notes:
    """The changelog section found for a release.

    Attributes:
        path: The changelog file.
        section: The section.
        lines: Its content lines, indentation kept (markers, adornments and blank lines left out).
    """

    path: str
    section: Section
    lines: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        """Whether the section holds no entry."""
        return not self.lines

    @property
    def entries(self) -> int:
        """How many entries the section lists: its outermost bullet items, else its content lines."""
        bullets = [len(line) - len(line.lstrip()) for line in self.lines if _BULLET.match(line.lstrip())]
        outermost = min(bullets, default=0)
        return sum(1 for indent in bullets if indent == outermost) or len(self.lines)


def content_lines(body: str) -> tuple[str, ...]:
    """The lines of a section's body that say something.

    Args:
        body: The section's text under its heading.

    Returns:
        The lines (trailing spaces removed), without blank lines, adornments,
        comments and release markers.
    """
    kept = []
    for line in body.splitlines():
        bare = line.strip().strip("()[]*_`.: ")
        if not bare or _ADORNMENT.match(line) or _COMMENT.match(line) or _MARKER.match(bare):
            continue
        kept.append(line.rstrip())
    return tuple(kept)


def find(changelogs: Mapping[str, str], version: str | None) -> Notes | None:
    """The section of ``version`` (or the unreleased section when None) in the first changelog that has one.

    Versions are compared as PEP 440 versions (``1.0`` names ``1.0.0``). When a
    file has the version twice, the first section with content wins. A
    pre-release without a section of its own is described by the section of
    its final version, else by the unreleased one: black's ``26.1a1`` shipped
    with its notes under ``Unreleased``, to become ``26.1.0``'s.

    Args:
        changelogs: Changelog path -> text, in order of preference.
        version: The version, or None for the section not released yet.

    Returns:
        The section found, or None.
    """
    wanted = None if version is None else versions.parse(version)
    searched: list[versions.Version | None] = [wanted]
    if wanted is not None and wanted.is_prerelease:
        searched += [versions.parse(".".join(str(part) for part in wanted.release)), None]
    fallback: Notes | None = None
    for target in searched:
        found = _find(changelogs, target)
        if found is not None and not found.is_empty:
            return found
        fallback = fallback or found
    return fallback


def _find(changelogs: Mapping[str, str], wanted: versions.Version | None) -> Notes | None:
    """The first section of ``wanted`` with content, else the first one found (see :func:`find`)."""
    fallback: Notes | None = None
    for path, text in changelogs.items():
        for section in changelog.sections(text, path.rsplit("/", 1)[-1]):
            if not _matches(section, wanted):
                continue
            notes = Notes(path, section, content_lines(section.body))
            if not notes.is_empty:
                return notes
            fallback = fallback or notes
    return fallback


def _matches(section: Section, wanted: versions.Version | None) -> bool:
    """Whether a section is the one of ``wanted`` (None: the section marked unreleased)."""
    if wanted is None:
        return section.is_unreleased
    named = versions.parse(section.version) if section.version else None
    return named is not None and named.key() == wanted.key()


def mentions(notes: Notes, dotted_path: str) -> bool:
    """Whether the section names an object: its last name, as a whole word.

    Args:
        notes: The section.
        dotted_path: The object's dotted path (``pkg.mod.func``).

    Returns:
        True when the object's name (``func`` for ``pkg.mod.func``) appears in the
        section; for a special method (``pkg.Class.__init__``), its class's name.
    """
    parts = dotted_path.split(".")
    name = parts[-1]
    if len(parts) > 1 and name.startswith("__") and name.endswith("__"):
        name = parts[-2]
    pattern = re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])")
    return any(pattern.search(line) for line in notes.lines)
