"""oshealth's configuration: ``[tool.oshealth]`` in ``pyproject.toml`` or ``.oshealth.toml``.

Example::

    [tool.oshealth]
    select = ["docstring-coverage", "complexity"]   # default: every installed check
    ignore = ["activity"]
    exclude = ["vendor/**", "docs/conf.py"]         # glob patterns, repository-relative
    fail-under = 6.5

    [tool.oshealth.weights]
    complexity = 2.0

    [tool.oshealth.checks.docstring-coverage]
    fail-under = 80

In ``.oshealth.toml`` the same keys sit at the top level (no ``[tool.oshealth]``
prefix). Command-line flags override the file. Unknown keys are errors that
name the key. The ``OSHEALTH_CONFIG`` environment variable names one file to
read instead (the GitHub Action's ``config`` input): a ``pyproject.toml`` is
read for its ``[tool.oshealth]`` table, any other file as ``.oshealth.toml``.
"""

from __future__ import annotations

import fnmatch
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from oshealth import worktree
from oshealth.errors import ConfigError

#: Tables validated by the modules that use them (``diff``: :mod:`oshealth.gate.settings`,
#: ``release``: :mod:`oshealth.release.settings`).
SECTION_KEYS = frozenset({"diff", "release"})
#: Environment variable naming a config file to read instead of the repository's.
CONFIG_ENV = "OSHEALTH_CONFIG"
TOP_LEVEL_KEYS = frozenset({"select", "ignore", "exclude", "fail-under", "weights", "checks"}) | SECTION_KEYS


@dataclass(frozen=True)
class Config:
    """Validated oshealth settings.

    Attributes:
        select: Check ids to run; empty means every installed check.
        ignore: Check ids never to run.
        exclude: Glob patterns of repository-relative paths left out of analysis.
        fail_under: Overall score below which the audit gate fails, or None.
        weights: Per-check weight overrides.
        check_options: Per-check option tables, keyed by check id.
        source: Where the settings were read from ("" when defaults).
        sections: The raw tables of :data:`SECTION_KEYS`, validated by their own modules.
    """

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fail_under: float | None = None
    weights: Mapping[str, float] = field(default_factory=dict)
    check_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    source: str = ""
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def is_excluded(self, path: str) -> bool:
        """Whether a repository-relative path matches an ``exclude`` pattern.

        A pattern matches the path itself or any of its parent folders, so
        ``vendor`` and ``vendor/**`` both exclude everything under ``vendor/``.

        Args:
            path: Repository-relative POSIX path.

        Returns:
            True when the path is excluded.
        """
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        return any(
            fnmatch.fnmatchcase(prefix, pattern) or fnmatch.fnmatchcase(path, pattern)
            for pattern in self.exclude
            for prefix in prefixes
        )

    def wants(self, check_id: str) -> bool:
        """Whether the check with this id should run."""
        if check_id in self.ignore:
            return False
        return not self.select or check_id in self.select


def load(repo_root: Path, overrides: Mapping[str, Any] | None = None) -> Config:
    """Read the configuration of the repository at ``repo_root``.

    ``.oshealth.toml`` wins over ``[tool.oshealth]`` in ``pyproject.toml``;
    ``overrides`` (from command-line flags, same keys) win over both.

    Args:
        repo_root: The repository's work-tree root.
        overrides: Settings from the command line; None values are ignored.

    Returns:
        The validated configuration.

    Raises:
        ConfigError: A file cannot be parsed or holds an unknown or invalid key.
    """
    table, source = _read_table(repo_root)
    merged = dict(table)
    merged.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return replace(_validate(merged, source or "defaults"), source=source)


def _read_table(repo_root: Path) -> tuple[dict[str, Any], str]:
    """Find the repository's oshealth table: ``.oshealth.toml``, else ``[tool.oshealth]`` in pyproject.toml.

    Args:
        repo_root: The work tree.

    Returns:
        ``(table, where)``; ``({}, "")`` when the repository configures nothing (a file that links out of
        the work tree counts as absent: see :mod:`oshealth.worktree`).

    Raises:
        ConfigError: The file holding the settings is not valid TOML.
    """
    explicit = os.environ.get(CONFIG_ENV, "")
    if explicit:  # the GitHub Action's config input: one file instead of the repository's own
        return _explicit_table(Path(explicit))
    dedicated = repo_root / ".oshealth.toml"
    if worktree.regular_file(repo_root, dedicated):
        return _parse_toml(dedicated), ".oshealth.toml"
    pyproject = repo_root / "pyproject.toml"
    if worktree.regular_file(repo_root, pyproject):
        tool = _parse_toml(pyproject).get("tool", {})
        section = tool.get("oshealth") if isinstance(tool, dict) else None
        if isinstance(section, dict):
            return section, "pyproject.toml [tool.oshealth]"
    return {}, ""


