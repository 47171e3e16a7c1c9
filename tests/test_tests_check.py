from __future__ import annotations

import ast
from pathlib import Path

import pytest
from oshealth.checks import tests as tests_check

from oshealth import engine
from oshealth.analysis.pyfile import count_tests
from oshealth.models import Severity, Status
from oshealth.testpaths import is_test_module, is_test_path
from tests.factsutil import collect
from tests.gitrepo import RepoBuilder, git

CORE = "".join(f"def f{i}():\n    return {i}\n\n\n" for i in range(5))  # 10 code lines
TESTS = (  # 5 code lines, 2 tests
    "from pkg import core\n\n\ndef test_a():\n    assert core.f0() == 0\n\n\ndef test_b():\n    assert core.f1() == 1\n"
)
PYTEST_CI = "name: ci\non: push\njobs:\n  t:\n    steps:\n      - run: python -m pytest -q\n"
LINT_CI = "name: lint\non: push\njobs:\n  l:\n    steps:\n      # - run: pytest (disabled)\n      - run: ruff check .\n"


@pytest.mark.parametrize(
    ("path", "test_file", "test_module"),
    [
        ("tests/test_core.py", True, True),
        ("pkg/core_test.py", True, True),
        ("tests/helpers.py", True, False),
        ("tests/data/input.json", True, False),
        ("conftest.py", True, False),
        ("app/tests.py", True, True),
        ("test/unit/testing_utils.py", True, True),
        ("pkg/testing.py", False, False),
        ("pkg/core.py", False, False),
        ("pkg/contest.py", False, False),
        ("docs/conf.py", False, False),
    ],
)
def test_classification(path: str, test_file: bool, test_module: bool) -> None:
    assert (is_test_path(path), is_test_module(path)) == (test_file, test_module)


def test_no_python_source_is_not_applicable(builder: RepoBuilder) -> None:
    builder.commit({"README.md": "hello\n", "tests/test_x.py": "def test_x():\n    pass\n"})
    result = tests_check.Tests().evaluate(collect(builder.root))
    assert (result.status, result.reason) == (Status.NOT_APPLICABLE, "no Python source files (outside tests)")


def test_full_score_parts(builder: RepoBuilder) -> None:
    builder.commit({"pkg/__init__.py": "", "pkg/core.py": CORE, "tests/test_core.py": TESTS})  # source + tests
    builder.commit({"pkg/core.py": CORE + "X = 1\n"})  # source only
    builder.commit({"pkg/core.py": CORE + "X = 2\n"})  # source only
    builder.commit({"pkg/core.py": CORE, "tests/test_core.py": TESTS + "\n"})  # source + tests
    builder.commit({"README.md": "docs\n"})  # neither
    builder.commit({"pkg/old.py": "Y = 1\n"})  # source only
    # deleting source is not a source change
    builder.commit({"pkg/old.py": None, "tests/test_old.py": "def test_o():\n    pass\n"})
    builder.commit({".github/workflows/ci.yml": PYTEST_CI})
    result = engine.evaluate(tests_check.Tests(), collect(builder.root))
    m = result.metrics
    assert (m["test_files"], m["test_modules"], m["test_functions"]) == (2, 2, 3)
    assert (m["test_code_lines"], m["source_code_lines"], m["test_to_source_ratio"]) == (7, 10, 0.7)
    assert m["ci_configs"] == m["ci_configs_running_tests"] == [".github/workflows/ci.yml"]
    assert (m["source_commits_last_365_days"], m["source_commits_with_tests"], m["test_change_share"]) == (5, 2, 0.4)
    # 3 (tests exist) + 3 (ratio 0.7 >= 0.5) + 2 (CI runs pytest) + 2 * 0.4 / 0.5
    assert (result.status, result.score) == (Status.PASS, 9.6)
    assert result.reason == (
        "3 test functions, 0.70 test lines per source line, CI runs tests, 40% of source commits changed tests"
    )
    assert [f.message for f in result.findings] == [
        "only 2 of 5 commits that changed source in the last 365 days also changed tests"
    ]


def test_too_few_source_commits_scores_static_part(builder: RepoBuilder) -> None:
    builder.commit({"pkg/core.py": CORE * 2, "tests/test_core.py": TESTS, ".gitlab-ci.yml": LINT_CI})
    result = engine.evaluate(tests_check.Tests(), collect(builder.root))
    # 3 + 3 * (5 / 20) / 0.5 + 1 (CI without a test command) = 5.5 of 8
    assert result.score == pytest.approx(6.88)
    assert result.metrics["test_change_share"] is None
    assert result.reason.endswith("1 source commits in the last 365 days (< 5): history part not scored")
    assert [(f.severity, f.rule) for f in result.findings] == [
        (Severity.WARNING, "test-ratio"),
        (Severity.NOTE, "ci-without-tests"),
    ]


def test_no_tests_no_ci(builder: RepoBuilder) -> None:
    for k in range(5):
        builder.commit({"pkg/core.py": CORE + f"X = {k}\n"})
    result = engine.evaluate(tests_check.Tests(), collect(builder.root))
    assert (result.status, result.score) == (Status.FAIL, 0.0)
    assert result.metrics["test_change_share"] == 0.0
    assert [(f.severity, f.rule) for f in result.findings] == [
        (Severity.ERROR, "no-tests"),
        (Severity.WARNING, "no-ci"),
        (Severity.NOTE, "test-coupling"),
    ]


