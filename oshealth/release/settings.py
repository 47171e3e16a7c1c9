"""The release gate's rules: ``[tool.oshealth.release]`` (``[release]`` in ``.oshealth.toml``).

Example::

    [tool.oshealth.release]
    docstrings = "fail"   # every public API addition has a docstring
    changelog = "fail"    # the changelog has a non-empty section for the version
    breaking = "warn"     # each breaking change is named in that section
    docs = "fail"         # the docs folder or the README changed when the public API changed

Each rule is ``"fail"`` (the release is not ready when it fails), ``"warn"``
(reported, the release stays ready) or ``"off"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from oshealth.errors import ConfigError

#: The rules and their default levels.
DEFAULTS: Mapping[str, str] = {"docstrings": "fail", "changelog": "fail", "breaking": "warn", "docs": "fail"}
LEVELS = ("fail", "warn", "off")


@dataclass(frozen=True)
class ReleaseSettings:
    """The level of each release rule.

    Attributes:
        levels: Rule name -> ``"fail"``, ``"warn"`` or ``"off"``.
    """

    levels: Mapping[str, str]

    def level(self, rule: str) -> str:
        """The level of ``rule`` (its default when not configured)."""
        return self.levels.get(rule, DEFAULTS[rule])


def from_table(table: Mapping[str, Any] | None, source: str = "config") -> ReleaseSettings:
    """Validate a ``release`` table.

    Args:
        table: The table as read from TOML, or None when there is none.
        source: Where it was read from, for messages.

    Returns:
        The settings, defaults filled in.

    Raises:
        ConfigError: A key is unknown or a level is not one of :data:`LEVELS`.
    """
    if table is None:
        return ReleaseSettings(dict(DEFAULTS))
    if not isinstance(table, Mapping):
        raise ConfigError(f"{source}: 'release' must be a table")
    levels = dict(DEFAULTS)
    for key, value in table.items():
        if key not in DEFAULTS:
            raise ConfigError(f"{source}: unknown key {key!r} in [release] (known: {', '.join(sorted(DEFAULTS))})")
        if isinstance(value, bool):  # true / false read as fail / off
            value = "fail" if value else "off"
        if value not in LEVELS:
            raise ConfigError(f"{source}: release rule {key!r} must be one of {', '.join(LEVELS)}, not {value!r}")
        levels[key] = value
    return ReleaseSettings(levels)
