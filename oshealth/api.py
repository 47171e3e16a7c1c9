"""A revision's public Python API, found statically with griffe, and what changed between two.

The files of a revision are read from git objects (one ``cat-file`` batch),
written to a temporary folder and visited by griffe with
``allow_inspection=False``: nothing is checked out over the user's work tree
and the repository's code is never imported. Which objects are public follows
griffe (``__all__`` first, then names without a leading underscore, imported
names private), below packages and modules whose own names are public, outside
test files. A module's ``__getattr__`` and ``__dir__`` (PEP 562) are left out:
they are how a module serves names (deprecated ones, lazy imports), not API of
their own. :mod:`oshealth.api_diff` compares two snapshots.
"""

from __future__ import annotations

import os
import posixpath
import tempfile
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

import griffe

from oshealth import api_bases
from oshealth.analysis.public_api import is_test_file

if TYPE_CHECKING:
    from oshealth.git import GitRepository

__all__ = [
    "MODULE_HOOKS", "ApiObject", "ApiSnapshot", "in_package", "in_root", "package_roots", "public_objects", "record",
    "snapshot",
]

_SOURCE_SUFFIXES = (".py", ".pyi")
#: Top-level files that are tooling, not library API, in a flat layout.
_NOT_LIBRARY = frozenset({"setup.py", "conftest.py", "noxfile.py", "fabfile.py", "tasks.py", "manage.py"})
#: Top-level folders never taken for packages in a flat layout.
_NOT_PACKAGES = frozenset({"test", "tests", "testing", "docs", "doc", "examples", "example", "scripts", "benchmarks"})
#: A module's attribute hooks (PEP 562): how it serves names (deprecated ones, lazy imports), not API.
MODULE_HOOKS = frozenset({"__getattr__", "__dir__"})


@dataclass(frozen=True)
class ApiObject:
    """One public module, class, function or attribute.

    Attributes:
        path: Dotted path (``pkg.module.Class.method``).
        kind: griffe's kind: ``module``, ``class``, ``function``, ``attribute`` or ``type alias``.
        file: Repository-relative POSIX path of the file defining it.
        line: First line (None for a module).
        end_line: Last line (None for a module).
        docstring: The docstring, or None.
        signature: A one-line signature (``f(a, b=1) -> int``, ``class K(Base)``,
            ``x: int = 3``, ``module``) that changes when the interface does.
        inherited_docstring: For a member of a class with no docstring, the docstring of the
            member of a base class it overrides (:func:`oshealth.api_bases.documenting_member`), else None.
        is_property: Whether it is a ``@property`` (griffe makes it an attribute; for documentation it is
            a function, as interrogate counts it).
    """

    path: str
    kind: str
    file: str
    line: int | None
    end_line: int | None
    docstring: str | None
    signature: str
    inherited_docstring: str | None = None
    is_property: bool = False

    @property
    def label(self) -> str:
        """What to call it in a message: ``property`` for one, else its kind."""
        return "property" if self.is_property else self.kind

    @property
    def effective_docstring(self) -> str | None:
        """Its own docstring, else the one it inherits from the member it overrides."""
        return self.docstring or self.inherited_docstring


@dataclass(frozen=True)
class ApiSnapshot:
    """The public API of one revision.

    Attributes:
        revision: The commit id read.
        objects: Every public object, keyed by dotted path, sorted.
        modules: The top-level griffe modules loaded (for :func:`oshealth.api_diff.compare`).
        errors: Packages griffe could not load, with why.
    """

    revision: str
    objects: dict[str, ApiObject]
    modules: dict[str, griffe.Module] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def package_roots(files: Collection[str]) -> dict[str, str]:
    """The importable top-level packages and modules of a file list, with their search folder.

    With a ``src/`` layout (``src/pkg/__init__.py`` or ``src/mod.py``) only ``src``
    is searched; otherwise packages (folders with ``__init__.py``) and modules at
    the root, leaving out tests, docs, examples and tooling files.

    Args:
        files: Repository-relative POSIX paths of a revision.

    Returns:
        Top-level name -> repository-relative folder it is found in (``""`` for the root).
    """
    src = _roots_in(files, "src")
    return src or _roots_in(files, "")


