"""What a class gets from its base classes, found statically in griffe's tree.

A base class is resolved the way griffe resolves it: by its canonical path
among the modules loaded (the same module, or another module of the
repository's packages that was read). Two questions are answered:

- which documented member a method without a docstring overrides: Python's
  :func:`inspect.getdoc` (and Sphinx's ``autodoc_inherit_docstrings``) show
  that member's docstring for it, so the method is documented;
- whether a class still has a member after its own definition was removed:
  one it inherits is no removal. Beyond the repository's classes, a base from
  the standard library (``collections.abc.MutableMapping``, ``dict``...) is
  asked at run time (the standard library's own class, never the audited code),
  and every class inherits :class:`object`'s members (``__repr__``, ``__eq__``).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping

import griffe

__all__ = ["documenting_member", "find", "provides"]

#: Standard-library modules whose classes are asked for their members (imported only when a base names them).
_STDLIB_MODULES = frozenset({
    "abc", "argparse", "builtins", "collections", "collections.abc", "contextlib", "datetime", "decimal", "enum",
    "fractions", "functools", "io", "json", "logging", "numbers", "os", "pathlib", "queue", "string", "threading",
    "types", "typing", "weakref",
})
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


def provides(cls: griffe.Class, name: str) -> bool:
    """Whether a class has a member ``name``, its own or inherited.

    Inherited from a resolvable base class of the repository, from a
    standard-library base (asked at run time), or from :class:`object`.

    Args:
        cls: The class.
        name: The member's name.

    Returns:
        True when instances of the class still have the name.
    """
    chain = [cls, *_mro(cls)]
    if any(name in klass.members for klass in chain) or hasattr(object, name):
        return True
    return any(hasattr(runtime, name) for klass in chain for runtime in _stdlib_bases(klass))


def _stdlib_bases(cls: griffe.Class) -> list[type]:
    """The standard-library classes among a class's bases that griffe cannot resolve."""
    found = []
    for base in cls.bases:
        path = base if isinstance(base, str) else base.canonical_path
        try:
            cls.modules_collection.get_member(path)
        except (KeyError, *_GRIFFE_ERRORS):
            runtime = _stdlib_class(path)
            if runtime is not None:
                found.append(runtime)
    return found


def _stdlib_class(path: str) -> type | None:
    """The standard-library class a canonical path names (``collections.abc.Mapping``, ``dict``), if any."""
    module, _, name = path.rpartition(".")
    if (module or "builtins") not in _STDLIB_MODULES:
        return None
    try:
        value = getattr(importlib.import_module(module or "builtins"), name, None)
    except ImportError:
        return None
    value = getattr(value, "__origin__", value)  # typing.MutableMapping stands for collections.abc's
    return value if isinstance(value, type) else None
