"""docstring-coverage: oshealth's numbers against the real interrogate 1.7.0 on the same trees and settings."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from oshealth.checks.docstring_coverage import DocstringCoverage, is_public, is_test_file, module_name

from oshealth import worktree
from oshealth.facts import RepoFacts
from oshealth.interrogate_config import InterrogateSettings, read
from oshealth.models import CheckResult, Severity, Status
from tests.factsutil import collect
from tests.gitrepo import RepoBuilder

# Runs the real interrogate command line (so it reads the tree's own config) and prints its raw
# result; on a big-stack thread with a high recursion limit so deeply nested files can be compared.
_SPY = r"""
import json, os, sys, threading
from interrogate import cli, coverage
seen = {}
original = coverage.InterrogateCoverage.get_coverage
def spy(self):
    seen["r"] = original(self)
    return seen["r"]
coverage.InterrogateCoverage.get_coverage = spy
def run():
    try:
        cli.main(args=["-q", "."], standalone_mode=False)
    except SystemExit:
        pass
sys.setrecursionlimit(200000)
threading.stack_size(512 * 1024 * 1024)
worker = threading.Thread(target=run)
worker.start()
worker.join()
r = seen["r"]
root = os.path.realpath(".")
files = {os.path.relpath(f.filename, root): [f.covered, f.total] for f in r.file_results}
print(json.dumps({"covered": r.covered, "total": r.total, "ret_code": r.ret_code, "files": files}))
"""

SAMPLE: dict[str, str | bytes | None] = {
    "pkg/__init__.py": "",
    "pkg/core.py": '''"""Core."""
import typing
from typing import overload


def public():
    """Doc."""
    def inner():
        def innermost():
            pass
        class Local:
            def method(self):
                pass
    return inner


def undocumented(x):
    return x


async def fetch():
    pass


def _semi():
    pass


def __private():
    pass


def __init__():
    """A module-level __init__: google style shares its docstring with the module."""


class Widget:
    """A widget."""

    def __init__(self):
        pass

    def __repr__(self):
        return "w"

    def __len__(self):
        """Length."""
        return 0

    @property
    def size(self):
        return 1

    @size.setter
    def size(self, value):
        pass

    @size.deleter
    def size(self):
        pass

    @overload
    def get(self, key: int) -> int: ...

    @typing.overload
    def get(self, key: str) -> str: ...

    def get(self, key):
        """Get."""
        return key

    class Meta:
        def option(self):
            def deep():
                pass

    def _helper(self):
        pass

    def __mangled(self):
        pass


class Bare:
    def __init__(self):
        """Init doc."""

    def run(self):
        pass


class _Hidden:
    def visible_name(self):
        pass
''',
    "pkg/sub/mod.py": '''def skip_me():
    pass


class Thing:
    def skip_this(self):
        pass
''',
    "pkg/_internal.py": '"""Internal."""\n\ndef helper():\n    pass\n',
    "tests/test_core.py": "def test_one():\n    pass\n",
    "tests_util.py": "def util():\n    pass\n",
    "conftest.py": '"""Fixtures."""\n',
    ".github/scripts/release.py": "def release():\n    pass\n",
    "venv_tools/x.py": "def tool():\n    pass\n",
    "docs/conf.py": "project = 'x'\n",
}

PYPROJECT_HEAD = '[project]\nname = "sample"\n'

# (id, pyproject [tool.interrogate] body or None, setup.cfg text or None)
CONFIGS: list[tuple[str, str | None, str | None]] = [
    ("defaults", None, None),
    ("init-magic-module", "ignore-init-method = true\nignore-init-module = true\nignore-magic = true", None),
    ("module-private-semiprivate", "ignore-module = true\nignore-private = true\nignore-semiprivate = true", None),
    ("nested", "ignore-nested-functions = true\nignore-nested-classes = true", None),
    ("nested-classes-only", "ignore-nested-classes = true", None),
    ("properties", "ignore-property-decorators = true\nignore-overloaded-functions = true", None),
    ("setters", "ignore-setters = true", None),
    ("ignore-regex-list", 'ignore-regex = ["^skip", "^Meta$"]', None),
    ("ignore-regex-string", 'ignore-regex = "^_"', None),
    ("whitelist-duplicates", 'whitelist-regex = ["^[a-z]", "^g", "^Wid"]', None),
    ("exclude", 'exclude = ["tests", "docs/", "pkg/sub/*.py"]\nfail-under = 20', None),
    ("google", 'style = "google"\nfail-under = 30.5', None),
    ("google-nested", 'style = "google"\nignore-nested-classes = true\nignore-nested-functions = true', None),
    ("everything", "ignore-init-method = true\nignore-magic = true\nignore-module = true\nignore-private = true\n"
     "ignore-semiprivate = true\nignore-nested-functions = true\nignore-property-decorators = true\n"
     'ignore-overloaded-functions = true\nexclude = ["pkg/_internal.py"]\nfail-under = 50', None),
    ("setup-cfg", None, "[tool:interrogate]\nignore-init-method = true\nignore-magic = True\nexclude = tests, docs\n"
     'ignore-regex = ["^skip", "^_"]\nfail-under = 40\n'),
    ("setup-cfg-whitelist", None, "[tool:interrogate]\nwhitelist_regex = ^[A-Z].*\nignore-nested-classes = yes\n"),
    ("setup-cfg-shadowed", "", "[tool:interrogate]\nignore-module = true\nexclude = pkg\n"),
]


def interrogate(root: Path) -> dict[str, Any]:
    """Run the real interrogate CLI at ``root`` (it reads the tree's config) and return its numbers."""
    done = subprocess.run([sys.executable, "-c", _SPY], cwd=root, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def write_config(files: dict[str, str | bytes | None], pyproject: str | None, setup_cfg: str | None) -> None:
    if pyproject is not None:
        files["pyproject.toml"] = PYPROJECT_HEAD + (f"\n[tool.interrogate]\n{pyproject}\n" if pyproject else "")
    if setup_cfg is not None:
        files["setup.cfg"] = setup_cfg


def evaluate(root: Path, options: dict[str, Any] | None = None) -> tuple[RepoFacts, CheckResult]:
    facts = collect(root)
    return facts, DocstringCoverage(options).evaluate(facts)


def per_file(result: CheckResult) -> dict[str, list[int]]:
    rows = result.metrics["files"]
    assert isinstance(rows, list)
    return {row["path"]: [row["covered"], row["total"]] for row in rows}


@pytest.mark.parametrize(("pyproject", "setup_cfg"), [(p, s) for _, p, s in CONFIGS], ids=[c[0] for c in CONFIGS])
def test_numbers_equal_interrogate(builder: RepoBuilder, pyproject: str | None, setup_cfg: str | None) -> None:
    files = dict(SAMPLE)
    write_config(files, pyproject, setup_cfg)
    builder.commit(files)
    expected = interrogate(builder.root)
    _, result = evaluate(builder.root)
    assert (result.metrics["covered"], result.metrics["total"]) == (expected["covered"], expected["total"])
    assert per_file(result) == expected["files"]
    assert result.metrics["percent"] == round(100 * expected["covered"] / expected["total"], 2)
    # interrogate's exit code and oshealth's status agree when the repo's fail-under is in force
    assert (result.status is Status.FAIL) == (expected["ret_code"] == 1)


def test_default_numbers_by_hand(builder: RepoBuilder) -> None:
    builder.commit(dict(SAMPLE))
    _, result = evaluate(builder.root)
    m = result.metrics
    # .github/, venv_tools/ (COMMON_EXCLUDE prefixes .git and venv) are out; docs/conf.py is in
    assert m["measured_files"] == 8
    assert (m["covered"], m["total"]) == (9, 44)
    # public: not in tests/ nor conftest.py, no _name on the way down, not local to a function
    # (docs/conf.py and tests_util.py count); dunders such as __repr__ count
    assert (m["public_covered"], m["public_total"]) == (7, 28)
    assert m["excluded_files"] == 2
    assert m["unparsed_files"] == 0
    assert m["config_source"] == "interrogate defaults"
    assert result.status is Status.FAIL
    # score = 10 * (percent + public_percent) / 200
    assert result.score == round(10 * (100 * 9 / 44 + 100 * 7 / 28) / 200, 2)


def test_findings_name_objects_public_first(builder: RepoBuilder) -> None:
    builder.commit(dict(SAMPLE))
    _, result = evaluate(builder.root)
    findings = result.normalized("docstring-coverage").findings
    messages = [f.message for f in findings]
    assert "public function `pkg.core.undocumented` has no docstring" in messages
    assert "public method `pkg.core.Widget.__repr__` has no docstring" in messages
    assert "private function `pkg.core._semi` has no docstring" in messages
    assert "private function `pkg.core.public.inner` has no docstring" in messages
    assert "private method `pkg._internal.helper` has no docstring" not in messages
    assert "private function `pkg._internal.helper` has no docstring" in messages
    assert "private function `tests.test_core.test_one` has no docstring" in messages
    assert "public module `pkg` has no docstring" in messages
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, key=lambda s: s.rank)
    assert severities.count(Severity.WARNING) == 28 - 7
    assert severities.count(Severity.NOTE) == (44 - 9) - (28 - 7)
    undocumented = next(f for f in findings if "`pkg.core.undocumented`" in f.message)
    assert (undocumented.path, undocumented.line, undocumented.rule) == ("pkg/core.py", 17, "missing-public")


def test_exclude_tests_and_explicit_fail_under(builder: RepoBuilder) -> None:
    files = dict(SAMPLE)
    write_config(files, "fail-under = 10", None)
    builder.commit(files)
    _, repo_threshold = evaluate(builder.root)
    assert repo_threshold.metrics["fail_under"] == 10.0
    assert repo_threshold.status is Status.PASS
    _, explicit = evaluate(builder.root, {"fail-under": 90.0, "exclude-tests": True})
    assert explicit.metrics["fail_under"] == 90.0
    assert explicit.status is Status.FAIL
    # tests/test_core.py and conftest.py are left out; tests_util.py is not a test file by name
    assert explicit.metrics["measured_files"] == 6
    assert (explicit.metrics["covered"], explicit.metrics["total"]) == (8, 41)
    _, defaults = evaluate(builder.root, {"use-repo-config": False})
    assert defaults.metrics["fail_under"] == 80.0


def test_bad_files_are_findings_and_match_interrogate_on_the_rest(builder: RepoBuilder, tmp_path: Path) -> None:
    deep = '"""Deep."""\n\n\ndef pick(x):\n    """Pick."""\n    if x == 0:\n        return 0\n' + "".join(
        f"    elif x == {i}:\n        return {i}\n" for i in range(1, 600)
    ) + "\n\ndef after():\n    pass\n"
    latin1 = '# -*- coding: latin-1 -*-\n"""Café."""\n\n\ndef f():\n    """Crème."""\n\n\ndef g():\n    pass\n'
    files: dict[str, str | bytes | None] = {
        "good.py": '"""Good."""\n',
        "broken.py": "def broken(:\n    pass\n",
        "legacy.py": 'print "hello"\n',
        "latin.py": latin1.encode("latin-1"),
        "deep.py": deep,
    }
    builder.commit(files)
    _, result = evaluate(builder.root)
    m = result.metrics
    assert m["unparsed_files"] == 2
    unparsed = {f.path: f.message for f in result.findings if f.rule == "unparsed"}
    assert unparsed["broken.py"].startswith("could not be analysed: syntax error at line 1")
    assert unparsed["legacy.py"].endswith("(Python 2 code?)")
    assert all(f.severity is Severity.WARNING for f in result.findings if f.rule == "unparsed")
    assert per_file(result) == {"deep.py": [2, 3], "good.py": [1, 1], "latin.py": [2, 3]}
    # interrogate crashes on the unparsable files and cannot read latin-1: compare on the
    # same tree without the former and with latin.py re-encoded as UTF-8
    twin = tmp_path / "twin"
    shutil.copytree(builder.root, twin)
    (twin / "broken.py").unlink()
    (twin / "legacy.py").unlink()
    (twin / "latin.py").write_text(latin1, encoding="utf-8")
    expected = interrogate(twin)
    assert per_file(result) == expected["files"]
    assert (m["covered"], m["total"]) == (expected["covered"], expected["total"]) == (5, 7)


def test_config_problems_become_findings(builder: RepoBuilder) -> None:
    files = dict(SAMPLE)
    write_config(files, 'include-regex = ["^x"]\nexclude = "tests"\nignore-regex = ["("]', None)
    builder.commit(files)
    _, result = evaluate(builder.root)
    problems = sorted(f.message for f in result.findings if f.rule == "interrogate-config")
    assert len(problems) == 3
    assert "interrogate ignores the unknown key 'include-regex' (interrogate's name is whitelist-regex)" in problems[2]
    assert problems[0].startswith("exclude: interrogate wants a list")
    assert problems[1].startswith("ignore-regex: bad regular expression '('")
    # the lone exclude string is honoured (tests/ and tests_util.py go), the bad regex skipped
    assert result.metrics["measured_files"] == 6


def test_not_applicable_and_inconclusive(builder: RepoBuilder) -> None:
    builder.commit({"README.md": "# x\n"})
    _, empty = evaluate(builder.root)
    assert empty.status is Status.NOT_APPLICABLE
    assert empty.reason == "no Python files in the repository"
    builder.commit({"venv/x.py": "def f():\n    pass\n"})
    _, excluded = evaluate(builder.root)
    assert excluded.status is Status.NOT_APPLICABLE
    builder.commit({"bad.py": "def (:\n"})
    _, unparsed = evaluate(builder.root)
    assert unparsed.status is Status.INCONCLUSIVE
    assert unparsed.metrics["unparsed_files"] == 1


def test_pyi_requested_but_not_measured(builder: RepoBuilder) -> None:
    builder.commit({"pkg.py": '"""P."""\n', "pkg.pyi": "def f() -> None: ...\n",
                    "pyproject.toml": PYPROJECT_HEAD + '[tool.interrogate]\next = ["pyi"]\n'})
    _, result = evaluate(builder.root)
    assert result.metrics["unmeasured_stub_files"] == 1
    assert result.reason.endswith("; 1 .pyi files not measured")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[tool.interrogate]\nignore-module = 1\nfail-under = '95'\n", {"ignore_module": True, "fail_under": 95.0}),
        ("not [valid toml", {"ignore_module": False}),
        ("[tool.black]\nline-length = 80\n", {"source": ""}),
    ],
)
def test_read_pyproject(text: str, expected: dict[str, Any]) -> None:
    settings = read({"pyproject.toml": text, "setup.cfg": "[tool:interrogate]\nignore-module = true\n"})
    for key, value in expected.items():
        assert getattr(settings, key) == value


