"""Which docstring convention a repository asks for, read from its ruff or pydocstyle settings.

Each tool's settings are read as the tool reads them: only the root folder's
files count, and the tool's first configuration file (in its order of
precedence) decides, whether or not it sets a convention.
"""

from __future__ import annotations

import configparser
import tomllib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from oshealth import worktree

CONVENTIONS = ("pep257", "numpy", "google")
#: The convention pydocstyle applies when nothing is configured.
DEFAULT_CONVENTION = "pep257"
#: ruff's configuration files in its order of precedence (pyproject.toml only with [tool.ruff]).
RUFF_SETTINGS = (".ruff.toml", "ruff.toml", "pyproject.toml")
#: pydocstyle's configuration files in its order of precedence (``PROJECT_CONFIG_FILES``).
PYDOCSTYLE_SETTINGS = (
    "setup.cfg", "tox.ini", ".pydocstyle", ".pydocstyle.ini", ".pydocstylerc", ".pydocstylerc.ini", "pyproject.toml",
    ".pep257",
)
#: The sections pydocstyle reads, newest name first.
_PYDOCSTYLE_SECTIONS = ("pydocstyle", "pep257")
#: Where ruff keeps the pydocstyle settings inside its own table, newest first.
_RUFF_SECTIONS = (("lint", "pydocstyle"), ("pydocstyle",))

#: ``(convention, where it was set, why it is not a known convention or None)``.
Setting = tuple[str, str, str | None]
_Finder = Callable[[Path, set[str]], Setting | None]


def detect_convention(root: Path, files: Sequence[str], engine: str) -> Setting | None:
    """Find the convention set in the repository's own ruff or pydocstyle settings.

    Only the root folder's files count. Each tool's settings are read as the
    tool reads them: its first configuration file (in its order of precedence)
    decides, whether or not it sets a convention. The settings of ``engine``
    win over the other tool's.

    Args:
        root: The work tree.
        files: Every file of the work tree (untracked ignored files do not count).
        engine: The engine that will run.

    Returns:
        ``(convention, where, problem)``, where ``problem`` says why the value is
        not a known convention (else None); or None when nothing is set.
    """
    present = set(files)
    finders: list[_Finder] = [_ruff_setting, _pydocstyle_setting]
    if engine == "pydocstyle":
        finders.reverse()
    for finder in finders:
        found = finder(root, present)
        if found:
            return found
    return None


def checked(value: object, where: str) -> Setting:
    """Pair a configured convention with its origin and, if unknown, the problem.

    Args:
        value: The configured value.
        where: Where it was configured, for messages.

    Returns:
        ``(convention, where, problem)``; ``problem`` is None for a known convention.
    """
    text = str(value)
    problem = None if text in CONVENTIONS else f"unknown convention {text!r} (known: {', '.join(CONVENTIONS)})"
    return text, where, problem


def _read_toml(path: Path) -> dict[str, Any] | None:
    """Read a TOML file.

    Args:
        path: The file.

    Returns:
        Its table, or None when it cannot be read or parsed.
    """
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None  # a broken file configures nothing; the tool would reject it too


def _table(table: Any, *keys: str) -> dict[str, Any] | None:
    """Walk down nested TOML tables.

    Args:
        table: The outer table (any value: non-tables end the walk).
        *keys: The keys to follow, outermost first.

    Returns:
        The inner table, or None when a key is missing or not a table.
    """
    for key in keys:
        table = table.get(key) if isinstance(table, dict) else None
    return table if isinstance(table, dict) else None


def _ruff_table(root: Path, name: str, present: set[str]) -> tuple[dict[str, Any], str] | None:
    """Read ruff's settings table from one of its configuration files.

    Args:
        root: The work tree.
        name: The file name (one of :data:`RUFF_SETTINGS`).
        present: The work tree's files.

    Returns:
        ``(table, prefix)`` where ``prefix`` names the table's place in the file
        for messages; None when the file is absent, unreadable or (pyproject.toml)
        has no ``[tool.ruff]``.
    """
    table = _read_toml(root / name) if name in present and worktree.regular_file(root, root / name) else None
    if name != "pyproject.toml":
        return (table, "") if table is not None else None
    ruff = _table(table, "tool", "ruff")
    return (ruff, "tool.ruff.") if ruff is not None else None


def _ruff_setting(root: Path, present: set[str]) -> Setting | None:
    """Read the convention from ruff's first configuration file.

    Args:
        root: The work tree.
        present: The work tree's files.

    Returns:
        The setting, or None when ruff's deciding file sets none.
    """
    for name in RUFF_SETTINGS:
        found = _ruff_table(root, name, present)
        if found is None:
            continue
        table, prefix = found
        for keys in _RUFF_SECTIONS:
            section = _table(table, *keys)
            if section is not None and "convention" in section:
                return checked(section["convention"], f"{name} [{prefix}{'.'.join(keys)}]")
        return None
    return None


def _pydocstyle_setting(root: Path, present: set[str]) -> Setting | None:
    """Read the convention from pydocstyle's first configuration file.

    Args:
        root: The work tree.
        present: The work tree's files.

    Returns:
        The setting, or None when pydocstyle's deciding file sets none.
    """
    for name in PYDOCSTYLE_SETTINGS:
        readable = name in present and worktree.regular_file(root, root / name)
        found = _pydocstyle_section(root / name) if readable else None
        if found is None:
            continue
        section, label = found
        return checked(section["convention"], f"{name} [{label}]") if "convention" in section else None
    return None


def _pydocstyle_section(path: Path) -> tuple[Mapping[str, Any], str] | None:
    """Read pydocstyle's section from a TOML or INI-style file.

    Args:
        path: The configuration file.

    Returns:
        ``(section, label)``, or None when the file has no pydocstyle section.
    """
    if path.name.endswith(".toml"):
        table = _read_toml(path) or {}
        for name in _PYDOCSTYLE_SECTIONS:
            section = _table(table, "tool", name)
            if section is not None:
                return section, f"tool.{name}"
        return None
    return _ini_section(path)


def _ini_section(path: Path) -> tuple[Mapping[str, Any], str] | None:
    """Read pydocstyle's section from an INI-style file (setup.cfg, tox.ini...).

    Args:
        path: The configuration file.

    Returns:
        ``(section, label)``, or None when the file has no such section or cannot be read.
    """
    parser = configparser.RawConfigParser(inline_comment_prefixes=("#", ";"))
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return None
    for name in _PYDOCSTYLE_SECTIONS:
        if parser.has_section(name):
            return dict(parser.items(name)), name
    return None
