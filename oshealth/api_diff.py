"""What changed in the public API between two snapshots of :mod:`oshealth.api`.

Objects added, removed or with another signature come from the snapshots'
records; breaking changes are griffe's :func:`griffe.find_breaking_changes`
on the modules both snapshots loaded. A member of a class whose own
definition is gone but which the class still inherits (an override removed:
flask 3.1.3's ``SecureCookieSession.get``, served by ``MutableMapping`` again)
is not removed (:func:`oshealth.api_bases.provides`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import griffe

from oshealth import api_bases
from oshealth.api import ApiObject, ApiSnapshot

__all__ = ["ApiChanges", "Breaking", "compare"]

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Breaking:
    """One breaking change griffe found.

    Iterating gives ``(target, description)``, so it unpacks as a pair.

    Attributes:
        target: The object concerned (at HEAD when it still exists, else at
            BASE), or its dotted path when it is not a public object of either side.
        description: griffe's one-line explanation, with the repository-relative location.
        kind: griffe's breakage kind (``Parameter was removed``...).
    """

    target: ApiObject | str
    description: str
    kind: str

    def __iter__(self) -> Iterator[Any]:
        """Give ``target`` then ``description``."""
        return iter((self.target, self.description))

    @property
    def path(self) -> str:
        """The dotted path of the object concerned."""
        return self.target.path if isinstance(self.target, ApiObject) else self.target


@dataclass(frozen=True)
class ApiChanges:
    """Public API differences between two snapshots.

    Attributes:
        added: Objects public at the new end only.
        removed: Objects public at the old end only.
        changed: ``(old, new)`` pairs whose signature or kind differs.
        breaking: griffe's breaking changes.
    """

    added: list[ApiObject]
    removed: list[ApiObject]
    changed: list[tuple[ApiObject, ApiObject]]
    breaking: list[Breaking]

    @property
    def any(self) -> bool:
        """Whether the public API changed at all."""
        return bool(self.added or self.removed or self.changed or self.breaking)


def compare(old: ApiSnapshot, new: ApiSnapshot) -> ApiChanges:
    """What changed in the public API from ``old`` to ``new``.

    Args:
        old: The snapshot at the base.
        new: The snapshot at the head.

    Returns:
        Added, removed and changed objects, and griffe's breaking changes
        (for packages loaded at both ends).
    """
    added = [obj for path, obj in new.objects.items() if path not in old.objects]
    removed = [obj for path, obj in old.objects.items() if _gone(new, path)]
    changed = [
        (obj, new.objects[path])
        for path, obj in old.objects.items()
        if path in new.objects and (obj.signature, obj.kind) != (new.objects[path].signature, new.objects[path].kind)
    ]
    return ApiChanges(added, removed, changed, _all_breakages(old, new))


def _all_breakages(old: ApiSnapshot, new: ApiSnapshot) -> list[Breaking]:
    """The breaking changes griffe finds in packages loaded at both ends, less removals of members still inherited."""
    breaking: list[Breaking] = []
    for name in sorted(set(old.modules) & set(new.modules)):
        breaking += [b for b in _breakages(old, new, name) if not (b.kind == _REMOVED and _inherited(new, b.path))]
    return sorted(breaking, key=lambda b: (b.path, b.kind, b.description))


_REMOVED = griffe.BreakageKind.OBJECT_REMOVED.value


def _gone(new: ApiSnapshot, path: str) -> bool:
    """Whether an object is gone at the new end: no record, and not a member its class still inherits."""
    return path not in new.objects and not _inherited(new, path)


def _inherited(new: ApiSnapshot, path: str) -> bool:
    """Whether the class above ``path`` still has the member at the new end, inherited from a base."""
    owner, _, name = path.rpartition(".")
    cls = api_bases.find(new.modules, owner) if owner else None
    return isinstance(cls, griffe.Class) and api_bases.provides(cls, name)


def _breakages(old: ApiSnapshot, new: ApiSnapshot, name: str) -> list[Breaking]:
    """Breaking changes griffe finds in one top-level package, tied to the objects of the snapshots."""
    found: list[Breaking] = []
    try:
        for breakage in griffe.find_breaking_changes(old.modules[name], new.modules[name]):
            path = breakage.obj.path
            target = new.objects.get(path) or old.objects.get(path) or path
            found.append(Breaking(target, _explain(breakage), breakage.kind.value))
    except Exception as exc:  # an alias griffe cannot resolve must not end the gate
        _LOG.debug("griffe breaking-change search failed in %s: %s", name, exc)
    return found


def _explain(breakage: griffe.Breakage) -> str:
    """``path(parameter): kind: old -> new`` without colours or griffe's temporary-folder location."""
    # griffe's own one-line text carries ANSI colours and the temporary folder's path
    old = breakage._format_old_value(colors=False)
    new = breakage._format_new_value(colors=False)
    change = f"{old} -> {new}" if old and new else old or new
    title = breakage._format_title(colors=False)  # names the parameter for parameter breakages
    module = breakage._module_path
    where = module if title == "<module>" else f"{module}.{title}"
    text = f"{where}: {breakage.kind.value}"
    return f"{text}: {change}" if change else text
