"""The public API of the modules a change touches, loaded from their blobs alone.

griffe's loader walks a whole package on disk; a change gate needs only the
modules the change touches, so its cost follows the change, not the package.
Each of those modules is visited from its blob (:func:`griffe.visit` on the
text: nothing written, no folder walked), below the ``__init__`` modules of
the packages above it, which give it its place (its dotted path, relative
imports, the packages' ``__all__``). The tree is put together the way
griffe's loader puts a package together: submodules set on their package in
order of depth (a stub file merged with its module), a submodule skipped when
it does not parse or a folder above it is not a package, a package whose own
``__init__`` does not load reported as an error, then exports and wildcard
imports expanded among the loaded modules and the built-in extensions run
(dataclasses' ``__init__``). Public-ness follows the module path and the
module itself (``__all__``, leading underscores) as
:func:`oshealth.api.public_objects` decides it, and the records, added,
removed and changed objects and griffe's breaking changes are those of the
whole package for everything the loaded modules define, with one exception:
members a class inherits from a class of a module the change does not touch
are not compared (that module is not loaded). A base class dropped is still
reported, and a method removed from a base class is reported on that class,
not again on each subclass in other modules.

A structural change (an ``__init__`` added or removed, which makes a folder a
package or not) changes which modules of that folder are importable: every
module below it is then read at both ends.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import griffe

from oshealth import api

if TYPE_CHECKING:
    from oshealth.git import GitRepository

__all__ = ["VIRTUAL_ROOT", "module_paths", "snapshot", "structural_paths"]

#: Where the visited modules claim to live: never read, it gives griffe absolute paths as a checkout would.
VIRTUAL_ROOT = Path("/oshealth-api")
_SOURCE_SUFFIXES = (".py", ".pyi")
_INIT_FILES = ("__init__.py", "__init__.pyi")

#: A module to load: its dotted name's parts and the files defining it, in loading order.
ModulePlan = tuple[tuple[str, ...], list[str]]


def structural_paths(touched: Iterable[str], base_files: Collection[str], head_files: Collection[str]) -> set[str]:
    """The source files below each ``__init__`` present at one end only (its folder stops or starts being a package).

    Args:
        touched: Paths of the changed Python files at either end.
        base_files: Every file at the base.
        head_files: Every file at the head.

    Returns:
        The ``.py``/``.pyi`` paths of either end below those folders.
    """
    base, head = set(base_files), set(head_files)
    inits = [p for p in touched if posixpath.basename(p) in _INIT_FILES]
    folders = {posixpath.dirname(p) for p in inits if (p in base) != (p in head)}
    prefixes = tuple(f"{folder}/" for folder in sorted(folders))
    if not prefixes:
        return set()
    return {p for p in base | head if p.endswith(_SOURCE_SUFFIXES) and p.startswith(prefixes)}


def module_paths(files: Collection[str], paths: Iterable[str]) -> dict[str, list[ModulePlan]]:
    """Which modules to load at one end: those of ``paths`` and the packages above them, with their files.

    Args:
        files: Every file of the revision.
        paths: Repository-relative paths of the modules wanted (absent ones are left out).

    Returns:
        Top-level package name -> its modules in loading order (top first, then by depth),
        each with its existing files; a module with no file at this end is left out.
    """
    present = set(files)
    roots = api.package_roots(files)
    wanted: dict[str, set[tuple[str, ...]]] = {}
    for path in paths:
        parts = _module_parts(path, roots)
        if parts is not None:
            wanted.setdefault(parts[0], set()).update(parts[:depth] for depth in range(1, len(parts) + 1))
    plans: dict[str, list[ModulePlan]] = {}
    for name in sorted(wanted):
        folder = roots[name]
        found = [(parts, _module_files(parts, folder, present)) for parts in sorted(wanted[name], key=_depth_order)]
        plans[name] = [(parts, paths_) for parts, paths_ in found if paths_]
    return plans


def _depth_order(parts: tuple[str, ...]) -> tuple[int, tuple[str, ...]]:
    """The loading order of griffe's loader: shallower modules first."""
    return len(parts), parts


def _module_parts(path: str, roots: Mapping[str, str]) -> tuple[str, ...] | None:
    """The dotted name's parts of the module a source file defines, if it is inside a top-level package or module."""
    if not path.endswith(_SOURCE_SUFFIXES):
        return None
    for name, folder in roots.items():
        prefix = f"{folder}/" if folder else ""
        if path in (f"{prefix}{name}.py", f"{prefix}{name}.pyi"):
            return (name,)
        if path.startswith(f"{prefix}{name}/"):
            parts = posixpath.splitext(path[len(prefix) :])[0].split("/")
            if parts[-1] == "__init__":
                parts.pop()
            # griffe's loader skips modules with a dot in their name (it cannot import them)
            return None if any("." in part for part in parts) else tuple(parts)
    return None


def _module_files(parts: tuple[str, ...], folder: str, present: set[str]) -> list[str]:
    """The files of one module at this end: a package's ``__init__`` files, else the module's files."""
    base = "/".join((folder, *parts)) if folder else "/".join(parts)
    package = [f"{base}/{init}" for init in _INIT_FILES if f"{base}/{init}" in present]
    if len(parts) == 1 and package:  # the finder takes a top-level package before a module of the same name
        return package
    # in a package griffe's loader takes both (a module file comes before a subfolder's __init__)
    return [p for p in (f"{base}.py", f"{base}.pyi") if p in present] + package


