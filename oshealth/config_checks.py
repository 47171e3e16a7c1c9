"""The configuration's check ids and per-check options, validated against the installed checks.

:func:`oshealth.config.load` validates the configuration's own keys; which
check ids and options exist is known only once the checks are loaded. Each
check's ``default_options`` then says which options it takes, and each
default's type is the type the option must have.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from oshealth.errors import ConfigError

if TYPE_CHECKING:
    from oshealth.config import Config


def validate_check_options(config: Config, known: Mapping[str, Mapping[str, Any]]) -> None:
    """Check that every configured check and option exists.

    Args:
        config: The loaded configuration.
        known: For each installed check id, its default options.

    Raises:
        ConfigError: A check id or option key is unknown, or an option's type
            differs from its default's.
    """
    for name in (*config.select, *config.ignore, *config.weights):
        if name not in known:
            raise ConfigError(f"{config.source or 'config'}: unknown check {name!r}")
    for check_id, options in config.check_options.items():
        if check_id not in known:
            raise ConfigError(f"{config.source or 'config'}: unknown check {check_id!r} in [checks]")
        for key, value in options.items():
            _validate_option(config.source or "config", check_id, key, value, known[check_id])


def _validate_option(source: str, check_id: str, key: str, value: Any, defaults: Mapping[str, Any]) -> None:
    """Check one option against the check's defaults: known key, and the default's type.

    Args:
        source: Where the settings came from, for messages.
        check_id: The check.
        key: The option.
        value: Its configured value.
        defaults: The check's default options (a None default accepts anything).

    Raises:
        ConfigError: The option is unknown or its type differs (any number fits a numeric default).
    """
    if key not in defaults:
        names = ", ".join(sorted(defaults)) or "none"
        raise ConfigError(f"{source}: unknown option {key!r} for check {check_id!r} (known: {names})")
    default = defaults[key]
    if default is None:
        return
    if _is_number(default):
        fits = _is_number(value)
    else:
        fits = isinstance(value, type(default))
    if not fits:
        raise ConfigError(
            f"{source}: option {key!r} of check {check_id!r} must be {type(default).__name__}, not {value!r}"
        )


def _is_number(value: Any) -> bool:
    """Whether a value is an int or float (booleans are not numbers here).

    Args:
        value: Any value.

    Returns:
        True for numbers.
    """
    return isinstance(value, int | float) and not isinstance(value, bool)
