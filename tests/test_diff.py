"""``oshealth diff``: the pull-request gate on real repositories built in tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from oshealth.cli import run
from oshealth.git import GitRepository
from tests.gitrepo import RepoBuilder, git

#: Rule 6 audits both ends: it is off by default (and said so here); its own tests turn it on.
NO_SCORES = "\n[tool.oshealth.diff.scores]\nlevel = \"off\"\n"
SCORES_ON = "\n[tool.oshealth.diff.scores]\nlevel = \"fail\"\n"
PYPROJECT = "[project]\nname = \"pkg\"\nversion = \"1.1.0\"\n"
CORE = '''"""Core helpers."""


def greet(name, punctuation="!"):
    """Greet someone."""
    return "Hello " + name + punctuation


def _shout(text):
    return text.upper()
'''
CHANGELOG = """# Changelog

## Unreleased

- Nothing yet.

## 1.0.0 - 2024-01-01

- First release.
"""


def base_repo(builder: RepoBuilder, pyproject_extra: str = NO_SCORES) -> RepoBuilder:
    """A small package on ``main`` with tests, docs and a changelog, then a ``feature`` branch."""
    builder.commit(
        {
            "pyproject.toml": PYPROJECT + "\n[tool.oshealth]\n" + pyproject_extra,
            "src/pkg/__init__.py": '"""The package."""\n',
            "src/pkg/core.py": CORE,
            "tests/test_core.py": "from pkg.core import greet\n\n\ndef test_greet():\n    assert greet('a')\n",
            "docs/index.md": "# Pkg\n",
            "CHANGELOG.md": CHANGELOG,
        }
    )
    git(builder.root, "checkout", "-q", "-b", "feature")
    return builder


def diff_json(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict[str, Any]]:
    code = run(["diff", "main", "--path", str(root), "--format", "json", *extra])
    out = capsys.readouterr().out
    return code, json.loads(out)


def rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(r for r in data["rules"] if r["id"] == rule_id)


def findings(data: dict[str, Any], rule_id: str) -> list[tuple[str | None, int | None, str]]:
    return [(f["path"], f["line"], f["message"]) for f in rule(data, rule_id)["findings"]]


ADDED_UNDOCUMENTED = CORE + '''

def farewell(name):
    return "Bye " + name
'''


def test_undocumented_public_function_fails_with_file_and_line(builder: RepoBuilder,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder)
    repo.commit({"src/pkg/core.py": ADDED_UNDOCUMENTED, "tests/test_core.py": "def test_x():\n    pass\n",
                 "CHANGELOG.md": CHANGELOG.replace("- Nothing yet.", "- Add farewell."),
                 "docs/index.md": "# Pkg\n\nfarewell\n"})
    code, data = diff_json(repo.root, capsys)
    assert code == 1
    assert data["passed"] is False
    assert rule(data, "docstrings")["status"] == "fail"
    assert findings(data, "docstrings") == [
        ("src/pkg/core.py", 13, "added public function `pkg.core.farewell` has no docstring")
    ]
    assert rule(data, "docstrings")["findings"][0]["severity"] == "error"
    assert [r["status"] for r in data["rules"]] == ["fail", "pass", "pass", "pass", "pass", "skip"]
    assert data["summary"]["symbols"] == {
        "added": ["pkg.core.farewell", "tests.test_core.test_x"],
        "changed": [],
        "removed": ["tests.test_core.test_greet"],
    }
    assert data["summary"]["api"]["added"] == ["pkg.core.farewell"]


def test_documented_public_function_passes(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder)
    documented = ADDED_UNDOCUMENTED.replace('    return "Bye', '    """Say goodbye."""\n    return "Bye')
    repo.commit({"src/pkg/core.py": documented, "tests/test_core.py": "def test_x():\n    pass\n",
                 "CHANGELOG.md": CHANGELOG.replace("- Nothing yet.", "- Add farewell."),
                 "docs/index.md": "# Pkg\n\nfarewell\n"})
    code, data = diff_json(repo.root, capsys)
    assert code == 0
    assert [(r["id"], r["status"]) for r in data["rules"]] == [
        ("docstrings", "pass"), ("complexity", "pass"), ("tests", "pass"), ("changelog", "pass"),
        ("docs", "pass"), ("scores", "skip"),
    ]
    assert rule(data, "docstrings")["metrics"] == {"checked": 1}
    assert rule(data, "changelog")["metrics"]["entries"] == ["CHANGELOG.md: Unreleased"]


def test_private_refactor_passes_with_a_tests_warning(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder)
    repo.commit({"src/pkg/core.py": CORE.replace("return text.upper()", "return str(text).upper()")})
    code, data = diff_json(repo.root, capsys)
    assert code == 0
    assert rule(data, "docstrings")["metrics"] == {"checked": 0}
    assert rule(data, "changelog")["message"] == "no public API change"
    assert rule(data, "tests")["status"] == "warn"
    assert findings(data, "tests") == [("src/pkg/core.py", 10, "source changed with no test changed")]
    assert rule(data, "tests")["findings"][0]["severity"] == "warning"
    assert data["summary"]["symbols"]["changed"] == ["pkg.core._shout"]


BROKEN = CORE.replace('def greet(name, punctuation="!"):', "def greet(name):").replace(" + punctuation", "")


def test_api_break_without_changelog_fails(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder)
    repo.commit({"src/pkg/core.py": BROKEN, "tests/test_core.py": "def test_x():\n    pass\n"})
    code, data = diff_json(repo.root, capsys)
    assert code == 1
    assert rule(data, "changelog")["status"] == "fail"
    assert rule(data, "changelog")["message"] == (
        "1 public API change and no changelog entry (no changelog or news fragment changed)"
    )
    assert findings(data, "changelog") == [
        ("src/pkg/core.py", 4,
         "public API change with no changelog entry: breaking: pkg.core.greet(punctuation): Parameter was removed")
    ]
    assert rule(data, "docstrings")["status"] == "pass"  # greet keeps its docstring
    assert rule(data, "docs")["message"] == "no public API added"


def test_skip_label_skips_the_changelog_rule(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder)
    repo.commit({"src/pkg/core.py": BROKEN, "tests/test_core.py": "def test_x():\n    pass\n"})
    code, data = diff_json(repo.root, capsys, "--label", "bug", "--label", "skip-changelog")
    assert code == 0
    assert rule(data, "changelog")["status"] == "skip"
    assert rule(data, "changelog")["message"] == "skipped by the label `skip-changelog`"
    assert data["labels"] == ["bug", "skip-changelog"]


def test_changelog_entry_under_unreleased_satisfies_rule_4(builder: RepoBuilder,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder)
    repo.commit({"src/pkg/core.py": BROKEN, "tests/test_core.py": "def test_x():\n    pass\n",
                 "CHANGELOG.md": CHANGELOG.replace("- Nothing yet.", "- greet loses punctuation.")})
    code, data = diff_json(repo.root, capsys)
    assert code == 0
    assert rule(data, "changelog")["status"] == "pass"
    assert rule(data, "changelog")["message"] == "1 API change, changelog: CHANGELOG.md: Unreleased"


def test_entry_under_a_released_section_does_not_count(builder: RepoBuilder,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder)
    repo.commit({"src/pkg/core.py": BROKEN, "tests/test_core.py": "def test_x():\n    pass\n",
                 "CHANGELOG.md": CHANGELOG.replace("- First release.", "- First release.\n- greet changed.")})
    code, data = diff_json(repo.root, capsys)
    assert code == 1
    assert rule(data, "changelog")["message"] == (
        "1 public API change and no changelog entry (CHANGELOG.md changed, but not under an unreleased "
        "section (1.0.0 - 2024-01-01))"
    )


def test_towncrier_fragment_satisfies_rule_4(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder)
    repo.commit({"src/pkg/core.py": BROKEN, "tests/test_core.py": "def test_x():\n    pass\n",
                 "changelog.d/12.removal.md": "greet no longer takes punctuation.\n"})
    code, data = diff_json(repo.root, capsys)
    assert code == 0
    assert rule(data, "changelog")["metrics"]["entries"] == ["changelog.d/12.removal.md"]


def test_no_test_changed_fails_when_configured(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder, NO_SCORES + '\n[tool.oshealth.diff.tests]\nlevel = "fail"\n')
    repo.commit({"src/pkg/core.py": CORE.replace("return text.upper()", "return str(text).upper()")})
    code, data = diff_json(repo.root, capsys)
    assert code == 1
    assert rule(data, "tests")["status"] == "fail"
    assert rule(data, "tests")["message"] == "1 source file changed, no test changed"
    assert rule(data, "tests")["metrics"] == {"source_files": 1, "test_files": 0, "hints_only": 0}


COMPLEX = CORE.replace(
    '    """Greet someone."""\n    return "Hello " + name + punctuation\n',
    '    """Greet someone."""\n'
    + "".join(f"    if name == {i}:\n        return {i}\n" for i in range(11))
    + '    return "Hello " + name + punctuation\n',
)


def test_complexity_over_the_limit_fails_with_its_delta(builder: RepoBuilder,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder)
    repo.commit({"src/pkg/core.py": COMPLEX, "tests/test_core.py": "def test_x():\n    pass\n"})
    code, data = diff_json(repo.root, capsys)
    assert code == 1
    assert findings(data, "complexity") == [
        ("src/pkg/core.py", 4, "`greet` has cyclomatic complexity 12 (> 10), was 1 (+11)")
    ]
    assert rule(data, "complexity")["metrics"]["functions"] == [
        {"path": "src/pkg/core.py", "name": "greet", "line": 4, "head": 12, "base": 1, "delta": 11}
    ]


def test_complexity_limit_from_config(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder, NO_SCORES + "\n[tool.oshealth.diff.complexity]\nmax = 12\n")
    repo.commit({"src/pkg/core.py": COMPLEX, "tests/test_core.py": "def test_x():\n    pass\n"})
    code, data = diff_json(repo.root, capsys)
    assert code == 0
    assert rule(data, "complexity")["message"] == "1 changed function, highest complexity 12 (limit 12)"


def test_odd_file_names(builder: RepoBuilder, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    repo = base_repo(builder)
    odd = "src/pkg/we ird#[x]@1.py"
    repo.commit({odd: "def visible():\n    return 1\n", "src/pkg/ünï.py": "def also():\n    return 2\n"})
    code, data = diff_json(repo.root, capsys)
    assert code == 1
    assert sorted(findings(data, "docstrings")) == [
        ("src/pkg/we ird#[x]@1.py", 1, "added public function `pkg.we ird#[x]@1.visible` has no docstring"),
        ("src/pkg/we ird#[x]@1.py", 1, "added public module `pkg.we ird#[x]@1` has no docstring"),
        ("src/pkg/ünï.py", 1, "added public function `pkg.ünï.also` has no docstring"),
        ("src/pkg/ünï.py", 1, "added public module `pkg.ünï` has no docstring"),
    ]
    out = tmp_path / "out"
    out.mkdir()
    assert run(["diff", "main", "--path", str(repo.root), "-f", "markdown", "-f", "sarif", "--output-dir",
                str(out)]) == 1
    sarif = json.loads((out / "diff.sarif").read_text())
    results = sarif["runs"][0]["results"]
    uris = sorted({r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results})
    assert uris == ["src/pkg/%C3%BCn%C3%AF.py", "src/pkg/we%20ird%23%5Bx%5D%401.py"]
    assert "`src/pkg/we ird#[x]@1.py:1`" in (out / "diff.md").read_text()


def test_changed_lines_of_names_with_spaces(builder: RepoBuilder) -> None:
    # regression: git ends a "+++ b/name" line with a tab when the name holds a space
    builder.commit({"a b.py": "x = 1\n"})
    builder.commit({"a b.py": "x = 1\ny = 2\n", "c\td.py": "z = 3\n"})
    lines = GitRepository(builder.root).changed_lines("HEAD~1", "HEAD")
    assert lines == {"a b.py": {2}, "c\td.py": {1}}


def test_unknown_base_exits_2_naming_fetch_depth(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder)
    repo.commit({"src/pkg/core.py": BROKEN})
    assert run(["diff", "no-such-branch", "--path", str(repo.root)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "unknown base revision 'no-such-branch'" in err and "fetch-depth: 0" in err


def test_shallow_clone_without_the_base_exits_2(builder: RepoBuilder, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder)
    repo.commit({"src/pkg/core.py": BROKEN})
    repo.commit({"src/pkg/core.py": BROKEN + "\nX = 1\n"})
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{repo.root}", str(clone))
    git(clone, "fetch", "-q", "--depth", "1", "origin", "main:main")
    assert run(["diff", "main", "--path", str(clone)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no common ancestor of 'main' and 'HEAD'" in err and "fetch-depth: 0" in err


def test_bad_diff_config_exits_2(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder, '\n[tool.oshealth.diff.docstrings]\nlevel = "sometimes"\n')
    repo.commit({"src/pkg/core.py": BROKEN})
    assert run(["diff", "main", "--path", str(repo.root)]) == 2
    assert "[diff.docstrings] 'level' must be one of fail, warn, off, not 'sometimes'" in capsys.readouterr().err


def test_release_section_the_change_adds_counts_as_the_entry(builder: RepoBuilder,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    # Regression: `oshealth diff 8.4.2 8.5.0` on click said "22 public API changes and no changelog entry"
    # although the range added the whole "Version 8.5.0" section with its entries.
    repo = base_repo(builder)
    released = CHANGELOG.replace("## Unreleased\n\n- Nothing yet.\n",
                                 "## 1.1.0 - 2024-02-01\n\nReleased 2024-02-01\n\n- greet loses punctuation.\n")
    repo.commit({"src/pkg/core.py": BROKEN, "tests/test_core.py": "def test_x():\n    pass\n",
                 "CHANGELOG.md": released})
    code, data = diff_json(repo.root, capsys)
    assert code == 0
    assert rule(data, "changelog")["message"] == "1 API change, changelog: CHANGELOG.md: 1.1.0 - 2024-02-01"


def test_new_release_heading_with_only_a_date_is_no_entry(builder: RepoBuilder,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    repo = base_repo(builder)
    dated = CHANGELOG.replace("## Unreleased\n\n- Nothing yet.\n",
                              "## 1.1.0\n\nReleased 2024-02-01\n\n## Unreleased\n\n- Nothing yet.\n")
    repo.commit({"src/pkg/core.py": BROKEN, "tests/test_core.py": "def test_x():\n    pass\n",
                 "CHANGELOG.md": dated})
    code, data = diff_json(repo.root, capsys)
    assert code == 1
    assert rule(data, "changelog")["message"] == (
        "1 public API change and no changelog entry (CHANGELOG.md changed, but not under an unreleased "
        "section (1.1.0))"
    )


#: click's CHANGES.rst between releases: the next version's section, with no "Unreleased" line under it.
UNTAGGED = """Version 1.1.0
-------------