def snapshot(repo: GitRepository, revision: str, files: Collection[str], paths: Iterable[str]) -> api.ApiSnapshot:
    """The public API defined by the modules at ``paths`` (and the packages above them) at ``revision``.

    Args:
        repo: The repository.
        revision: A commit id.
        files: Every file of that revision.
        paths: Paths of the modules wanted (changed files; absent ones are left out).

    Returns:
        The snapshot: public objects of the loaded modules, the top-level modules
        (for :func:`oshealth.api_diff.compare`), and packages that cannot be loaded.
    """
    plans = module_paths(files, paths)
    blobs = repo.read_blobs(revision, sorted({p for plan in plans.values() for _, paths_ in plan for p in paths_}))
    objects: dict[str, api.ApiObject] = {}
    modules: dict[str, griffe.Module] = {}
    errors: list[str] = []
    for name, plan in plans.items():
        if not plan or plan[0][0] != (name,):
            continue  # the package does not exist at this end
        try:
            top = _load_package(plan, blobs, set(files))
        except Exception as exc:  # griffe raises many kinds on odd packages: record, never crash
            errors.append(f"{name}: griffe cannot load it: {type(exc).__name__}: {exc}")
            continue
        modules[name] = top
        for obj in api.public_objects(top):
            record = api.record(obj, VIRTUAL_ROOT)
            if record is not None:
                objects[record.path] = record
    return api.ApiSnapshot(repo.resolve(revision), dict(sorted(objects.items())), modules, errors)


def _load_package(plan: list[ModulePlan], blobs: Mapping[str, bytes], present: set[str]) -> griffe.Module:
    """Visit a top-level package's planned modules into one tree, as griffe's loader builds a package.

    Raises:
        griffe.LoadingError: The top-level module cannot be loaded.
    """
    loader = griffe.GriffeLoader(allow_inspection=False, store_source=False, search_paths=[])
    (top_parts, top_files), *rest = plan
    top = _visit(loader, top_parts[0], top_files[0], blobs, None)
    loader.modules_collection.set_member(top.path, top)
    for parts, paths in rest:
        for path in paths:
            _load_submodule(loader, top, parts, path, blobs)
    for stub in top_files[1:]:  # the loader merges the top-level stubs once the package is loaded
        top = griffe.merge_stubs(top, _visit(loader, top_parts[0], stub, blobs, None))
    loader.expand_exports(top)
    loader.expand_wildcards(top, external=False)
    _drop_shadowed(top, plan, present)
    loader.extensions.call("on_package", pkg=top, loader=loader)
    loader.extensions.call("on_module", mod=top, loader=loader)
    return top


def _drop_shadowed(top: griffe.Module, plan: list[ModulePlan], present: set[str]) -> None:
    """Remove the members of loaded packages that a submodule left unloaded would take the place of.

    griffe's loader sets each submodule on its package over any member of the
    same name (``from . import sub``, ``from .series import series``); with
    the submodule not loaded, that member would stand in its place, and an
    alias pointing into it would point at itself. The submodule is unchanged,
    so neither end has anything to compare under that name.
    """
    loaded = {parts for parts, _ in plan}
    for parts, paths in plan:
        inits = [p for p in paths if posixpath.basename(p) in _INIT_FILES]
        module = _member(top, parts)
        if not inits or module is None:
            continue
        folder = posixpath.dirname(inits[0])
        for name in list(module.members):
            if (*parts, name) not in loaded and _is_submodule(folder, name, present):
                module.del_member(name)


def _member(top: griffe.Module, parts: tuple[str, ...]) -> griffe.Module | None:
    """The loaded module at ``parts`` in the tree, if any."""
    found: griffe.Object | griffe.Alias = top
    for part in parts[1:]:
        member = found.members.get(part)
        if member is None or member.is_alias or not member.is_module:
            return None
        found = member
    return found if isinstance(found, griffe.Module) else None


def _is_submodule(folder: str, name: str, present: set[str]) -> bool:
    """Whether griffe's loader would load a submodule ``name`` of the package in ``folder``."""
    if "." in name:
        return False
    files = [f"{folder}/{name}.py", f"{folder}/{name}.pyi"] + [f"{folder}/{name}/{init}" for init in _INIT_FILES]
    return any(f in present for f in files)


def _load_submodule(loader: griffe.GriffeLoader, top: griffe.Module, parts: tuple[str, ...], path: str,
                    blobs: Mapping[str, bytes]) -> None:
    """Visit one submodule and set it on its package; skip it, as griffe does, when it cannot be loaded."""
    parent: griffe.Object | griffe.Alias = top
    for part in parts[1:-1]:
        member = parent.members.get(part)
        if member is None or member.is_alias or not member.is_module:
            return  # a folder above it is not a loaded package: not importable
        parent = member
    if not isinstance(parent, griffe.Module):
        return
    try:
        module = _visit(loader, parts[-1], path, blobs, parent)
    except griffe.LoadingError:
        return
    parent.set_member(parts[-1], module)


def _visit(loader: griffe.GriffeLoader, name: str, path: str, blobs: Mapping[str, bytes],
           parent: griffe.Module | None) -> griffe.Module:
    """Visit one file's blob as griffe's loader visits a file.

    Raises:
        griffe.LoadingError: It is not UTF-8 or does not parse (the loader's own error).
    """
    data = blobs.get(path)
    if data is None:  # a submodule link or another non-file entry
        raise griffe.LoadingError(f"OSError when loading {VIRTUAL_ROOT / path}: not a file")
    try:
        # the loader reads files as text: a UTF-8 signature dropped, newlines made universal
        code = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        return griffe.visit(
            name, filepath=VIRTUAL_ROOT / path, code=code, extensions=loader.extensions, parent=parent,
            lines_collection=loader.lines_collection, modules_collection=loader.modules_collection,
        )
    except SyntaxError as error:
        raise griffe.LoadingError(f"Syntax error: {error}") from error
    except UnicodeDecodeError as error:
        raise griffe.LoadingError(f"UnicodeDecodeError when loading {VIRTUAL_ROOT / path}: {error}") from error
