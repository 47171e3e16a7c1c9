"""The audited repository's own interrogate settings, read the way interrogate 1.7.0 reads them.

interrogate, run at a repository's root, takes its settings from
``[tool.interrogate]`` in ``pyproject.toml``; only when there is no
``pyproject.toml`` at all does it read ``[tool:interrogate]`` in ``setup.cfg``.
Keys are click option names (``ignore-setters``, ``whitelist-regex``...); a key
that is not an option (``include-regex`` for one) is ignored by interrogate
and reported here as a problem. Values interrogate would reject (a string
where it wants a list, a bad regex, invalid TOML) are also problems: they are
read as leniently as possible instead of stopping the audit.

:func:`is_excluded` applies interrogate's file filters: its ``COMMON_EXCLUDE``
folders and the ``exclude`` paths, both resolved against the root and matched
as ``fnmatch(path, resolved + "*")`` on absolute paths, exactly as interrogate
does (so ``tests`` also excludes ``tests_util.py``, and ``.git`` excludes
``.github/``).
"""

from __future__ import annotations

import configparser
import posixpath
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatch
from typing import Any

#: Folders interrogate always skips, relative to the path it is run on.
COMMON_EXCLUDE = (".tox", ".venv", "venv", ".git", ".hg")
#: interrogate's default ``fail-under`` (percent).
DEFAULT_FAIL_UNDER = 80.0

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


@dataclass(frozen=True)
class InterrogateSettings:
    """What interrogate would measure with, as far as it changes the numbers.

    Attributes:
        source: Where the settings come from ("" when interrogate's defaults apply).
        fail_under: The repository's ``fail-under`` (percent), or None when not set.
        style: ``sphinx`` or ``google`` (google shares coverage between a class and its ``__init__``).
        ignore_regex: Patterns of names whose objects (and everything inside) are not visited.
        whitelist_regex: When set, only objects whose name matches count (``include-regex`` in some docs).
        exclude: ``exclude`` entries as written, resolved against the root when matching.
        ext: Extra extensions (interrogate supports ``pyi``).
        problems: Settings interrogate would reject or ignore, one message each.
    """

    source: str = ""
    fail_under: float | None = None
    style: str = "sphinx"
    ignore_init_method: bool = False
    ignore_init_module: bool = False
    ignore_magic: bool = False
    ignore_module: bool = False
    ignore_nested_functions: bool = False
    ignore_nested_classes: bool = False
    ignore_overloaded_functions: bool = False
    ignore_private: bool = False
    ignore_property_decorators: bool = False
    ignore_property_setters: bool = False
    ignore_semiprivate: bool = False
    ignore_regex: tuple[re.Pattern[str], ...] = ()
    whitelist_regex: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[str, ...] = ()
    ext: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def skips_modules(self) -> bool:
        """Whether module docstrings are left out (interrogate forces it with ``whitelist-regex``)."""
        return self.ignore_module or bool(self.whitelist_regex)

    def is_excluded(self, root: str, path: str) -> bool:
        """Whether interrogate, run at ``root``, leaves the ``.py`` file ``path`` out.

        Args:
            root: Absolute POSIX path of the repository root.
            path: Repository-relative POSIX path.

        Returns:
            True when interrogate would not measure the file.
        """
        if self.ignore_init_module and posixpath.basename(path) == "__init__.py":
            return True
        full = posixpath.join(root, path)
        bases = (*COMMON_EXCLUDE, *self.exclude)
        return any(fnmatch(full, posixpath.normpath(posixpath.join(root, base)) + "*") for base in bases)

    def measures_extension(self, path: str) -> bool:
        """Whether a file outside ``*.py`` would be measured through ``ext`` (interrogate's ``endswith``)."""
        return any(path.endswith(ext) for ext in self.ext)


