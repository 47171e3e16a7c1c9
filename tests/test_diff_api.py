"""The change gate's API diff: only the changed modules are read, with the results of loading whole packages."""

from __future__ import annotations

from typing import Any

import pytest

from oshealth import api, api_diff
from oshealth.config import Config
from oshealth.gate import changed_api, collect
from oshealth.gate.api_rules import api_items
from oshealth.git import GitRepository
from tests.gitrepo import RepoBuilder

PACKAGE = {
    "pyproject.toml": "[project]\nname = 'pkg'\n",
    "src/pkg/__init__.py": (
        '"""Pkg."""\n\nfrom pkg.core import run\nfrom pkg.shapes import *\nfrom . import sub\n'
        "from .typed import typed\n\n"  # names of submodules: griffe's loader sets the submodules over them
        '__all__ = ["run", "VERSION", "Circle", "sub", "typed"]\nVERSION = "1"\n\n\ndef helper():\n    """Help."""\n'
    ),
    "src/pkg/core.py": (
        '"""Core."""\n\nfrom .base import Base\n\n\ndef run(name, verbose=False):\n    """Run."""\n'
        "    return name\n\n\nclass Tool(Base):\n    def use(self, a, b=2):\n        return a\n\n"
        "    def _hidden(self):\n        pass\n"
    ),
    "src/pkg/base.py": '"""Base."""\n\n\nclass Base:\n    def shared(self):\n        pass\n',
    "src/pkg/shapes.py": (
        '"""Shapes."""\n\nfrom dataclasses import dataclass\n\n__all__ = ["Circle"]\n\n\n'
        "@dataclass\nclass Circle:\n    radius: float\n\n\ndef area(c):\n    return c\n"
    ),
    "src/pkg/_private.py": "def secret():\n    pass\n",
    "src/pkg/sub/__init__.py": "",
    "src/pkg/sub/leaf.py": "def leaf(x):\n    return x\n",
    "src/pkg/sub/deeper/__init__.py": "",
    "src/pkg/sub/deeper/bottom.py": "def bottom():\n    pass\n",
    "src/pkg/typed.py": "def typed(a):\n    return a\n",
    "src/pkg/typed.pyi": "def typed(a: int) -> int: ...\n",
    "src/pkg/broken.py": "def f(:\n",
    "src/pkg/loose/orphan.py": "def orphan():\n    pass\n",
    "tests/test_core.py": "def test_run():\n    assert run() == 1\n",
}

#: A change each: files written (None deletes), and renames.
SCENARIOS: dict[str, tuple[dict[str, str | None], dict[str, str]]] = {
    "parameter removed from a re-exported function": (
        {"src/pkg/core.py": PACKAGE["src/pkg/core.py"].replace(", verbose=False", "")}, {}),
    "method changed and private method removed": (
        {"src/pkg/core.py": PACKAGE["src/pkg/core.py"].replace("a, b=2", "a, b").replace(
            "\n    def _hidden(self):\n        pass\n", "\n")}, {}),
    "module deleted": ({"src/pkg/sub/leaf.py": None}, {}),
    "package made a folder (its __init__ deleted)": ({"src/pkg/sub/__init__.py": None}, {}),
    "folder made a package": ({"src/pkg/loose/__init__.py": '"""Now a package."""\n'}, {}),
    "module renamed": ({}, {"src/pkg/sub/leaf.py": "src/pkg/sub/branch.py"}),
    "dataclass field added": ({"src/pkg/shapes.py": PACKAGE["src/pkg/shapes.py"].replace(
        "radius: float\n", "radius: float\n    name: str\n")}, {}),
    "function exported through __all__ and a wildcard import": ({"src/pkg/shapes.py": PACKAGE[
        "src/pkg/shapes.py"].replace("def area(c):", "def area(c, unit):").replace('"Circle"]', '"Circle", "area"]')},
        {}),
    "__all__ changed in __init__": ({"src/pkg/__init__.py": PACKAGE["src/pkg/__init__.py"].replace(
        '"VERSION", ', "")}, {}),
    "stub changed": ({"src/pkg/typed.pyi": "def typed(a: str) -> str: ...\n"}, {}),
    "deep module changed": ({"src/pkg/sub/deeper/bottom.py": "def bottom(x):\n    pass\n"}, {}),
    "syntax error fixed": ({"src/pkg/broken.py": "def f():\n    pass\n"}, {}),
    "module broken": ({"src/pkg/sub/leaf.py": "def leaf(:\n"}, {}),
    "private module changed": ({"src/pkg/_private.py": "def secret(x):\n    pass\n"}, {}),
    "new top-level package": ({"src/other/__init__.py": "def fresh():\n    pass\n"}, {}),
    "top-level __init__ broken": ({"src/pkg/__init__.py": "def (:\n"}, {}),
}


def _summary(changes: api_diff.ApiChanges | None) -> Any:
    if changes is None:
        return None
    return (
        [(o.path, o.kind, o.file, o.line, o.end_line, o.docstring, o.signature) for o in changes.added],
        [(o.path, o.kind, o.file, o.line, o.signature) for o in changes.removed],
        [(a.path, a.signature, b.signature, b.file, b.line) for a, b in changes.changed],
        [(b.path, b.description, b.kind) for b in changes.breaking],
    )


