"""The check reference: ``oshealth checks --format markdown``, ``explain``, docs/checks.md and the MkDocs site."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any, ClassVar

import cmarkgfm
import markdown
import pytest

from oshealth import checkdocs, registry
from oshealth.cli import run
from oshealth.facts import RepoFacts
from oshealth.models import Check, CheckResult
from tests.plugins import GOOD_PLUGIN, install_plugin

ROOT = Path(__file__).resolve().parent.parent
REGENERATE = "oshealth checks --format markdown > docs/checks.md"


def built_ins() -> dict[str, type[Check]]:
    """The checks oshealth ships (whatever plugins the environment has)."""
    return {cid: cls for cid, cls in registry.discover().items() if cls.__module__.startswith("oshealth.checks.")}


class Sample(Check):
    """A sample check.

    Score: ``10 * a < b``.

    Fix: do it.
    """

    id: ClassVar[str] = "sample"
    category: ClassVar[str] = "testing"
    weight: ClassVar[float] = 0.5
    default_options: ClassVar[dict[str, Any]] = {
        "flag": False, "name": "it's \"x\"", "paths": ["a", "b|c"], "limit": 3, "share": 0.25, "free": None,
    }

    def evaluate(self, facts: RepoFacts) -> CheckResult:
        """Only the documentation of this check is used here."""
        return CheckResult.not_applicable("a documentation fixture")


class Hostile(Check):
    """Summary line.

    # Not a heading
    Setext title
    ============
    <div>
    an HTML block
    </div>
    Inline <script>alert(1)</script> and ``kept <b>`` in code.

    ```
    never closed
    """

    id: ClassVar[str] = "hostile"
    category: ClassVar[str] = "<b>category</b>"
    weight: ClassVar[float] = 1.0

    def evaluate(self, facts: RepoFacts) -> CheckResult:
        """Only the documentation of this check is used here."""
        return CheckResult.not_applicable("a documentation fixture")


class Fenced(Check):
    """A check whose documentation holds a closed fence.

    ```toml
    # a comment, not a heading
    <not-html> = 1
    ```
    """

    id: ClassVar[str] = "fenced"
    category: ClassVar[str] = "testing"
    weight: ClassVar[float] = 1.0

    def evaluate(self, facts: RepoFacts) -> CheckResult:
        """Only the documentation of this check is used here."""
        return CheckResult.not_applicable("a documentation fixture")


def test_docs_checks_md_is_the_generated_reference() -> None:
    committed = (ROOT / "docs" / "checks.md").read_bytes()
    expected = checkdocs.markdown_reference(built_ins()).encode("utf-8")
    assert committed == expected, f"docs/checks.md is out of date: regenerate it with `{REGENERATE}`"


def test_reference_lists_every_built_in_in_id_order() -> None:
    text = checkdocs.markdown_reference(built_ins())
    assert text.splitlines()[0] == checkdocs.GENERATED_NOTE
    assert "`oshealth checks --format markdown`" in checkdocs.GENERATED_NOTE
    headings = re.findall(r"^## (\S+)$", text, flags=re.MULTILINE)
    assert headings == sorted(built_ins()) and len(headings) == 8
    assert "| `exclude-tests` | `false` | `bool` |" in text
    assert "| `engine` | `\"ruff\"` | `str` |" in text


def test_cli_markdown_is_the_library_reference(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["checks", "--format", "markdown"]) == 0
    assert capsys.readouterr().out == checkdocs.markdown_reference(registry.discover())


