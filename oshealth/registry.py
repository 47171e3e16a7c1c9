"""Discovery of check plugins through the ``oshealth.checks`` entry-point group.

Built-in checks register through the same group as third-party ones (the
flake8 model), so there is one code path and a plugin is a first-class check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points

from oshealth.config import Config
from oshealth.errors import PluginLoadError
from oshealth.models import Check

GROUP = "oshealth.checks"
_ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def discover(extra: Iterable[EntryPoint] = ()) -> dict[str, type[Check]]:
    """Load every installed check class, keyed and sorted by id.

    Args:
        extra: Entry points to load beside the installed ones (used by tests
            and embedders to register a check without installing a package).

    Returns:
        Check classes by id, in id order.

    Raises:
        PluginLoadError: A plugin cannot be imported, is not a Check subclass,
            or its id is malformed, duplicated, or differs from its entry-point name.
    """
    found: dict[str, type[Check]] = {}
    for ep in points(extra):
        cls = _load_one(ep)
        if ep.name in found and found[ep.name] is not cls:
            raise PluginLoadError(f"two check plugins share the id {ep.name!r}: {_origin(ep)} and another")
        found[ep.name] = cls
    return dict(sorted(found.items()))


def points(extra: Iterable[EntryPoint] = ()) -> list[EntryPoint]:
    """The entry points of every installed check, and of ``extra``, sorted by id (nothing loaded)."""
    return sorted([*entry_points(group=GROUP), *extra], key=lambda e: e.name)


def load_checks(config: Config, extra: Iterable[EntryPoint] = ()) -> list[Check]:
    """Instantiate the checks selected by ``config``, sorted by id.

    Args:
        config: The loaded configuration (select, ignore, per-check options).
        extra: Additional entry points, as for :func:`discover`.

    Returns:
        Check instances with their configured options.
    """
    classes = discover(extra)
    return [cls(config.check_options.get(cid)) for cid, cls in classes.items() if config.wants(cid)]


def _load_one(ep: EntryPoint) -> type[Check]:
    """Load one check class from its entry point and check what it declares.

    Args:
        ep: The entry point.

    Returns:
        The check class.

    Raises:
        PluginLoadError: It fails to import, is not a Check, or its id differs from the
            entry-point name or is not kebab-case; the message names the plugin.
    """
    origin = _origin(ep)
    try:
        obj = ep.load()
    except Exception as exc:  # a broken plugin must be named, whatever it raised
        raise PluginLoadError(f"check plugin {origin} failed to load: {type(exc).__name__}: {exc}") from exc
    if not (isinstance(obj, type) and issubclass(obj, Check)):
        raise PluginLoadError(f"check plugin {origin} is not a subclass of oshealth.models.Check")
    if not _ID_PATTERN.match(ep.name) or getattr(obj, "id", None) != ep.name:
        raise PluginLoadError(
            f"check plugin {origin} declares id {getattr(obj, 'id', None)!r}; "
            "it must equal the entry-point name and be kebab-case"
        )
    return obj


def _origin(ep: EntryPoint) -> str:
    """Name a plugin for messages: ``distribution[id] (module:object)``.

    Args:
        ep: The entry point.

    Returns:
        The name.
    """
    dist = ep.dist.name if ep.dist is not None else "unregistered"
    return f"{dist}[{ep.name}] ({ep.value})"
