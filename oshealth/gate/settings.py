"""The change gate's settings: ``[tool.oshealth.diff]`` and one sub-table per rule.

Example (every key with its default)::

    [tool.oshealth.diff.docstrings]     # rule 1
    level = "fail"          # "fail", "warn" or "off" (same key in every rule)
    min-length = 0          # shortest accepted docstring, in characters (0: any)
    style = false           # also report docstring style violations on changed lines

    [tool.oshealth.diff.complexity]     # rule 2
    level = "fail"
    max = 10                # highest cyclomatic complexity of a new function or one made more complex

    [tool.oshealth.diff.tests]          # rule 3
    level = "warn"

    [tool.oshealth.diff.changelog]      # rule 4
    level = "fail"
    skip-labels = ["skip-changelog", "no-changelog", "skip-news"]
    fragment-dirs = []      # more towncrier/scriv fragment folders

    [tool.oshealth.diff.docs]           # rule 5
    level = "warn"

    [tool.oshealth.diff.scores]         # rule 6 (off: it audits the whole repository at both ends)
    level = "off"           # "fail" or "warn" to turn it on
    max-drop = 0.0          # largest accepted drop of the overall score from base to head
    min-score = 0.0         # lowest accepted overall score at the head (0: none)
    ignore = ["activity", "contributor-spread", "release-documentation"]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from oshealth.errors import ConfigError

RULES = ("docstrings", "complexity", "tests", "changelog", "docs", "scores")
LEVELS = ("fail", "warn", "off")
#: Checks about the history rather than the tree: a change's own commits barely move them.
HISTORY_CHECKS = ("activity", "contributor-spread", "release-documentation")

DEFAULTS: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    {
        "docstrings": {"level": "fail", "min-length": 0, "style": False},
        "complexity": {"level": "fail", "max": 10},
        "tests": {"level": "warn"},
        "changelog": {
            "level": "fail",
            "skip-labels": ["skip-changelog", "no-changelog", "skip-news"],
            "fragment-dirs": [],
        },
        "docs": {"level": "warn"},
        # off by default: an audit of the whole repository at both ends costs what an audit costs
        "scores": {"level": "off", "max-drop": 0.0, "min-score": 0.0, "ignore": list(HISTORY_CHECKS)},
    }
)


@dataclass(frozen=True)
class DiffSettings:
    """Validated gate settings: each rule's options merged over :data:`DEFAULTS`.

    Attributes:
        rules: Rule id -> its options.
    """

    rules: Mapping[str, Mapping[str, Any]]

    def level(self, rule: str) -> str:
        """The rule's level: ``fail``, ``warn`` or ``off``."""
        return str(self.rules[rule]["level"])

    def option(self, rule: str, key: str) -> Any:
        """One option of a rule."""
        return self.rules[rule][key]


def parse(table: Mapping[str, Any] | None, source: str = "config") -> DiffSettings:
    """Validate ``[tool.oshealth.diff]``.

    Args:
        table: The raw table (None: every default).
        source: Where it came from, for messages.

    Returns:
        The settings.

    Raises:
        ConfigError: An unknown rule or key, or a value of the wrong type or out of range.
    """
    table = table or {}
    rules: dict[str, dict[str, Any]] = {rule: dict(DEFAULTS[rule]) for rule in RULES}
    for rule, options in table.items():
        if rule not in RULES:
            raise ConfigError(f"{source}: unknown table [diff.{rule}] (known: {', '.join(RULES)})")
        if not isinstance(options, Mapping):
            raise ConfigError(f"{source}: [diff.{rule}] must be a table")
        for key, value in options.items():
            rules[rule][key] = _checked(source, rule, key, value)
    return DiffSettings(rules)


def _checked(source: str, rule: str, key: str, value: Any) -> Any:
    """One option, checked against its default's type and its range.

    Raises:
        ConfigError: Unknown key, wrong type, or a value out of range.
    """
    where = f"{source}: [diff.{rule}] {key!r}"
    defaults = DEFAULTS[rule]
    if key not in defaults:
        raise ConfigError(f"{source}: unknown key {key!r} in [diff.{rule}] (known: {', '.join(sorted(defaults))})")
    if key == "level":
        if value not in LEVELS:
            raise ConfigError(f"{where} must be one of {', '.join(LEVELS)}, not {value!r}")
        return value
    return _typed(where, defaults[key], value)


def _typed(where: str, default: Any, value: Any) -> Any:
    """A value of the default's type: a boolean, a number >= 0 (a float default makes it a float), or strings.

    Raises:
        ConfigError: A value of another type, or a negative number.
    """
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false, not {value!r}")
        return value
    if isinstance(default, int | float):
        return _number(where, default, value)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} must be a list of strings")
    return list(value)


def _number(where: str, default: float, value: Any) -> Any:
    """A number >= 0 of the default's type; a fractional value for a whole-number default is kept as it is.

    Raises:
        ConfigError: Not a number, or a negative one.
    """
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ConfigError(f"{where} must be a number >= 0, not {value!r}")
    return type(default)(value) if isinstance(default, float) or float(value).is_integer() else value
