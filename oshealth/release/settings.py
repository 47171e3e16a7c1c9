"""The release gate's rules: ``[tool.oshealth.release]`` (``[release]`` in ``.oshealth.toml``).

Example (every key with its default)::

    [tool.oshealth.release.docstrings]  # every public API addition has a docstring
    level = "fail"          # "fail", "warn" or "off" (same key in every rule)
    min-length = 0          # shortest accepted docstring, in characters (0: any)

    [tool.oshealth.release.changelog]   # a non-empty changelog section for the version
    level = "fail"

    [tool.oshealth.release.breaking]    # each breaking change named in that section
    level = "warn"

    [tool.oshealth.release.docs]        # docs folder or README changed when the public API did
    level = "fail"

With ``"fail"`` a failing rule makes the release not ready (exit 1); with
``"warn"`` it is reported and the release stays ready; ``"off"`` skips it.
The tables follow the shape of the change gate's ``[tool.oshealth.diff]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from oshealth.errors import ConfigError

#: Each rule's default level.
DEFAULT_LEVELS: Mapping[str, str] = {"docstrings": "fail", "changelog": "fail", "breaking": "warn", "docs": "fail"}
LEVELS = ("fail", "warn", "off")
_EXTRA_KEYS: Mapping[str, frozenset[str]] = {"docstrings": frozenset({"min-length"})}


@dataclass(frozen=True)
class ReleaseSettings:
    """The release gate's settings.

    Attributes:
        levels: Rule name -> ``"fail"``, ``"warn"`` or ``"off"``.
        min_length: Shortest docstring accepted on an addition, in characters.
    """

    levels: Mapping[str, str]
    min_length: int = 0

    def level(self, rule: str) -> str:
        """The level of ``rule``."""
        return self.levels[rule]


def parse(table: Mapping[str, Any] | None, source: str = "config") -> ReleaseSettings:
    """Validate a ``release`` table.

    Args:
        table: The table as read from TOML, or None when there is none.
        source: Where it was read from, for messages.

    Returns:
        The settings, defaults filled in.

    Raises:
        ConfigError: A key is unknown or a value has the wrong type.
    """
    if table is None:
        return ReleaseSettings(dict(DEFAULT_LEVELS))
    if not isinstance(table, Mapping):
        raise ConfigError(f"{source}: 'release' must be a table of rule tables")
    levels = dict(DEFAULT_LEVELS)
    min_length = 0
    for rule, options in table.items():
        if rule not in DEFAULT_LEVELS:
            raise ConfigError(f"{source}: unknown release rule {rule!r} (known: {', '.join(sorted(DEFAULT_LEVELS))})")
        if not isinstance(options, Mapping):
            raise ConfigError(f"{source}: [release.{rule}] must be a table, such as level = \"warn\"")
        levels[rule] = _level(options, rule, source)
        if "min-length" in options:
            min_length = _count(options["min-length"], f"release.{rule}.min-length", source)
    return ReleaseSettings(levels, min_length)


def _level(options: Mapping[str, Any], rule: str, source: str) -> str:
    """Check a rule table's keys and read its level.

    Args:
        options: The rule's table.
        rule: The rule's name.
        source: Where it was read from, for messages.

    Returns:
        The level (the rule's default when absent).

    Raises:
        ConfigError: An unknown key, or a level not in :data:`LEVELS`.
    """
    known = {"level"} | _EXTRA_KEYS.get(rule, frozenset())
    for key in options:
        if key not in known:
            raise ConfigError(f"{source}: unknown key {key!r} in [release.{rule}] (known: {', '.join(sorted(known))})")
    level = options.get("level", DEFAULT_LEVELS[rule])
    if level not in LEVELS:
        raise ConfigError(f"{source}: release.{rule}.level must be one of {', '.join(LEVELS)}, not {level!r}")
    return str(level)


def _count(value: Any, key: str, source: str) -> int:
    """Read a whole number >= 0.

    Raises:
        ConfigError: The value is not one.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{source}: {key} must be a whole number >= 0, not {value!r}")
    return value
