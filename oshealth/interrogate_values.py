"""interrogate's settings as written, converted to typed values the way interrogate reads them.

Values interrogate would reject are read as leniently as possible and noted as
problems, so that a bad setting never stops the audit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_FLAGS = {
    "ignore_init_method": "ignore_init_method",
    "ignore_init_module": "ignore_init_module",
    "ignore_magic": "ignore_magic",
    "ignore_module": "ignore_module",
    "ignore_nested_functions": "ignore_nested_functions",
    "ignore_nested_classes": "ignore_nested_classes",
    "ignore_overloaded_functions": "ignore_overloaded_functions",
    "ignore_private": "ignore_private",
    "ignore_property_decorators": "ignore_property_decorators",
    "ignore_setters": "ignore_property_setters",
    "ignore_semiprivate": "ignore_semiprivate",
}
_LISTS = ("ignore_regex", "whitelist_regex", "exclude", "ext")
#: Options that change nothing measured (output, badges...).
_COSMETIC = frozenset(
    {
        "verbose", "quiet", "output", "color", "omit_covered_files", "generate_badge", "badge_format", "badge_style",
        "paths", "config",
    }
)
_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off", ""})


def convert(raw: Mapping[str, Any], source: str) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Convert raw settings to typed ones, as interrogate does, noting each problem.

    Args:
        raw: Setting name (snake_case) -> value as written.
        source: Where the settings came from, for messages.

    Returns:
        ``(values, problems)``: the keyword arguments of
        :class:`~oshealth.interrogate_config.InterrogateSettings` (``source``
        included), and what interrogate would reject or ignore.
    """
    problems: list[str] = []
    values: dict[str, Any] = {"source": source}
    for key, value in sorted(raw.items()):
        _read_key(key, value, source, values, problems)
    for key in ("ignore_regex", "whitelist_regex"):
        values[key] = _compile(key, values.get(key, ()), problems)
    values["ext"] = tuple(_to_ext(v, problems) for v in values.get("ext", ()))
    if values.get("style") == "google" and values.get("ignore_init_method"):
        problems.append(f"{source}: interrogate refuses style google together with ignore-init-method")
    return values, tuple(problems)


def _read_key(key: str, value: Any, source: str, values: dict[str, Any], problems: list[str]) -> None:
    """Convert one setting into ``values``; an unknown key is a problem, cosmetic ones are skipped.

    Args:
        key: The setting name, snake_case.
        value: Its value as written.
        source: Where the settings came from, for messages.
        values: The converted settings, updated in place.
        problems: The problems so far, appended to.
    """
    if key in _FLAGS:
        values[_FLAGS[key]] = _to_bool(key, value, problems)
    elif key in _LISTS:
        values[key] = _to_list(key, value, problems)
    elif key == "fail_under":
        values["fail_under"] = _to_float(value, problems)
    elif key == "style":
        values["style"] = _to_style(value, problems)
    elif key not in _COSMETIC:
        hint = " (interrogate's name is whitelist-regex)" if key == "include_regex" else ""
        problems.append(f"{source}: interrogate ignores the unknown key {key.replace('_', '-')!r}{hint}")


def _to_bool(key: str, value: Any, problems: list[str]) -> bool:
    """Read a flag: booleans, 0/1 and the usual true/false words.

    Args:
        key: The setting name, for messages.
        value: The value as written.
        problems: Appended to when the value is not a boolean.

    Returns:
        The flag; false for an unreadable value.
    """
    if isinstance(value, bool) or value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    problems.append(f"{key.replace('_', '-')}: {value!r} is not a boolean; read as false")
    return False


def _to_list(key: str, value: Any, problems: list[str]) -> tuple[str, ...]:
    """Read a list setting; a lone value becomes a one-item list.

    Args:
        key: The setting name.
        value: The value as written.
        problems: Appended to when interrogate expects a list but gets a single value.

    Returns:
        The items as strings.
    """
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    if key != "ignore_regex":  # interrogate wraps only a lone ignore-regex string in a list
        problems.append(f"{key.replace('_', '-')}: interrogate wants a list, not {value!r}; read as one item")
    return (str(value),)


def _to_float(value: Any, problems: list[str]) -> float | None:
    """Read ``fail-under``.

    Args:
        value: The value as written.
        problems: Appended to when it is not a number.

    Returns:
        The number, or None when unreadable.
    """
    try:
        return float(value)
    except (TypeError, ValueError):
        problems.append(f"fail-under: {value!r} is not a number; ignored")
        return None


def _to_style(value: Any, problems: list[str]) -> str:
    """Read ``style``.

    Args:
        value: The value as written.
        problems: Appended to when it is neither ``sphinx`` nor ``google``.

    Returns:
        The style; ``sphinx`` for an unknown one.
    """
    if value in ("sphinx", "google"):
        return str(value)
    problems.append(f"style: {value!r} is not sphinx or google; read as sphinx")
    return "sphinx"


def _to_ext(value: str, problems: list[str]) -> str:
    """Read one ``ext`` item.

    Args:
        value: The extension as written.
        problems: Appended to for anything but ``pyi``.

    Returns:
        The extension, lower case.
    """
    if value.lower() != "pyi":
        problems.append(f"ext: interrogate supports only pyi, not {value!r}")
    return value.lower()


def _compile(key: str, patterns: tuple[str, ...], problems: list[str]) -> tuple[re.Pattern[str], ...]:
    """Compile regex settings, skipping the invalid ones.

    Args:
        key: The setting name, for messages.
        patterns: The expressions.
        problems: Appended to for each invalid expression.

    Returns:
        The compiled expressions, in order.
    """
    compiled: list[re.Pattern[str]] = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            problems.append(f"{key.replace('_', '-')}: bad regular expression {pattern!r}: {exc}; skipped")
    return tuple(compiled)
