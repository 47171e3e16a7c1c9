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
import functools
import posixpath
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import translate
from typing import Any

from oshealth import interrogate_values

#: Folders interrogate always skips, relative to the path it is run on.
COMMON_EXCLUDE = (".tox", ".venv", "venv", ".git", ".hg")
#: interrogate's default ``fail-under`` (percent).
DEFAULT_FAIL_UNDER = 80.0

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
        return _excluding(root, self.exclude).match(posixpath.join(root, path)) is not None

    def measures_extension(self, path: str) -> bool:
        """Whether a file outside ``*.py`` would be measured through ``ext`` (interrogate's ``endswith``)."""
        return any(path.endswith(ext) for ext in self.ext)


@functools.lru_cache(maxsize=16)
def _excluding(root: str, exclude: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern matching what interrogate's ``fnmatch`` against each excluded base (and the common ones) matches.

    POSIX ``fnmatch`` is ``re.match`` of ``fnmatch.translate``; one pattern for
    every base is worked out once, not once per file and base (sympy: 1,603 files).
    """
    bases = (*COMMON_EXCLUDE, *exclude)
    return re.compile("|".join(translate(posixpath.normpath(posixpath.join(root, base)) + "*") for base in bases))


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
    """Read ``[tool.interrogate]`` from ``pyproject.toml``.

    Args:
        text: The file's text.

    Returns:
        The settings; defaults when the table is absent; a problem when the file cannot be parsed.
    """
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
    """Read ``[tool:interrogate]`` from ``setup.cfg``.

    Args:
        text: The file's text.

    Returns:
        The settings; defaults when the section is absent; a problem when the file cannot be parsed.
    """
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
    """Convert raw settings to typed ones, as interrogate does, noting each problem.

    Args:
        raw: Setting name (snake_case) -> value as written.
        source: Where the settings came from, for messages.

    Returns:
        The settings, with ``problems`` listing what interrogate would reject or ignore.
    """
    values, problems = interrogate_values.convert(raw, source)
    return InterrogateSettings(**values, problems=problems)