def _roots_in(files: Collection[str], folder: str) -> dict[str, str]:
    """Top-level packages and modules directly inside ``folder`` (``""`` = root)."""
    prefix = f"{folder}/" if folder else ""
    roots: dict[str, str] = {}
    for path in files:
        if not path.startswith(prefix):
            continue
        parts = path[len(prefix) :].split("/")
        if _is_package_init(parts, in_src=bool(folder)):
            roots[parts[0]] = folder
        elif _is_top_module(parts):
            roots.setdefault(posixpath.splitext(parts[0])[0], folder)
    return dict(sorted(roots.items()))


def _is_package_init(parts: list[str], *, in_src: bool) -> bool:
    """Whether the parts of a path are ``pkg/__init__.py[i]`` of an importable package (at the root: not tests...)."""
    if len(parts) != 2 or parts[1] not in ("__init__.py", "__init__.pyi"):
        return False
    return parts[0].isidentifier() and (in_src or parts[0] not in _NOT_PACKAGES)


def _is_top_module(parts: list[str]) -> bool:
    """Whether the parts of a path are one importable module's file (not tooling, not a test)."""
    if len(parts) != 1 or not parts[0].endswith(_SOURCE_SUFFIXES) or parts[0] in _NOT_LIBRARY:
        return False
    return posixpath.splitext(parts[0])[0].isidentifier() and not is_test_file(parts[0])


def in_root(path: str, name: str, folder: str) -> bool:
    """Whether a path is in the top-level package or module ``name`` found in ``folder`` (see :func:`package_roots`)."""
    base = f"{folder}/{name}" if folder else name
    return path.startswith(f"{base}/") or path in (f"{base}.py", f"{base}.pyi")


def in_package(path: str, roots: Mapping[str, str]) -> bool:
    """Whether a path belongs to one of the importable packages or modules ``roots`` (:func:`package_roots`)."""
    return any(in_root(path, name, folder) for name, folder in roots.items())


def _package_files(files: Collection[str], name: str, folder: str) -> list[str]:
    """The source files of one top-level package or module."""
    return sorted(p for p in files if p.endswith(_SOURCE_SUFFIXES) and in_root(p, name, folder))


def snapshot(repo: GitRepository, revision: str, packages: Collection[str] | None = None) -> ApiSnapshot:
    """Find the public API of ``revision`` from its git objects.

    Args:
        repo: The repository.
        revision: Any commit-ish.
        packages: Only these top-level names (None: every package found). A
            change gate passes the packages its changed files belong to, so the
            cost follows the change rather than the repository's size.

    Returns:
        The snapshot; packages griffe cannot load are listed in ``errors``.

    Raises:
        GitError: The revision is unknown.
    """
    sha = repo.resolve(revision)
    files = repo.files_at(sha)
    roots = {n: f for n, f in package_roots(files).items() if packages is None or n in packages}
    wanted = {name: _package_files(files, name, folder) for name, folder in roots.items()}
    blobs = repo.read_blobs(sha, sorted({p for paths in wanted.values() for p in paths}))
    with tempfile.TemporaryDirectory(prefix="oshealth-api-") as tmp:
        _write_tree(Path(tmp), blobs)
        return _load(sha, Path(tmp), roots)


def _write_tree(root: Path, blobs: dict[str, bytes]) -> None:
    """Write blobs under ``root`` at their repository paths (odd names kept byte for byte)."""
    for path, data in blobs.items():
        target = os.path.join(os.fsencode(root), os.fsencode(path))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(data)