def test_exclude_matches_like_interrogate() -> None:
    settings = InterrogateSettings(exclude=("tests", "./docs/", "../repo/pkg/a*.py"))
    root = "/srv/repo"
    assert settings.is_excluded(root, "tests_helpers.py")
    assert settings.is_excluded(root, "docs/conf.py")
    assert settings.is_excluded(root, "pkg/abc.py")
    assert settings.is_excluded(root, ".github/x.py")
    assert not settings.is_excluded(root, "pkg/tests/x.py")
    assert not settings.is_excluded(root, "pkg/b.py")


@pytest.mark.parametrize(
    ("path", "test", "module"),
    [
        ("tests/unit/a.py", True, "tests.unit.a"),
        ("src/pkg/__init__.py", False, "pkg"),
        ("pkg/a_test.py", True, "pkg.a_test"),
        ("conftest.py", True, "conftest"),
        ("testing_tools.py", False, "testing_tools"),
    ],
)
def test_test_files_and_module_names(path: str, test: bool, module: str) -> None:
    assert is_test_file(path) is test
    assert module_name(path) == module


def test_public_rules(builder: RepoBuilder) -> None:
    builder.commit({"pkg/_priv/mod.py": "def f():\n    pass\n", "pkg/mod.py": "def g():\n    pass\n"})
    facts = collect(builder.root)
    by_path = {f.path: f for f in facts.python_files}
    assert not is_public(by_path["pkg/_priv/mod.py"].doc_nodes, 1, "pkg/_priv/mod.py")
    assert is_public(by_path["pkg/mod.py"].doc_nodes, 1, "pkg/mod.py")


