"""``oshealth diff`` and ``release-check`` on changes real projects merge that are not what the rules look for."""

from __future__ import annotations

import pytest

from oshealth.release.hints import same_but_hints
from tests.gitrepo import RepoBuilder, git
from tests.test_api import SESSIONS_V1, SESSIONS_V2
from tests.test_diff import CORE, NO_SCORES, base_repo, diff_json, findings, rule

HOOKS = '''

def __getattr__(name):
    if name == "old_greet":
        return greet
    raise AttributeError(name)


def __dir__():
    return ["greet", "old_greet"]
'''


def test_module_attribute_hooks_are_not_public_api(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    # flask #5058 served a removed name through a module __getattr__ (PEP 562): no API added, nothing to document
    repo = base_repo(builder)
    repo.commit({"src/pkg/core.py": CORE + HOOKS, "tests/test_core.py": "def test_old():\n    pass\n"})
    code, data = diff_json(repo.root, capsys)
    assert code == 0
    assert data["summary"]["api"]["added"] == []
    assert rule(data, "docstrings")["message"] == "0 added or changed public objects, all documented"
    assert rule(data, "docs")["message"] == "no public API added"
    assert rule(data, "changelog")["message"] == "no public API change"


def test_a_public_function_added_next_to_the_hooks_still_fails(builder: RepoBuilder,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder)
    extra = HOOKS + "\n\nclass Lazy:\n    def __getattr__(self, name):\n        return name\n"
    repo.commit({"src/pkg/core.py": CORE + extra + "\n\ndef wave():\n    return 1\n"})
    code, data = diff_json(repo.root, capsys)
    assert code == 1
    # a class's __getattr__ is a method like any other: judged as before
    assert findings(data, "docstrings") == [
        ("src/pkg/core.py", 23, "added public class `pkg.core.Lazy` has no docstring"),
        ("src/pkg/core.py", 24, "added public method `pkg.core.Lazy.__getattr__` has no docstring"),
        ("src/pkg/core.py", 28, "added public function `pkg.core.wave` has no docstring"),
    ]
    assert data["summary"]["api"]["added"] == ["pkg.core.Lazy", "pkg.core.Lazy.__getattr__", "pkg.core.wave"]


UNDOCUMENTED_MODULE = 'VERSION = "1.0"\n\n\ndef greet(name):\n    """Greet."""\n    return name\n'


def on_main(builder: RepoBuilder, files: dict[str, str]) -> RepoBuilder:
    """:func:`base_repo` with ``files`` committed on ``main`` too, then the ``feature`` branch from there."""
    repo = base_repo(builder)
    git(repo.root, "checkout", "-q", "main")
    repo.commit(files)
    git(repo.root, "checkout", "-q", "-B", "feature")
    return repo


def test_a_version_bump_or_an_import_asks_no_module_docstring(builder: RepoBuilder,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    # flask's release pull requests bump __version__ in a module without a docstring (#5076: 4cf8b78c)
    repo = on_main(builder, {"src/pkg/plain.py": UNDOCUMENTED_MODULE})
    private = "\n\ndef _helper():\n    return os.sep\n"
    repo.commit({"src/pkg/plain.py": "import os\n" + UNDOCUMENTED_MODULE.replace('"1.0"', '"1.1"') + private})
    code, data = diff_json(repo.root, capsys, "--label", "skip-changelog")
    assert code == 0
    assert rule(data, "docstrings")["message"] == "0 added or changed public objects, all documented"


def test_a_module_the_change_adds_or_adds_api_to_needs_a_docstring(builder: RepoBuilder,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    repo = on_main(builder, {"src/pkg/plain.py": UNDOCUMENTED_MODULE})
    repo.commit({
        "src/pkg/plain.py": "import os\n" + UNDOCUMENTED_MODULE + '\n\nclass Tool:\n    """A tool."""\n',
        "src/pkg/fresh.py": "X = 1\n",
        "src/pkg/hooks.py": "def __getattr__(name):\n    raise AttributeError(name)\n",
    })
    code, data = diff_json(repo.root, capsys, "--label", "skip-changelog")
    assert code == 1
    # hooks.py is new: a module the change adds is asked whatever it holds
    assert findings(data, "docstrings") == [
        ("src/pkg/fresh.py", 1, "added public module `pkg.fresh` has no docstring"),
        ("src/pkg/hooks.py", 1, "added public module `pkg.hooks` has no docstring"),
        ("src/pkg/plain.py", 1, "changed public module `pkg.plain` has no docstring"),
    ]


TESTS_FAIL = '\n[tool.oshealth.diff.tests]\nlevel = "fail"\n'
VERSIONED = '"""Pkg."""\n\n__version__ = "1.1.0.dev0"\n'
HINTED = CORE.replace('"""Core helpers."""\n', '"""Core helpers."""\n\nfrom __future__ import annotations\n\n'
                      'from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from pkg import Name\n').replace(
    'def greet(name, punctuation="!"):', 'def greet(name: Name, punctuation: str = "!") -> str:')


def test_a_version_bump_or_type_hints_need_no_test(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    # click's release pull request #2224 (e4aceee8) only set __version__ = "8.1.0"
    repo = on_main(builder, {"src/pkg/__init__.py": VERSIONED, "pyproject.toml": "[project]\nname = 'pkg'\n"
                             "\n[tool.oshealth]\n" + TESTS_FAIL})
    repo.commit({"src/pkg/__init__.py": VERSIONED.replace(".dev0", ""), "src/pkg/core.py": HINTED})
    code, data = diff_json(repo.root, capsys, "--label", "skip-changelog")
    assert rule(data, "tests")["status"] == "pass"
    assert rule(data, "tests")["message"] == (
        "0 test files changed with 2 source files (only type annotations or version strings changed: no test needed)")
    assert rule(data, "tests")["metrics"] == {"source_files": 2, "test_files": 0, "hints_only": 2}
    assert code == 0


@pytest.mark.parametrize("body", [
    "def greet(name, punctuation='?'):",  # a default changed along with the hints
    "def greet(name: str, punctuation: str = '!', *, loud: bool = False) -> str:",  # a parameter added
])
def test_code_changed_with_the_hints_still_needs_a_test(builder: RepoBuilder, capsys: pytest.CaptureFixture[str],
                                                        body: str) -> None:
    repo = on_main(builder, {"src/pkg/__init__.py": VERSIONED, "pyproject.toml": "[project]\nname = 'pkg'\n"
                             "\n[tool.oshealth]\n" + TESTS_FAIL})
    repo.commit({"src/pkg/core.py": CORE.replace('def greet(name, punctuation="!"):', body),
                 "src/pkg/__init__.py": VERSIONED.replace(".dev0", "")})
    code, data = diff_json(repo.root, capsys, "--label", "skip-changelog")
    assert code == 1
    assert findings(data, "tests") == [("src/pkg/core.py", 4, "source changed with no test changed")]
    assert rule(data, "tests")["metrics"] == {"source_files": 2, "test_files": 0, "hints_only": 1}


@pytest.mark.parametrize(("old", "new", "same"), [
    ("x: int = 1\n", "x: str = 1\n", True),
    ("class A:\n    x: int\n", "class A:\n    pass\n", False),  # a dataclass field removed, not a hint
    ("VERSION = '1'\n", "VERSION = '2'\n", True),
    ("version_info = (1, 0)\nx = 1\n", "version_info = (1, 1)\nx = 2\n", False),
    ("def f(a):\n    return a\n", "import typing as t\n\n\ndef f(a: t.Any) -> t.Any:\n    return a\n", True),
    ("def f(a):\n    return a\n", "import typing as t\n\n\ndef f(a):\n    return t.cast(int, a)\n", False),
    ("def f(a):\n    return a\n", "import json\n\n\ndef f(a: json.JSONDecoder):\n    return a\n", False),
    ("def f(:\n", "def f(:\n", False),
])
def test_same_but_hints(old: str, new: str, same: bool) -> None:
    assert same_but_hints(old.encode(), new.encode()) is same


CLASSES = '''

class Base:
    """A base."""

    def run(self):
        """Run it."""
        return 1

    def stop(self):
        return 0


class Child(Base):
    """A child."""

    def __init__(self, name):
        self.name = name

    def run(self):
        return 2

    def stop(self):
        return 3

    def extra(self):
        return 4


class Bare(Base):
    def __init__(self):
        pass

    def run(self):
        return 5
'''


def test_overrides_of_documented_methods_and_init_of_documented_classes(builder: RepoBuilder,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    # click #2555 (4262661a) changed Option.__init__, documented by the class's docstring like every click __init__
    repo = base_repo(builder)
    repo.commit({"src/pkg/core.py": CORE + CLASSES, "tests/test_core.py": "def test_x():\n    pass\n"})
    code, data = diff_json(repo.root, capsys, "--label", "skip-changelog")
    assert code == 1
    # Child.run and Bare.run show Base.run's docstring; Child.__init__ its class's; Base.stop has none to lend
    assert findings(data, "docstrings") == [
        ("src/pkg/core.py", 20, "added public method `pkg.core.Base.stop` has no docstring"),
        ("src/pkg/core.py", 33, "added public method `pkg.core.Child.stop` has no docstring"),
        ("src/pkg/core.py", 36, "added public method `pkg.core.Child.extra` has no docstring"),
        ("src/pkg/core.py", 40, "added public class `pkg.core.Bare` has no docstring"),
        ("src/pkg/core.py", 41, "added public method `pkg.core.Bare.__init__` has no docstring"),
    ]
    assert rule(data, "docstrings")["metrics"] == {"checked": 11}


def test_an_override_in_another_module_and_interrogates_ignore_init_method(
        builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder, NO_SCORES + "\n[tool.interrogate]\nignore-init-method = true\n")
    child = ('"""Children."""\n\nfrom pkg.core import Base\n\n\nclass Other(Base):\n    def __init__(self):\n'
             "        pass\n\n    def run(self):\n        return 6\n")
    repo.commit({"src/pkg/core.py": CORE + CLASSES, "src/pkg/kids.py": child,
                 "tests/test_core.py": "def test_x():\n    pass\n"})
    code, data = diff_json(repo.root, capsys, "--label", "skip-changelog")
    # a base in another module the change touches resolves; __init__ is not counted at all (interrogate's setting)
    assert code == 1
    assert [f[2] for f in findings(data, "docstrings")] == [
        "added public method `pkg.core.Base.stop` has no docstring",
        "added public method `pkg.core.Child.stop` has no docstring",
        "added public method `pkg.core.Child.extra` has no docstring",
        "added public class `pkg.core.Bare` has no docstring",
        "added public class `pkg.kids.Other` has no docstring",
    ]


def test_the_gate_does_not_report_an_override_still_inherited(builder: RepoBuilder,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    store = '"""Stores."""\n\n\nclass Store:\n    """A store."""\n'
    repo = on_main(builder, {"src/pkg/store.py": store, "src/pkg/sessions.py": SESSIONS_V1})
    repo.commit({"src/pkg/sessions.py": SESSIONS_V2})
    _, data = diff_json(repo.root, capsys)
    assert data["summary"]["api"]["removed"] == [
        "pkg.sessions.Plain.__del__", "pkg.sessions.Plain.shut", "pkg.sessions.Session.close"]
    assert data["summary"]["api"]["breaking"] == [
        "pkg.sessions.Null.close: Public object was removed",
        "pkg.sessions.Plain.__del__: Public object was removed",
        "pkg.sessions.Plain.shut: Public object was removed",
        "pkg.sessions.Session.close: Public object was removed",
    ]