def test_cli_text_listing_is_still_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["checks"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["activity", "activity", "1"]
    assert len(lines) == len(registry.discover())


def test_plugin_checks_are_documented_in_their_place(tmp_path: Path) -> None:
    site = install_plugin(tmp_path / "site", "oshealth-notice", "notice_check", GOOD_PLUGIN,
                          "has-notice = notice_check:HasNotice")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    done = subprocess.run([sys.executable, "-m", "oshealth", "checks", "-f", "markdown"],
                          capture_output=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("utf-8")
    headings = re.findall(r"^## (\S+)$", text, flags=re.MULTILINE)
    assert headings.index("has-notice") == headings.index("docstring-style") + 1
    section = text.split("## has-notice\n\n")[1].split("\n\n## ")[0]
    assert section == ("Category `community`, weight `0.5`.\n\nA NOTICE file should exist.\n\n"
                       "Fix: add a NOTICE file.\n\nNo options.")


def test_explain_prints_options_as_toml() -> None:
    assert checkdocs.explain_text(Sample) == (
        "sample (testing, weight 0.5)\n\nA sample check.\n\nScore: ``10 * a < b``.\n\nFix: do it.\n\n"
        "Options ([tool.oshealth.checks.sample]):\n"
        "  flag = false\n  free = None\n  limit = 3\n  name = \"it's \\\"x\\\"\"\n"
        "  paths = [\"a\", \"b|c\"]\n  share = 0.25\n"
    )


def test_cli_explain_uses_the_shared_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["explain", "docstring-style"]) == 0
    out = capsys.readouterr().out
    assert out == checkdocs.explain_text(registry.discover()["docstring-style"])
    assert out.endswith('Options ([tool.oshealth.checks.docstring-style]):\n'
                        '  convention = ""\n  engine = "ruff"\n  exclude-tests = false\n')


def test_section_of_a_check_with_options() -> None:
    assert checkdocs.markdown_section(Sample) == "\n".join([
        "## sample",
        "",
        "Category `testing`, weight `0.5`.",
        "",
        "A sample check.",
        "",
        "Score: ``10 * a < b``.",
        "",
        "Fix: do it.",
        "",
        "Options, in `[tool.oshealth.checks.sample]` of `pyproject.toml`:",
        "",
        "| Option | Default | Type |",
        "| --- | --- | --- |",
        "| `flag` | `false` | `bool` |",
        "| `free` | `None` | `any` |",
        "| `limit` | `3` | `int` |",
        "| `name` | `\"it's \\\"x\\\"\"` | `str` |",
        "| `paths` | <code>&#91;&#34;a&#34;&#44; &#34;b&#124;c&#34;&#93;</code> | `list` |",
        "| `share` | `0.25` | `float` |",
    ])


def test_plugin_docstring_cannot_break_out_of_its_section() -> None:
    assert checkdocs.markdown_text(Hostile.documentation()) == "\n".join([
        "Summary line.",
        "",
        "&#35; Not a heading",
        "Setext title",
        "&#61;===========",
        "&#60;div>",
        "an HTML block",
        "&#60;/div>",
        "Inline &lt;script>alert(1)&lt;/script> and ``kept <b>`` in code.",
        "",
        "&#96;``",
        "never closed",
    ])


@pytest.mark.parametrize("renderer", ["python-markdown", "github"])
def test_hostile_docstring_renders_inside_its_section(renderer: str) -> None:
    text = checkdocs.markdown_reference({"hostile": Hostile, "sample": Sample, "fenced": Fenced})
    if renderer == "python-markdown":  # MkDocs' default extensions
        html = markdown.markdown(text, extensions=["toc", "tables", "fenced_code"])
    else:
        html = cmarkgfm.github_flavored_markdown_to_html(text, options=cmarkgfm.Options.CMARK_OPT_UNSAFE)
    assert re.findall(r"<h(\d)[^>]*>([^<]*)</h\d>", html) == [
        ("1", "Checks"), ("2", "fenced"), ("2", "hostile"), ("2", "sample")]
    assert "<div>" not in html and "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;category&lt;/b&gt;" in html and "kept &lt;b&gt;" in html
    assert html.count("<table>") == 1 and html.count("<pre") == 1
    assert "# a comment, not a heading\n&lt;not-html&gt; = 1" in html  # the closed fence is kept as code


def test_fence_closed_only_by_a_longer_run_is_text() -> None:
    # GitHub would close it at ```` and reopen at ```, swallowing the rest of the page
    assert checkdocs.markdown_text("```\ncode\n````\n```") == "&#96;``\ncode\n&#96;```\n&#96;``"


def test_code_span_holds_any_backticks() -> None:
    assert checkdocs.code_span("a ``b`` c") == "```a ``b`` c```"
    assert checkdocs.code_span("`x`\nnext") == "`` `x` next ``"


@pytest.mark.parametrize("value", [True, 0, -7, 1.5, 80.0, 1e300, "", "a\"b\\c\n\t\x01\x7f é", [], ["x", 1, [2.5]],
                                   {"key": "v", "two words": [True]}, {}])
def test_toml_values_read_back_as_the_default(value: Any) -> None:
    assert tomllib.loads(f"x = {checkdocs.toml_value(value)}")["x"] == value


def test_mkdocs_builds_the_site_strictly(tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    page = (site / "checks" / "index.html").read_text(encoding="utf-8")
    for check_id in built_ins():
        assert f'<h2 id="{check_id}">{check_id}</h2>' in page
    for name in ("index.html", "github-action/index.html", "performance/index.html", "report.png",
                 "examples/oshealth.yml"):
        assert (site / name).is_file(), name
