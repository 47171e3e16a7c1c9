"""What a class gets from its base classes, found statically in griffe's tree.

A base class is resolved the way griffe resolves it: by its canonical path
among the modules loaded (the same module, or another module of the
repository's packages that was read). A method without a docstring that
overrides a documented member of such a base is documented: Python's
:func:`inspect.getdoc` (and Sphinx's ``autodoc_inherit_docstrings``) show that
member's docstring for it.
"""

from __future__ import annotations

from collections.abc import Mapping

import griffe

__all__ = ["documenting_member", "find"]

_GRIFFE_ERRORS = (ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError)


def find(modules: Mapping[str, griffe.Module], dotted: str) -> griffe.Object | None:
    """The object defined at a dotted path in the loaded packages (aliases are not followed).

    Args:
        modules: Top-level modules by name.
        dotted: ``pkg.module.Class.method``.

    Returns:
        The object, or None when no loaded package defines it there.
    """
    top, *parts = dotted.split(".")
    found: griffe.Object | None = modules.get(top)
    for part in parts:
        member = found.members.get(part) if found is not None else None
        found = member if isinstance(member, griffe.Object) else None
    return found


def _mro(cls: griffe.Class) -> list[griffe.Class]:
    """The class's resolvable bases in Python's order (empty when griffe cannot linearize them)."""
    try:
        return cls.mro()
    except _GRIFFE_ERRORS:
        return []


def _target(member: griffe.Object | griffe.Alias) -> griffe.Object | None:
    """The object a member is, an alias followed when it resolves."""
    try:
        found = member.final_target if isinstance(member, griffe.Alias) else member
    except _GRIFFE_ERRORS:
        return None
    return found if isinstance(found, griffe.Object) else None


def documenting_member(obj: griffe.Object) -> griffe.Object | None:
    """The member of a base class whose docstring documents a method (or property) that has none.

    The search is :func:`inspect.getdoc`'s: the first class of the method's
    class's MRO that defines the same name with a non-empty docstring.

    Args:
        obj: A member of a class.

    Returns:
        That member, or None (not in a class, no resolvable base defines it with a docstring).
    """
    parent = obj.parent
    if not isinstance(parent, griffe.Class):
        return None
    for base in _mro(parent):
        member = base.members.get(obj.name)
        target = _target(member) if member is not None else None
        if target is not None and target.docstring is not None and target.docstring.value.strip():
            return target
    return None