def _explicit_table(path: Path) -> tuple[dict[str, Any], str]:
    """The table of the file named by ``OSHEALTH_CONFIG`` (``[tool.oshealth]`` when it is a pyproject.toml).

    Raises:
        ConfigError: The file is missing or not valid TOML.
    """
    if not path.is_file():
        raise ConfigError(f"{CONFIG_ENV}={path}: not a file")
    table = _parse_toml(path)
    if path.name != "pyproject.toml":
        return table, str(path)
    tool = table.get("tool", {})
    section = tool.get("oshealth") if isinstance(tool, dict) else None
    return (section if isinstance(section, dict) else {}), f"{path} [tool.oshealth]"


def _parse_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file.

    Args:
        path: The file.

    Returns:
        Its table.

    Raises:
        ConfigError: The file cannot be read or parsed.
    """
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path.name}: cannot read TOML: {exc}") from exc


def _validate(table: Mapping[str, Any], source: str) -> Config:
    """Check the top-level keys and types and build the configuration.

    Args:
        table: The merged settings.
        source: Where they came from, for messages.

    Returns:
        The configuration (check options are validated later, against the installed checks).

    Raises:
        ConfigError: A key is unknown or a value has the wrong type.
    """
    unknown = sorted(set(table) - TOP_LEVEL_KEYS)
    if unknown:
        raise ConfigError(f"{source}: unknown key {unknown[0]!r} (known: {', '.join(sorted(TOP_LEVEL_KEYS))})")
    checks = table.get("checks", {})
    if not isinstance(checks, dict) or not all(isinstance(v, dict) for v in checks.values()):
        raise ConfigError(f"{source}: 'checks' must be a table of tables, one per check id")
    fail_under = table.get("fail-under")
    return Config(
        select=_strings(table, "select", source),
        ignore=_strings(table, "ignore", source),
        exclude=_strings(table, "exclude", source),
        fail_under=None if fail_under is None else _score(fail_under, "fail-under", source),
        weights=_weights(table.get("weights", {}), source),
        check_options={str(k): dict(v) for k, v in checks.items()},
        sections=_sections(table, source),
    )


def _sections(table: Mapping[str, Any], source: str) -> dict[str, Mapping[str, Any]]:
    """The tables of :data:`SECTION_KEYS` present in ``table``, checked to be tables.

    Raises:
        ConfigError: One is not a table.
    """
    found: dict[str, Mapping[str, Any]] = {}
    for key in sorted(SECTION_KEYS & set(table)):
        if not isinstance(table[key], dict):
            raise ConfigError(f"{source}: {key!r} must be a table ([tool.oshealth.{key}])")
        found[key] = dict(table[key])
    return found


def _strings(table: Mapping[str, Any], key: str, source: str) -> tuple[str, ...]:
    """Read a list of strings; a lone string is a one-item list.

    Args:
        table: The settings.
        key: The key to read.
        source: Where the settings came from, for messages.

    Returns:
        The strings (empty when the key is absent).

    Raises:
        ConfigError: The value is not a string or list of strings.
    """
    value = table.get(key, ())
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{source}: {key!r} must be a list of strings")
    return tuple(value)


def _score(value: Any, key: str, source: str) -> float:
    """Read a score from 0 to 10.

    Args:
        value: The value as written.
        key: Its key, for messages.
        source: Where the settings came from, for messages.

    Returns:
        The score.

    Raises:
        ConfigError: The value is not a number from 0 to 10.
    """
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 10:
        raise ConfigError(f"{source}: {key!r} must be a number from 0 to 10, not {value!r}")
    return float(value)


def _weights(value: Any, source: str) -> dict[str, float]:
    """Read the ``weights`` table.

    Args:
        value: The value as written.
        source: Where the settings came from, for messages.

    Returns:
        Check id -> weight.

    Raises:
        ConfigError: It is not a table of numbers >= 0.
    """
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: 'weights' must be a table of check id = number")
    weights: dict[str, float] = {}
    for check_id, weight in value.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
            raise ConfigError(f"{source}: weight of {check_id!r} must be a number >= 0")
        weights[str(check_id)] = float(weight)
    return weights


def matches_any(path: str, patterns: Sequence[str]) -> bool:
    """Whether ``path`` matches any glob pattern (``fnmatch`` semantics)."""
    return any(fnmatch.fnmatchcase(path, p) for p in patterns)