_NESTED = '''
class Pub:
    def method(self): pass
    def _private(self): pass
    def __dunder__(self): pass
    class _Inner:
        def deep(self): pass
    class Inner:
        async def deep(self): pass
def func():
    def local(): pass
    class Local:
        def m(self): pass
async def _afunc():
    def local(): pass
def __getattr__(name): pass
'''


@pytest.mark.parametrize("path", ["pkg/mod.py", "pkg/_priv/mod.py", "pkg/_mod.py", "pkg/__init__.py", "a.py"])
def test_public_flags_of_a_file_equal_is_public_of_each_object(path: str) -> None:
    import ast

    from oshealth.analysis.docstrings import analyse
    from oshealth.analysis.public_api import public_flags

    nodes = analyse(ast.parse(_NESTED), path.rsplit("/", 1)[-1])
    flags = public_flags(nodes, path)
    assert flags == [is_public(nodes, index, path) for index in range(len(nodes))]
    public = [node.qualname for node, flag in zip(nodes, flags, strict=True) if flag]
    assert public == ([] if "_priv" in path or "_mod" in path else [
        "", "Pub", "Pub.method", "Pub.__dunder__", "Pub.Inner", "Pub.Inner.deep", "func", "__getattr__",
    ])


def test_links_out_of_the_repository_are_never_read(builder: RepoBuilder, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN = 'ghp_not_for_reports'\n", encoding="utf-8")
    builder.commit({"pkg/__init__.py": '"""Package."""\n', "pkg/real.py": '"""Real."""\n'})
    (builder.root / "pkg" / "leak.py").symlink_to(secret)
    (builder.root / "README.md").symlink_to(secret)
    (builder.root / "pkg" / "alias.py").symlink_to("real.py")  # inside the work tree: read as usual
    (builder.root / "outside").symlink_to(tmp_path, target_is_directory=True)
    builder.commit({})
    found = collect(builder.root)
    assert [f.path for f in found.python_files] == ["pkg/__init__.py", "pkg/alias.py", "pkg/real.py"]
    assert [(s.path, s.reason) for s in found.skipped] == [("pkg/leak.py", worktree.OUTSIDE)]
    assert "README.md" not in found.documents
    result = DocstringCoverage().evaluate(found)
    unread = [(f.path, f.rule, f.message) for f in result.findings if f.rule == "unread"]
    assert unread == [("pkg/leak.py", "unread", worktree.OUTSIDE)]
    assert (result.metrics["covered"], result.metrics["total"]) == (3, 3)