def _load(sha: str, tmp: Path, roots: dict[str, str]) -> ApiSnapshot:
    """Visit each top-level package with griffe (static only) and collect its public objects."""
    objects: dict[str, ApiObject] = {}
    modules: dict[str, griffe.Module] = {}
    errors: list[str] = []
    for name, folder in roots.items():
        search = tmp / folder if folder else tmp
        try:
            loaded = griffe.load(
                name, search_paths=[search], allow_inspection=False, store_source=False, try_relative_path=False
            )
        except Exception as exc:  # griffe raises many kinds on odd packages: record, never crash
            errors.append(f"{name}: griffe cannot load it: {type(exc).__name__}: {exc}")
            continue
        if not isinstance(loaded, griffe.Module):
            errors.append(f"{name}: not a module")
            continue
        modules[name] = loaded
        for obj in public_objects(loaded):
            found = record(obj, tmp)
            if found is not None:
                objects[found.path] = found
    return ApiSnapshot(sha, dict(sorted(objects.items())), modules, errors)


def public_objects(module: griffe.Module) -> Iterator[griffe.Object]:
    """The module and every public object below it (aliases, private subtrees and test modules left out).

    Args:
        module: A loaded top-level module.

    Yields:
        The module, then its public members, depth first.
    """
    pending: list[griffe.Object] = [module]
    while pending:
        obj = pending.pop()
        yield obj
        if not obj.is_function:  # locals of a function are not API
            pending += [member for member in obj.members.values() if _is_public_member(member, obj)]


def _is_public_member(member: griffe.Object | griffe.Alias, owner: griffe.Object) -> TypeGuard[griffe.Object]:
    """Whether a member is a public object of its own (not an alias, a test module or a module's PEP 562 hook)."""
    if member.is_alias or not member.is_public or not isinstance(member, griffe.Object):
        return False
    if member.is_module:
        return not _in_test_file(member)
    return not (owner.is_module and member.name in MODULE_HOOKS)


def _in_test_file(obj: griffe.Object) -> bool:
    """Whether a module object lives in a test file or folder."""
    try:
        return is_test_file(str(obj.relative_package_filepath).replace(os.sep, "/"))
    except (ValueError, AttributeError):
        return False


def record(obj: griffe.Object, root: Path) -> ApiObject | None:
    """The :class:`ApiObject` of a griffe object.

    Args:
        obj: The object.
        root: The folder its module's file path is relative to (the repository's root as loaded).

    Returns:
        The record, or None when the object has no single file (a namespace package, a builtin).
    """
    try:
        filepath = obj.filepath
    except Exception:  # namespace packages have several paths, builtins none
        return None
    if isinstance(filepath, list):
        return None
    file = Path(os.path.relpath(filepath, root)).as_posix()
    is_module = obj.is_module
    docstring = obj.docstring.value if obj.docstring else None
    base = api_bases.documenting_member(obj) if not docstring and not is_module else None
    return ApiObject(
        path=obj.path,
        kind=obj.kind.value,
        file=os.fsdecode(os.fsencode(file)),
        line=None if is_module else obj.lineno,
        end_line=None if is_module else obj.endlineno,
        docstring=docstring,
        signature=_signature(obj),
        inherited_docstring=base.docstring.value if base is not None and base.docstring is not None else None,
        is_property="property" in obj.labels,
    )


def _signature(obj: griffe.Object) -> str:
    """A one-line signature that changes when the object's interface does."""
    if isinstance(obj, griffe.Function):
        return obj.signature()
    if isinstance(obj, griffe.Class):
        bases = ", ".join(str(base) for base in obj.bases)
        return f"class {obj.name}({bases})" if bases else f"class {obj.name}"
    if isinstance(obj, griffe.Attribute):
        annotation = f": {obj.annotation}" if obj.annotation is not None else ""
        value = f" = {obj.value}" if obj.value is not None else ""
        return f"{obj.name}{annotation}{value}"
    return obj.kind.value
