"""The docstring-style check and its facts, compared with ruff and pydocstyle run directly."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import ruff
from oshealth.checks.docstring_style import DocstringStyle

from oshealth.analysis import docstyle, docstyle_engines
from oshealth.facts import RepoFacts
from oshealth.models import Severity, Status
from tests.factsutil import collect
from tests.gitrepo import RepoBuilder

MODULE = '''"""Module summary without a period"""


class Widget:
    """A widget.

    Longer text.
    """
    def method(self, a, b):
        """do things

        Args:
            a: first.
        """
        return a


def undocumented():
    return 1


def numpy_style(x):
    """Compute x.

    Parameters
    ----------
    x : int
        The x.

    Returns
    -------
    int
    """
    return x


def google_style(x):
    """
    Compute x.
    Args:
        x: The x.
    Returns:
        The x.
    """
    return x
'''

GOOD = '''"""A tidy module."""


def tidy(x: int) -> int:
    """Return x.

    Args:
        x: The value.

    Returns:
        The value.
    """
    return x
'''

Key = tuple[str, str, int, int | None, str]


def ruff_reference(root: Path, paths: list[str], convention: str) -> set[Key]:
    """Run ruff by hand, as a user would, and key its D diagnostics."""
    command = [str(ruff.find_ruff_bin()), "check", "--isolated", "--no-cache", "--select", "D",
               "--output-format", "json", "--config", f'lint.pydocstyle.convention="{convention}"', "--", *paths]
    done = subprocess.run(command, cwd=root, capture_output=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    real = os.path.realpath(root)
    return {
        (Path(os.path.relpath(r["filename"], real)).as_posix(), r["code"], r["location"]["row"],
         r["location"]["column"], r["message"])
        for r in json.loads(done.stdout)
        if r["code"] and r["code"].startswith("D")
    }


def pydocstyle_reference(root: Path, paths: list[str], convention: str) -> set[tuple[str, str, int]]:
    """Run pydocstyle by hand on the files (no config discovery) and key its errors."""
    (root.parent / "empty.ini").write_text("[pydocstyle]\n")
    command = [sys.executable, "-m", "pydocstyle", f"--config={root.parent / 'empty.ini'}", "--match=.*",
               f"--convention={convention}", "--", *paths]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    found = set()
    where = ("", 0)
    for line in done.stdout.splitlines():
        header = re.match(r"^(.+?\.py):(\d+) ", line)
        if header:
            where = (header[1], int(header[2]))
        code = re.match(r"^\s+(D\d{3}):", line)
        if code:
            found.add((where[0], code[1], where[1]))
    return found


def ours(facts: RepoFacts) -> set[Key]:
    assert facts.docstyle is not None and facts.docstyle.error is None, facts.docstyle
    return {
        (path, v.code, v.line, v.column, v.message)
        for path, record in facts.docstyle.files.items()
        for v in record.violations
    }


def options(**values: Any) -> dict[str, Any]:
    return {"checks": {"docstring-style": values}}


def build(builder: RepoBuilder, files: Mapping[str, str | bytes]) -> Path:
    builder.commit(files)
    return builder.root


@pytest.mark.parametrize("convention", ["pep257", "numpy", "google"])
def test_violations_equal_ruff_for_each_convention(builder: RepoBuilder, convention: str) -> None:
    root = build(builder, {"pkg/__init__.py": "", "pkg/mod.py": MODULE, "pkg/good.py": GOOD})
    facts = collect(root, options(convention=convention))
    expected = ruff_reference(root, ["pkg/__init__.py", "pkg/good.py", "pkg/mod.py"], convention)
    assert ours(facts) == expected
    result = DocstringStyle({"convention": convention}).evaluate(facts)
    assert result.metrics["violations"] == len(expected)
    assert result.metrics["convention"] == convention
    assert result.metrics["convention_source"] == "check option 'convention'"
    assert result.metrics["files_checked"] == 3
    # the check's findings come in blocks by file and severity; the engine puts them in report order
    assert sorted((f.path, f.line, f.rule, f.message) for f in result.findings) == sorted(
        (p, line, code, msg) for p, code, line, _, msg in expected
    )


def test_conventions_select_different_rules(builder: RepoBuilder) -> None:
    root = build(builder, {"pkg/__init__.py": "", "pkg/mod.py": MODULE, "pkg/good.py": GOOD})
    codes = {}
    for convention in ("pep257", "numpy", "google"):
        facts = collect(root, options(convention=convention))
        codes[convention] = DocstringStyle({"convention": convention}).evaluate(facts).metrics["by_code"]
    # ruff 0.17.6 on MODULE: pep257 has D400 and no section rules, numpy wants
    # underlined sections (D406/D407), google wants D212, D415 and D417
    shared = {"D103": 1, "D104": 1, "D205": 1, "D403": 1}
    assert codes == {
        "pep257": shared | {"D204": 1, "D400": 2},
        "numpy": shared | {"D204": 1, "D400": 2, "D406": 2, "D407": 2, "D411": 1},
        "google": shared | {"D212": 1, "D410": 1, "D411": 2, "D415": 2, "D416": 1, "D417": 1},
    }


def test_score_metrics_and_findings(builder: RepoBuilder) -> None:
    root = build(builder, {"pkg/__init__.py": "", "pkg/mod.py": MODULE, "pkg/good.py": GOOD})
    facts = collect(root, options(convention="google"))
    result = DocstringStyle({"convention": "google"}).evaluate(facts)
    documented = result.metrics["documented_objects"]
    assert documented == 7  # mod: module, Widget, method, numpy_style, google_style; good: module, tidy
    violations = result.metrics["violations"]
    assert isinstance(violations, int)
    assert result.metrics["violations_per_documented_object"] == round(violations / 7, 4)
    assert result.score == round(10 / (1 + violations / 7), 2)
    assert result.metrics["engine"] == "ruff"
    assert result.metrics["engine_version"] == "0.17.6"
    assert result.metrics["parse_errors"] == 0
    severities = {f.rule: f.severity for f in result.findings}
    assert severities["D103"] == Severity.WARNING  # a missing docstring
    assert severities["D205"] == Severity.NOTE


def test_clean_repository_scores_ten(builder: RepoBuilder) -> None:
    root = build(builder, {"good.py": GOOD})
    result = DocstringStyle().evaluate(collect(root))
    assert (result.status, result.score, result.metrics["violations"]) == (Status.PASS, 10.0, 0)
    assert result.metrics["convention"] == "pep257"
    assert result.metrics["convention_source"] == "default"


@pytest.mark.parametrize(
    ("settings", "convention", "source"),
    [
        ({"pyproject.toml": '[tool.ruff.lint.pydocstyle]\nconvention = "numpy"\n'}, "numpy",
         "pyproject.toml [tool.ruff.lint.pydocstyle]"),
        ({"pyproject.toml": '[tool.ruff.pydocstyle]\nconvention = "google"\n'}, "google",
         "pyproject.toml [tool.ruff.pydocstyle]"),
        ({"ruff.toml": '[lint.pydocstyle]\nconvention = "google"\n'}, "google", "ruff.toml [lint.pydocstyle]"),
        # ruff reads .ruff.toml before pyproject.toml
        ({".ruff.toml": '[lint.pydocstyle]\nconvention = "numpy"\n',
          "pyproject.toml": '[tool.ruff.lint.pydocstyle]\nconvention = "google"\n'}, "numpy",
         ".ruff.toml [lint.pydocstyle]"),
        ({"setup.cfg": "[metadata]\nname = x\n\n[pydocstyle]\nconvention = google\n"}, "google",
         "setup.cfg [pydocstyle]"),
        ({"tox.ini": "[pydocstyle]\nconvention = numpy  # inline comment\n"}, "numpy", "tox.ini [pydocstyle]"),
        ({"pyproject.toml": '[tool.pydocstyle]\nconvention = "numpy"\n'}, "numpy", "pyproject.toml [tool.pydocstyle]"),
        # ruff's settings win over pydocstyle's when ruff is the engine
        ({"setup.cfg": "[pydocstyle]\nconvention = numpy\n",
          "pyproject.toml": '[tool.ruff.lint.pydocstyle]\nconvention = "google"\n'}, "google",
         "pyproject.toml [tool.ruff.lint.pydocstyle]"),
        # a ruff config without a convention sets none: pydocstyle's settings apply
        ({"ruff.toml": "line-length = 100\n", "setup.cfg": "[pydocstyle]\nconvention = numpy\n"}, "numpy",
         "setup.cfg [pydocstyle]"),
        ({"pyproject.toml": "[tool.black]\nline-length = 100\n"}, "pep257", "default"),
        # a broken ruff.toml configures nothing (ruff itself would refuse it)
        ({"ruff.toml": "this is not toml [", "tox.ini": "[pydocstyle]\nconvention = google\n"}, "google",
         "tox.ini [pydocstyle]"),
    ],
)
def test_convention_from_repository_settings(
    builder: RepoBuilder, settings: dict[str, str], convention: str, source: str
) -> None:
    root = build(builder, {"pkg/__init__.py": "", "pkg/mod.py": MODULE, **settings})
    facts = collect(root)
    assert facts.docstyle is not None
    assert (facts.docstyle.convention, facts.docstyle.convention_source) == (convention, source)
    assert ours(facts) == ruff_reference(root, ["pkg/__init__.py", "pkg/mod.py"], convention)


def test_option_wins_over_repository_settings(builder: RepoBuilder) -> None:
    root = build(builder, {"mod.py": MODULE, "pyproject.toml": '[tool.ruff.lint.pydocstyle]\nconvention = "numpy"\n'})
    facts = collect(root, options(convention="google"))
    assert facts.docstyle is not None and facts.docstyle.convention == "google"
    assert ours(facts) == ruff_reference(root, ["mod.py"], "google")


def test_pydocstyle_engine_prefers_pydocstyle_settings(builder: RepoBuilder) -> None:
    root = build(builder, {
        "mod.py": MODULE,
        "setup.cfg": "[pydocstyle]\nconvention = numpy\n",
        "pyproject.toml": '[tool.ruff.lint.pydocstyle]\nconvention = "google"\n',
    })
    facts = collect(root, options(engine="pydocstyle"))
    assert facts.docstyle is not None
    assert (facts.docstyle.convention, facts.docstyle.convention_source) == ("numpy", "setup.cfg [pydocstyle]")


def test_unknown_convention_is_inconclusive(builder: RepoBuilder) -> None:
    root = build(builder, {"mod.py": MODULE, "setup.cfg": "[pydocstyle]\nconvention = pep8\n"})
    result = DocstringStyle().evaluate(collect(root))
    assert result.status == Status.INCONCLUSIVE
    assert result.reason == (
        "ruff could not check the docstrings: setup.cfg [pydocstyle]: unknown convention 'pep8' "
        "(known: pep257, numpy, google)"
    )


def test_odd_file_names(builder: RepoBuilder) -> None:
    names = ["-x.py", "a b.py", "ünïcødé.py", "dir with space/-y.py", "--help.py", "pkg/data:colon.py"]
    root = build(builder, dict.fromkeys(names, MODULE))
    facts = collect(root, options(convention="numpy"))
    expected = ruff_reference(root, sorted(names), "numpy")
    assert ours(facts) == expected
    assert {path for path, *_ in expected} == set(names)
    result = DocstringStyle({"convention": "numpy"}).evaluate(facts)
    assert result.metrics["violations"] == 6 * 9  # ruff's 9 numpy violations of MODULE, in each file
    assert result.metrics["files_checked"] == 6


def test_syntax_errors_and_unreadable_files_count_apart(builder: RepoBuilder) -> None:
    root = build(builder, {
        "good.py": GOOD,
        "mod.py": MODULE,
        "broken.py": "def f(:\n    pass\n",
        "py2.py": 'def f():\n    """Doc."""\n    print "hello"\n',
        "latin.py": b"# -*- coding: latin-1 -*-\n\"\"\"Caf\xe9.\"\"\"\n",
    })
    facts = collect(root, options(convention="pep257"))
    paths = ["broken.py", "good.py", "latin.py", "mod.py", "py2.py"]
    assert ours(facts) == ruff_reference(root, paths, "pep257")
    assert facts.docstyle is not None
    errors = {path: [e.code for e in r.errors] for path, r in facts.docstyle.files.items() if r.errors}
    assert errors == {
        "broken.py": ["invalid-syntax", "invalid-syntax"],
        "latin.py": ["E902"],
        "py2.py": ["invalid-syntax"],
    }
    result = DocstringStyle({"convention": "pep257"}).evaluate(facts)
    assert result.metrics["parse_errors"] == 4
    assert result.metrics["files_not_parsed"] == 3
    assert result.metrics["violations"] == 6  # mod.py only; no D code from the broken files
    flagged = {(f.path, f.rule) for f in result.findings if not f.rule.startswith("D")}
    assert flagged == {("broken.py", "invalid-syntax"), ("latin.py", "E902"), ("py2.py", "invalid-syntax")}


@pytest.mark.parametrize("convention", ["pep257", "numpy", "google"])
def test_pydocstyle_engine_equals_pydocstyle(builder: RepoBuilder, convention: str) -> None:
    files = {"pkg/__init__.py": "", "pkg/mod.py": MODULE, "pkg/good.py": GOOD, "-x.py": MODULE,
             "test_things.py": MODULE, "a b.py": MODULE, "x:1 y.py": MODULE, "broken.py": "def f(:\n",
             "bro: ken.py": "def f(:\n"}
    root = build(builder, files)
    facts = collect(root, options(engine="pydocstyle", convention=convention))
    expected = pydocstyle_reference(root, sorted(files), convention)
    assert {(path, code, line) for path, code, line, _, _ in ours(facts)} == expected
    assert {path for path, _, _ in expected} >= {"pkg/__init__.py", "pkg/mod.py", "-x.py", "test_things.py", "a b.py",
                                                 "x:1 y.py"}
    assert facts.docstyle is not None
    assert [e.code for e in facts.docstyle.files["broken.py"].errors] == ["invalid-syntax"]
    assert [e.message for e in facts.docstyle.files["bro: ken.py"].errors] == ["Cannot parse file."]
    result = DocstringStyle({"engine": "pydocstyle", "convention": convention}).evaluate(facts)
    assert result.metrics["engine"] == "pydocstyle" and result.metrics["violations"] == len(expected)


def test_pydocstyle_engine_reports_undecodable_files(builder: RepoBuilder) -> None:
    root = build(builder, {"latin.py": b"\"\"\"Caf\xe9.\"\"\"\n", "good.py": GOOD})
    facts = collect(root, options(engine="pydocstyle"))
    assert facts.docstyle is not None and facts.docstyle.error is None
    assert [e.code for e in facts.docstyle.files["latin.py"].errors] == ["E902"]
    assert facts.docstyle.files["good.py"].violations == ()


def test_missing_pydocstyle_is_inconclusive(builder: RepoBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
    root = build(builder, {"mod.py": MODULE})
    monkeypatch.setitem(sys.modules, "pydocstyle", None)  # as if it were not installed
    result = DocstringStyle({"engine": "pydocstyle"}).evaluate(collect(root, options(engine="pydocstyle")))
    assert result.status == Status.INCONCLUSIVE
    assert result.reason == (
        "pydocstyle could not check the docstrings: pydocstyle is not installed (pip install 'oshealth[pydocstyle]')"
    )


def test_crashing_ruff_is_inconclusive(builder: RepoBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
    root = build(builder, {"mod.py": MODULE})
    fake = root.parent / "fake-ruff"
    fake.write_text("#!/bin/sh\necho 'error: something broke' >&2\nexit 2\n")
    fake.chmod(0o755)
    monkeypatch.setattr(ruff, "find_ruff_bin", lambda: str(fake))
    monkeypatch.setattr(docstyle_engines, "_beside_interpreter", lambda: None)
    result = DocstringStyle().evaluate(collect(root))
    assert result.status == Status.INCONCLUSIVE
    assert result.reason == "ruff could not check the docstrings: ruff failed (exit 2): error: something broke"


def test_missing_ruff_binary_is_inconclusive(builder: RepoBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
    root = build(builder, {"mod.py": MODULE})

    def not_found() -> str:
        raise FileNotFoundError("no ruff here")

    monkeypatch.setattr(ruff, "find_ruff_bin", not_found)
    monkeypatch.setattr(docstyle_engines, "_beside_interpreter", lambda: None)
    result = DocstringStyle().evaluate(collect(root))
    assert result.status == Status.INCONCLUSIVE
    assert result.reason == "ruff could not check the docstrings: ruff's binary was not found: no ruff here"


def test_chunked_runs_give_the_same_violations(builder: RepoBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
    names = [f"m{i:02d}.py" for i in range(12)]
    root = build(builder, dict.fromkeys(names, MODULE))
    whole = collect(root)
    monkeypatch.setattr(docstyle, "MAX_COMMAND_CHARS", 21)  # three names (and separators) per run
    assert list(docstyle.chunks(names))[0] == names[:3]
    assert ours(collect(root)) == ours(whole) == ruff_reference(root, names, "pep257")


def test_chunks_respect_the_budget() -> None:
    assert list(docstyle.chunks(["aaaa", "bb", "cccccc", "d"], budget=9)) == [["aaaa", "bb"], ["cccccc", "d"]]
    assert list(docstyle.chunks(["a" * 50], budget=8)) == [["a" * 50]]  # a long name still runs, alone
    assert list(docstyle.chunks([], budget=8)) == []


def test_a_file_record_does_not_depend_on_the_other_files(builder: RepoBuilder) -> None:
    root = build(builder, {"a.py": MODULE, "b.py": GOOD, "c.py": "def f(:\n"})
    together = docstyle.collect(root, ["a.py", "b.py", "c.py"], [], {"convention": "google"})
    alone = docstyle.collect(root, ["a.py"], [], {"convention": "google"})
    assert together.files["a.py"] == alone.files["a.py"]


def test_not_applicable_without_python_files(builder: RepoBuilder) -> None:
    root = build(builder, {"README.md": "# hi\n"})
    facts = collect(root)
    assert facts.docstyle is not None and facts.docstyle.files == {}
    assert DocstringStyle().evaluate(facts).status == Status.NOT_APPLICABLE


def test_not_collected_unless_the_check_runs(builder: RepoBuilder) -> None:
    root = build(builder, {"mod.py": MODULE})
    assert collect(root, {"select": ["complexity"]}).docstyle is None
    assert collect(root, {"ignore": ["docstring-style"]}).docstyle is None
    result = DocstringStyle().evaluate(collect(root, {"select": ["complexity"]}))
    assert result.status == Status.INCONCLUSIVE


def test_unknown_engine_is_inconclusive(builder: RepoBuilder) -> None:
    root = build(builder, {"mod.py": MODULE})
    result = DocstringStyle({"engine": "flake8"}).evaluate(collect(root, options(engine="flake8")))
    assert result.status == Status.INCONCLUSIVE
    assert result.reason == "flake8 could not check the docstrings: unknown engine 'flake8' (known: ruff, pydocstyle)"


def test_facts_from_another_configuration_are_refused(builder: RepoBuilder) -> None:
    root = build(builder, {"mod.py": MODULE})
    result = DocstringStyle({"convention": "numpy"}).evaluate(collect(root, options(convention="google")))
    assert result.status == Status.INCONCLUSIVE
    assert result.reason == "facts were collected with ruff/google, not the configured ruff/numpy"


def test_documentation_has_a_fix_section() -> None:
    assert DocstringStyle.summary() == "Docstrings should follow a docstring convention (pep257, numpy or google)."
    assert DocstringStyle.remediation().startswith("correct each docstring listed in the findings")


def test_exclude_tests_leaves_test_files_out_of_every_number(builder: RepoBuilder) -> None:
    files = {"pkg/__init__.py": "", "pkg/mod.py": MODULE, "tests/test_mod.py": MODULE, "conftest.py": MODULE}
    root = build(builder, files)
    facts = collect(root, options(convention="google", **{"exclude-tests": True}))
    expected = ruff_reference(root, ["pkg/__init__.py", "pkg/mod.py"], "google")
    result = DocstringStyle({"convention": "google", "exclude-tests": True}).evaluate(facts)
    assert result.metrics["violations"] == len(expected)
    assert (result.metrics["files_checked"], result.metrics["test_files_excluded"]) == (2, 2)
    assert result.metrics["documented_objects"] == 5  # MODULE: module, Widget, method, numpy_style, google_style
    assert {f.path for f in result.findings} == {"pkg/__init__.py", "pkg/mod.py"}
    everything = DocstringStyle({"convention": "google"}).evaluate(facts)
    assert everything.metrics["violations"] == len(ruff_reference(root, sorted(files), "google"))
    assert (everything.metrics["documented_objects"], everything.metrics["test_files_excluded"]) == (15, 0)


def test_exclude_tests_with_only_tests_is_not_applicable(builder: RepoBuilder) -> None:
    root = build(builder, {"tests/test_mod.py": MODULE})
    facts = collect(root, options(**{"exclude-tests": True}))
    result = DocstringStyle({"exclude-tests": True}).evaluate(facts)
    assert (result.status, result.reason) == (Status.NOT_APPLICABLE, "exclude-tests leaves out every Python file")
