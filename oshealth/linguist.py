"""Which files GitHub Linguist counts as source code, decided from paths alone.

The truck-factor reference implementation (aserg-ufmg/Truck-Factor) keeps only
the files that Linguist's ``Repository#breakdown_by_file`` lists at HEAD: files
whose language is of type *programming* or *markup* and that are neither
vendored, documentation nor generated (tests stay in). This module reproduces
that filter from Linguist 7.22.1's own data (``languages.yml``,
``vendor.yml``, ``documentation.yml``, ``generic.yml``; MIT licence, GitHub
Inc.; the tables are in :mod:`oshealth.linguist_data`), so that it runs
without Ruby and without reading file contents.

Linguist also looks inside files; a check sees only paths, so these parts are
approximated and may differ from Linguist on unusual repositories:

* empty files have no language in Linguist; only empty ``*.py`` files are known
  here (through their size), other empty files count;
* shebangs and modelines are not read: a script without an extension
  (``bin/tool`` with ``#!/usr/bin/env python``) is not counted;
* where an extension is shared by a source and a data/prose language (``.md``,
  ``.sql``, ``.ts``...), Linguist's content heuristics are replaced by the
  verdict they give on typical content (:data:`~oshealth.linguist_data.MIXED_EXTENSIONS`);
* only the path-based "generated" rules apply (``.idea/``, ``_pb2.py``...);
* ``.gitattributes`` overrides (``linguist-vendored``, ``-generated``,
  ``-documentation``, ``-detectable``) are read from the root file only, and
  ``linguist-language`` is not applied.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from oshealth import linguist_data

#: Linguist's Manpage strategy: such names are Roff (markup) when nothing else matched.
_MANPAGE = re.compile(r"\.(?:[1-9](?![0-9])[a-z_0-9]*|0p|n|man|mdoc)(?:\.in)?$", re.IGNORECASE)
#: Prefixes by which most of ``vendor.yml``'s patterns match at the start of a path or of a folder.
_AT_SEGMENT = ("(^|/)", "(^|\\/)")
#: Leading groups that can match the empty string: a search finds a match with them iff it finds one without.
_EMPTY_PREFIXES = ("([^\\s]*)", "(.*?)")
_ATTRIBUTES = ("vendored", "generated", "documentation", "detectable")


@dataclass(frozen=True)
class _AttributeRule:
    """One ``.gitattributes`` line's ``linguist-*`` attributes.

    Attributes:
        pattern: The line's path pattern, as a regex over the whole path.
        values: Attribute (without ``linguist-``) -> set (True), unset (False) or unspecified (None).
    """

    pattern: re.Pattern[str]
    values: Mapping[str, bool | None]


def is_source_language(path: str) -> bool:
    """Whether Linguist gives ``path`` a programming or markup language, by its name.

    Args:
        path: Repository-relative POSIX path.

    Returns:
        True for source (Python, C, HTML, CSS, Shell...), False for data, prose or unknown.
    """
    name = posixpath.basename(path)
    if name in linguist_data.SOURCE_FILENAMES or name in linguist_data.OTHER_FILENAMES:
        return name in linguist_data.SOURCE_FILENAMES
    lower = name.lower()
    segments = lower.split(".")[1:]
    for index in range(len(segments)):
        extension = "." + ".".join(segments[index:])
        if extension in linguist_data.MIXED_EXTENSIONS:
            return linguist_data.MIXED_EXTENSIONS[extension]
        if extension in linguist_data.SOURCE_EXTENSIONS or extension in linguist_data.OTHER_EXTENSIONS:
            return extension in linguist_data.SOURCE_EXTENSIONS
    return bool(_MANPAGE.search(name))


class _AnyPattern:
    """Whether any of several regexes is found in a string, as fast as the regex engine allows.

    One alternation of all the patterns, as Linguist writes it, costs about
    0.4 ms per path: the engine tries every branch at every position. The
    patterns are regrouped into three regexes that find exactly the same
    paths: those anchored at the start (tried once), those anchored at the
    start of a path segment (``(^|/)X``, one ``(?:^|/)(?:X|Y...)``: only the
    slashes start a branch) and the rest, whose leading ``.*?``-like groups
    (which may match nothing) are dropped as they cannot change whether a
    search finds a match.
    """

    def __init__(self, patterns: Iterable[str], flags: int = 0) -> None:
        """Group and compile the patterns.

        Args:
            patterns: Python regexes, each searched anywhere in the string.
            flags: ``re`` flags for all of them.
        """
        start, segment, anywhere = _split_patterns(patterns)
        self._sources = (
            "|".join(start) if start else None,
            "(?:^|/)(?:" + "|".join(segment) + ")" if segment else None,
            "|".join(anywhere) if anywhere else None,
        )
        self._flags = flags
        self._compiled: tuple[re.Pattern[str] | None, ...] | None = None

    def _patterns(self) -> tuple[re.Pattern[str] | None, ...]:
        """The compiled groups, compiled on first use (compiling costs more than a run that needs none)."""
        if self._compiled is None:
            self._compiled = tuple(None if source is None else re.compile(source, self._flags)
                                   for source in self._sources)
        return self._compiled

    def search(self, text: str) -> bool:
        """Whether one of the patterns is found in ``text``."""
        start, segment, anywhere = self._patterns()
        return bool(
            (start is not None and start.match(text))
            or (segment is not None and segment.search(text))
            or (anywhere is not None and anywhere.search(text))
        )


def _split_patterns(patterns: Iterable[str]) -> tuple[list[str], list[str], list[str]]:
    """Sort regexes into :class:`_AnyPattern`'s three groups, each stripped of its anchor or empty prefix.

    Args:
        patterns: Python regexes, each searched anywhere in a string.

    Returns:
        The groups anchored at the start, at the start of a path segment, and
        anywhere, each pattern made a non-capturing group.
    """
    start: list[str] = []
    segment: list[str] = []
    anywhere: list[str] = []
    for pattern in patterns:
        prefix = next((p for p in _AT_SEGMENT if pattern.startswith(p)), None)
        if prefix is not None:
            segment.append(f"(?:{pattern[len(prefix):]})")
        elif pattern.startswith("^"):
            start.append(f"(?:{pattern[1:]})")
        else:
            prefix = next((p for p in _EMPTY_PREFIXES if pattern.startswith(p)), "")
            anywhere.append(f"(?:{pattern[len(prefix):]})")
    return start, segment, anywhere


_VENDORED = _AnyPattern(linguist_data.VENDORED)
_DOCUMENTATION = _AnyPattern(linguist_data.DOCUMENTATION)
_GENERATED = _AnyPattern(linguist_data.GENERATED, re.IGNORECASE)


def is_vendored(path: str) -> bool:
    """Whether Linguist's ``vendor.yml`` marks ``path`` as third-party code."""
    return _VENDORED.search(path)