-   Faster greetings.


Version 1.0.0
-------------

Released 2024-01-01

-   First release.
"""


@pytest.mark.parametrize(("tags", "code"), [(["1.0.0"], 0), (["1.0.0", "1.1.0"], 1), ([], 1)])
def test_entry_under_a_version_not_tagged_yet_counts(builder: RepoBuilder, capsys: pytest.CaptureFixture[str],
                                                     tags: list[str], code: int) -> None:
    # Regression: click's PRs #2212, #1964 and #1962 wrote their entry under "Version 8.1.0" (no "Unreleased"
    # line, 8.1.0 not tagged yet: the last tag was 8.0.4) and the gate said "not under an unreleased section".
    repo = base_repo(builder)
    git(repo.root, "checkout", "-q", "main")
    repo.commit({"CHANGES.rst": UNTAGGED})
    for tag in tags:
        repo.tag(tag)
    git(repo.root, "checkout", "-q", "-B", "feature")
    entry = UNTAGGED.replace("-   Faster greetings.\n", "-   Faster greetings.\n-   greet loses punctuation.\n")
    repo.commit({"src/pkg/core.py": BROKEN, "tests/test_core.py": "def test_x():\n    pass\n", "CHANGES.rst": entry})
    result, data = diff_json(repo.root, capsys)
    assert result == code
    if code == 0:
        assert rule(data, "changelog")["message"] == "1 API change, changelog: CHANGES.rst: Version 1.1.0"
    else:  # 1.1.0 already tagged (a released section), or no version tag to tell
        assert rule(data, "changelog")["message"] == (
            "1 public API change and no changelog entry (CHANGES.rst changed, but not under an unreleased "
            "section (Version 1.1.0))"
        )


@pytest.mark.parametrize(("edit", "code", "message"), [
    (('return "Hello "', 'return "Hi "'), 0,
     "1 changed function, highest complexity 12 (limit 10); 1 over it already at the base, no more complex"),
    (("    if name == 0:", "    if name == -1:\n        return -1\n    if name == 0:"), 1,
     "1 of 1 changed function over complexity 10"),
])
def test_complexity_fails_only_a_function_the_change_makes_more_complex(
        builder: RepoBuilder, capsys: pytest.CaptureFixture[str], edit: tuple[str, str], code: int,
        message: str) -> None:
    # Regression: flask #5082 removed a `# type: ignore` comment in make_response (complexity 16 at both ends) and
    # requests #6710 renamed a call in HTTPAdapter.send (19 at both ends): both failed rule 2 with "+0".
    repo = base_repo(builder)
    git(repo.root, "checkout", "-q", "main")
    repo.commit({"src/pkg/core.py": COMPLEX})
    git(repo.root, "checkout", "-q", "-B", "feature")
    repo.commit({"src/pkg/core.py": COMPLEX.replace(*edit), "tests/test_core.py": "def test_x():\n    pass\n"})
    result, data = diff_json(repo.root, capsys)
    assert (result, rule(data, "complexity")["message"]) == (code, message)
    delta = int(code == 1)
    assert rule(data, "complexity")["metrics"]["functions"] == [
        {"path": "src/pkg/core.py", "name": "greet", "line": 4, "head": 12 + delta, "base": 12, "delta": delta}
    ]
    expected = [("src/pkg/core.py", 4, "`greet` has cyclomatic complexity 13 (> 10), was 12 (+1)")]
    assert findings(data, "complexity") == (expected if code else [])


OVERLOADED = CORE + '''

@t.overload
def pick(name: str) -> str: ...


@typing.overload
def pick(name: int) -> int: ...


@overload
def pick(name: bytes) -> bytes: ...


def pick(name):
    """Return ``name``."""
    return name


def plain(name):
    return name
'''


def test_overload_stubs_need_no_docstring(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    # Regression: click #2212 added four `@t.overload` stubs of the documented `command` (import typing as t) and
    # the gate asked each stub for a docstring (which pydocstyle's D418 forbids).
    repo = base_repo(builder)
    head = OVERLOADED.replace('"""Core helpers."""\n', '"""Core helpers."""\n\nimport typing\nimport typing as t\n'
                                                       "from typing import overload\n")
    repo.commit({"src/pkg/core.py": head, "tests/test_core.py": "def test_x():\n    pass\n"})
    code, data = diff_json(repo.root, capsys)
    assert code == 1
    assert findings(data, "docstrings") == [
        ("src/pkg/core.py", 34, "added public function `pkg.core.plain` has no docstring")
    ]
    assert rule(data, "docstrings")["message"] == "1 problem in 3 added or changed public objects"