def test_make_target_in_ci_runs_tests(builder: RepoBuilder) -> None:
    makefile = "init:\n\tpip install -e .\n\nci test-all: init\n\tpython -m pytest tests --junitxml=r.xml\n"
    workflow = "jobs:\n  t:\n    steps:\n      - run: make\n      - run: |\n          make -j2 ci\n"
    builder.commit({"pkg/core.py": CORE, "tests/test_core.py": TESTS, "Makefile": makefile,
                    ".github/workflows/run-tests.yml": workflow, ".travis.yml": "script: make init\n"})
    m = tests_check.Tests().evaluate(collect(builder.root)).metrics
    assert m["ci_configs"] == [".github/workflows/run-tests.yml", ".travis.yml"]
    assert m["ci_configs_running_tests"] == [".github/workflows/run-tests.yml"]


def test_scripts_a_ci_configuration_runs_are_followed(builder: RepoBuilder) -> None:
    workflows = {
        ".github/workflows/a.yml": "steps:\n  - run: bash .ci/run --quick\n",  # a script running pytest
        ".github/workflows/b.yml": "steps:\n  - run: ./scripts/check\n  - run: python tools/lint.py\n",
        ".github/workflows/c.yml": "steps:\n  - run: pip install -r requirements-test.txt\n",  # not a script
        ".gitlab-ci.yml": "test:\n  script:\n    # - sh scripts/test.sh\n    - sh scripts/missing.sh\n",
    }
    scripts = {
        ".ci/run": "#!/bin/sh\nset -e\npython3 -m venv .venv\n.venv/bin/python -m pytest -n auto\n",
        "scripts/check": "#!/bin/sh\n# pytest is run elsewhere\nflake8 .\n",
        "tools/lint.py": "import subprocess\nsubprocess.run(['ruff', 'check'])\n",
        "scripts/test.sh": "pytest\n",
        "requirements-test.txt": "pytest\n",
    }
    builder.commit({"pkg/core.py": CORE, "tests/test_core.py": TESTS, **workflows, **scripts})
    found = collect(builder.root)
    m = tests_check.Tests().evaluate(found).metrics
    assert m["ci_configs_running_tests"] == [".github/workflows/a.yml"]
    # only the scripts run by CI are read besides the usual documents
    assert {".ci/run", "scripts/check", "tools/lint.py"} <= found.documents.keys()
    assert "scripts/test.sh" not in found.documents


def test_shallow_clone_scores_static_part(builder: RepoBuilder, tmp_path: Path) -> None:
    for k in range(6):
        builder.commit({"pkg/core.py": CORE + f"X = {k}\n", "tests/test_core.py": TESTS, "tox.ini": "[tox]\n",
                        ".circleci/config.yml": "jobs:\n  t:\n    steps:\n      - run: tox -e py\n"})
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{builder.root}", str(clone))
    result = tests_check.Tests().evaluate(collect(clone))
    # (3 + 3 * (5 / 11) / 0.5 + 2) / 8 * 10: only the checked-out files count, history is ignored
    assert (result.status, result.score) == (Status.PASS, 9.66)
    assert result.reason.endswith("shallow clone: history part not scored (use fetch-depth: 0)")
    assert result.metrics["test_runner_configs"] == ["tox.ini"]
    assert result.metrics["source_commits_last_365_days"] is None


def test_unparsable_test_file_is_a_finding(builder: RepoBuilder) -> None:
    builder.commit({"pkg/core.py": CORE, "tests/test_core.py": TESTS, "tests/test_py2.py": "print 'hello'\n"})
    result = tests_check.Tests().evaluate(collect(builder.root))
    bad = [f for f in result.findings if f.rule == "unparsable-test"]
    assert [(f.path, f.severity) for f in bad] == [("tests/test_py2.py", Severity.WARNING)]
    assert result.metrics["test_functions"] == 2


COLLECTION_SAMPLE = '''
import sys
import unittest

def test_a(): pass
async def test_async(): pass
def testing_helper(): pass
def helper(): pass
if sys.version_info >= (3,):
    def test_in_if(): pass
try:
    def test_in_try(): pass
except ImportError:
    pass

class TestPlain:
    def test_one(self): pass
    def helper(self): pass
    class TestNested:
        def test_inner(self): pass

class TestWithInit:
    def __init__(self): pass
    def test_never(self): pass

class Base(unittest.TestCase):
    def test_base(self): pass

class Derived(Base):
    def test_derived(self): pass

class Mixin:
    def test_mixed(self): pass

class TestChild(Mixin):
    def test_own(self): pass

class TestDisabled:
    __test__ = False
    def test_no(self): pass

class TestReenabled(TestDisabled):
    __test__ = True
    def test_yes(self): pass

class TestInheritsDisabled(TestDisabled):
    def test_no2(self): pass

class NotATest:
    def test_x(self): pass
'''


def test_count_tests_matches_pytest_collection() -> None:
    # `pytest --collect-only -q` on this module lists 14 tests (pytest 8): regression for the
    # former count of 10 (no if/try blocks, nested classes, inheritance, __init__, __test__)
    assert count_tests(ast.parse(COLLECTION_SAMPLE)) == 14