def is_documentation(path: str) -> bool:
    """Whether Linguist's ``documentation.yml`` marks ``path`` as documentation."""
    return _DOCUMENTATION.search(path)


def is_generated(path: str) -> bool:
    """Whether ``path`` is generated by Linguist's path-only rules."""
    return _GENERATED.search(path)


def source_files(
    paths: Iterable[str], empty: Iterable[str] = (), gitattributes: str | None = None
) -> list[str]:
    """The files Linguist would count in the repository's language statistics.

    Args:
        paths: Repository-relative POSIX paths of the files at HEAD.
        empty: Paths known to be empty (Linguist gives them no language).
        gitattributes: Text of the root ``.gitattributes``, if any.

    Returns:
        The source files, sorted.
    """
    rules = parse_gitattributes(gitattributes or "")
    skip = set(empty)
    return sorted(p for p in paths if p not in skip and _counts(p, _attributes(rules, p)))


def _counts(path: str, attributes: Mapping[str, bool | None]) -> bool:
    """Whether Linguist counts a file: not vendored, documentation or generated, and of a source language.

    Args:
        path: Repository-relative POSIX path.
        attributes: The ``.gitattributes`` overrides that apply to it.

    Returns:
        True when it counts; an override wins over Linguist's own rule.
    """
    for name, test in (("vendored", is_vendored), ("documentation", is_documentation), ("generated", is_generated)):
        flagged = attributes.get(name)
        if flagged if flagged is not None else test(path):
            return False
    detectable = attributes.get("detectable")
    return detectable if detectable is not None else is_source_language(path)


def parse_gitattributes(text: str) -> list[_AttributeRule]:
    """Read the ``linguist-*`` attributes of a ``.gitattributes`` file.

    Args:
        text: The file's content.

    Returns:
        Rules in file order (later rules win).
    """
    rules = (_rule(line.split()) for line in text.splitlines())
    return [rule for rule in rules if rule is not None]


def _rule(fields: list[str]) -> _AttributeRule | None:
    """Read one ``.gitattributes`` line, split into its pattern and attributes.

    Args:
        fields: The line's whitespace-separated fields.

    Returns:
        The rule, or None for a blank or comment line or one without ``linguist-*`` attributes.
    """
    if not fields or fields[0].startswith("#"):
        return None
    values: dict[str, bool | None] = {}
    for field in fields[1:]:
        name, state = _attribute(field)
        if name.startswith("linguist-") and name[9:] in _ATTRIBUTES:
            values[name[9:]] = state
    return _AttributeRule(_pattern(fields[0]), values) if values else None


def _attribute(field: str) -> tuple[str, bool | None]:
    """Read one attribute as git does: ``name``, ``-name``, ``!name`` or ``name=value``.

    Args:
        field: The attribute as written.

    Returns:
        ``(name, state)``: True when set (or set to anything but ``false``),
        False when unset or ``false``, None when unspecified (``!``).
    """
    state: bool | None = True
    if field[:1] in "-!":
        state = None if field[0] == "!" else False
        field = field[1:]
    name, has_value, value = field.partition("=")
    if has_value:
        state = value != "false"
    return name, state


def _attributes(rules: list[_AttributeRule], path: str) -> dict[str, bool | None]:
    """Collect the attributes the rules give a path (later rules win).

    Args:
        rules: The rules, in file order.
        path: Repository-relative POSIX path.

    Returns:
        Attribute name -> value.
    """
    found: dict[str, bool | None] = {}
    for rule in rules:
        if rule.pattern.fullmatch(path):
            found.update(rule.values)
    return found


def _pattern(glob: str) -> re.Pattern[str]:
    """Translate a gitattributes pattern (gitignore syntax, no negation) to a regex.

    Args:
        glob: The pattern.

    Returns:
        A regex to match against whole repository-relative paths.
    """
    anchored = "/" in glob.rstrip("/")
    glob = glob.lstrip("/")
    parts: list[str] = []
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            parts.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            parts.append(".*")
            i += 2
        else:
            char = glob[i]
            parts.append({"*": "[^/]*", "?": "[^/]"}.get(char, re.escape(char)))
            i += 1
    body = "".join(parts)
    return re.compile(body if anchored else "(?:.*/)?" + body)