def _whole_packages(repo: GitRepository, change: collect.ChangeSet) -> api_diff.ApiChanges:
    """The previous method, kept as the reference: every package the change touches loaded whole by griffe."""
    touched = {p for fs in change.python for p in (fs.path, fs.old_path) if p}
    base_files = repo.files_at(change.merge_base)
    packages = collect._packages_of(touched, base_files) | collect._packages_of(touched, change.head_files)
    old, new = api.snapshot(repo, change.merge_base, packages), api.snapshot(repo, change.head, packages)
    return api_diff.compare(old, new)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_changed_modules_give_the_whole_packages_result(builder: RepoBuilder, scenario: str) -> None:
    builder.commit(PACKAGE)
    files, renames = SCENARIOS[scenario]
    builder.commit(files, renames=renames)
    repo = GitRepository(builder.root)
    change = collect.collect(repo, "HEAD~1", "HEAD", Config())
    whole = _whole_packages(repo, change)
    assert change.api is not None and change.api.any is (scenario != "private module changed")
    if scenario != "top-level __init__ broken":
        assert _summary(change.api) == _summary(whole)
        return
    # a package that no longer loads: the same one item, "`pkg` removed", but only the loaded modules' objects
    # (those of the __init__) are listed as removed, rather than every object of the package
    assert [i.text for i in api_items(change.api)] == [i.text for i in api_items(whole)] == ["`pkg` removed"]
    assert change.api_errors == ("pkg: griffe cannot load it: LoadingError: Syntax error: invalid syntax "
                                 "(__init__.py, line 1)",)
    assert [o.path for o in change.api.removed] == ["pkg", "pkg.VERSION"]


def test_breaking_changes_are_named(builder: RepoBuilder) -> None:
    builder.commit(PACKAGE)
    builder.commit({"src/pkg/core.py": PACKAGE["src/pkg/core.py"].replace(", verbose=False", ""),
                    "src/pkg/sub/leaf.py": None, "src/pkg/sub/deeper/__init__.py": None})
    change = collect.collect(GitRepository(builder.root), "HEAD~1", "HEAD", Config())
    assert change.api is not None
    assert [b.description for b in change.api.breaking] == [
        "pkg.core.run(verbose): Parameter was removed",
        "pkg.sub.deeper: Public object was removed",
        "pkg.sub.leaf: Public object was removed",
    ]
    assert [o.path for o in change.api.removed] == ["pkg.sub.deeper", "pkg.sub.deeper.bottom",
                                                    "pkg.sub.deeper.bottom.bottom", "pkg.sub.leaf", "pkg.sub.leaf.leaf"]


def test_only_the_changed_module_and_the_packages_above_it_are_read(builder: RepoBuilder,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    builder.commit(PACKAGE)
    builder.commit({"src/pkg/sub/deeper/bottom.py": "def bottom(x):\n    pass\n"})
    repo = GitRepository(builder.root)
    change = collect.collect(repo, "HEAD~1", "HEAD", Config(), with_api=False)
    read: list[list[str]] = []
    original = repo.read_blobs

    def spy(revision: str, paths: list[str]) -> dict[str, bytes]:
        read.append(list(paths))
        return original(revision, paths)

    monkeypatch.setattr(repo, "read_blobs", spy)
    snap = changed_api.snapshot(repo, change.head, change.head_files, ["src/pkg/sub/deeper/bottom.py"])
    assert read == [["src/pkg/__init__.py", "src/pkg/sub/__init__.py", "src/pkg/sub/deeper/__init__.py",
                     "src/pkg/sub/deeper/bottom.py"]]
    # the __init__ modules give the changed module its place; their own objects come along, no sibling's do
    assert sorted(snap.objects) == ["pkg", "pkg.VERSION", "pkg.sub", "pkg.sub.deeper",
                                    "pkg.sub.deeper.bottom", "pkg.sub.deeper.bottom.bottom"]
    assert snap.errors == []


def test_modules_griffe_cannot_import_are_not_loaded() -> None:
    files = ["src/pkg/__init__.py", "src/pkg/a.py", "src/pkg/loose/b.py", "src/pkg/odd.name.py", "src/pkg/c.pyi",
             "src/pkg/c.py", "docs/conf.py", "src/pkg/n/__init__.py", "src/pkg/n.py"]
    plans = changed_api.module_paths(files, ["src/pkg/loose/b.py", "src/pkg/odd.name.py", "src/pkg/c.pyi",
                                             "docs/conf.py", "src/pkg/n/__init__.py"])
    assert plans == {"pkg": [
        (("pkg",), ["src/pkg/__init__.py"]),
        (("pkg", "c"), ["src/pkg/c.py", "src/pkg/c.pyi"]),
        (("pkg", "n"), ["src/pkg/n.py", "src/pkg/n/__init__.py"]),
        (("pkg", "loose", "b"), ["src/pkg/loose/b.py"]),
    ]}
    assert changed_api.structural_paths(["src/pkg/n/__init__.py", "src/pkg/a.py"], files,
                                        [f for f in files if f != "src/pkg/n/__init__.py"]) == {"src/pkg/n/__init__.py"}


def test_inherited_members_are_compared_where_they_are_defined(builder: RepoBuilder) -> None:
    # the one difference with loading whole packages: pkg.core is not read, so Tool's inherited copy of
    # `shared` is not reported again (the whole-package method adds "pkg.core.Tool.shared: Public object was removed")
    builder.commit(PACKAGE)
    builder.commit({"src/pkg/base.py": PACKAGE["src/pkg/base.py"].replace("def shared", "def _shared")})
    change = collect.collect(GitRepository(builder.root), "HEAD~1", "HEAD", Config())
    assert change.api is not None
    assert [b.description for b in change.api.breaking] == ["pkg.base.Base.shared: Public object was removed"]