def read(documents: Mapping[str, str]) -> InterrogateSettings:
    """Read the settings interrogate would use when run at the repository root.

    Args:
        documents: Root files as text, keyed by repository-relative path.

    Returns:
        The settings; interrogate's defaults when the repository configures none.
    """
    if "pyproject.toml" in documents:
        return _from_pyproject(documents["pyproject.toml"])
    if "setup.cfg" in documents:
        return _from_setup_cfg(documents["setup.cfg"])
    return InterrogateSettings()


def _from_pyproject(text: str) -> InterrogateSettings:
    source = "pyproject.toml [tool.interrogate]"
    try:
        table = tomllib.loads(text).get("tool", {}).get("interrogate", {})
    except (tomllib.TOMLDecodeError, AttributeError) as exc:
        return InterrogateSettings(problems=(f"pyproject.toml: interrogate cannot read it: {exc}",))
    if not isinstance(table, dict) or not table:
        return InterrogateSettings()
    raw = {str(k).replace("--", "").replace("-", "_"): v for k, v in table.items()}
    return _build(raw, source)


def _from_setup_cfg(text: str) -> InterrogateSettings:
    source = "setup.cfg [tool:interrogate]"
    parser = configparser.ConfigParser()
    try:
        parser.read_string(text)
        if not parser.has_section("tool:interrogate"):
            return InterrogateSettings()
        items = dict(parser["tool:interrogate"].items())
    except configparser.Error as exc:
        first = str(exc).splitlines()[0]
        return InterrogateSettings(problems=(f"setup.cfg: interrogate cannot read it: {first}",))
    raw: dict[str, Any] = {}
    for key, value in items.items():
        name = key.replace("--", "").replace("-", "_")
        raw[name] = _sanitize_list(value) if name in ("whitelist_regex", "ignore_regex", "exclude") else value
    return _build(raw, source) if raw else InterrogateSettings()


def _sanitize_list(value: str) -> list[str]:
    """Split a list written in ``setup.cfg`` as interrogate does: strip brackets, split on commas, unquote."""
    value = value.removeprefix("[").removesuffix("]") if value else value
    if not value:
        return []
    return [part.strip().strip('"') for part in value.split(",")]


def _build(raw: Mapping[str, Any], source: str) -> InterrogateSettings:
    problems: list[str] = []
    values: dict[str, Any] = {"source": source}
    for key, value in sorted(raw.items()):
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
    for key in ("ignore_regex", "whitelist_regex"):
        values[key] = _compile(key, values.get(key, ()), problems)
    values["ext"] = tuple(_to_ext(v, problems) for v in values.get("ext", ()))
    if values.get("style") == "google" and values.get("ignore_init_method"):
        problems.append(f"{source}: interrogate refuses style google together with ignore-init-method")
    return InterrogateSettings(**values, problems=tuple(problems))


def _to_bool(key: str, value: Any, problems: list[str]) -> bool:
    if isinstance(value, bool) or value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    problems.append(f"{key.replace('_', '-')}: {value!r} is not a boolean; read as false")
    return False


def _to_list(key: str, value: Any, problems: list[str]) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    if key != "ignore_regex":  # interrogate wraps only a lone ignore-regex string in a list
        problems.append(f"{key.replace('_', '-')}: interrogate wants a list, not {value!r}; read as one item")
    return (str(value),)


def _to_float(value: Any, problems: list[str]) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        problems.append(f"fail-under: {value!r} is not a number; ignored")
        return None


def _to_style(value: Any, problems: list[str]) -> str:
    if value in ("sphinx", "google"):
        return str(value)
    problems.append(f"style: {value!r} is not sphinx or google; read as sphinx")
    return "sphinx"


def _to_ext(value: str, problems: list[str]) -> str:
    if value.lower() != "pyi":
        problems.append(f"ext: interrogate supports only pyi, not {value!r}")
    return value.lower()


def _compile(key: str, patterns: tuple[str, ...], problems: list[str]) -> tuple[re.Pattern[str], ...]:
    compiled: list[re.Pattern[str]] = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            problems.append(f"{key.replace('_', '-')}: bad regular expression {pattern!r}: {exc}; skipped")
    return tuple(compiled)
