"""``oshealth release-check``: the release gate, on repositories built in the tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from oshealth.cli import run
from oshealth.release import notes
from tests.gitrepo import RepoBuilder, git

CORE_V1 = '"""Core."""\n\n\ndef parse(text, strict=False):\n    """Parse text."""\n    return text\n'
CHANGELOG_V1 = "# Changelog\n\n## 1.0.0 - 2024-01-02\n\n- First release.\n"


def first_release(builder: RepoBuilder, tag: str = "v1.0.0") -> None:
    """A documented package, its changelog and README, tagged."""
    builder.commit({
        "pkg/__init__.py": '"""The package."""\n',
        "pkg/core.py": CORE_V1,
        "CHANGELOG.md": CHANGELOG_V1,
        "README.md": "# pkg\n",
    })
    builder.tag(tag)


def changelog(section: str) -> str:
    return f"# Changelog\n\n{section}\n" + CHANGELOG_V1.removeprefix("# Changelog\n\n")


def release_json(root: Path, *args: str, code: int | None = None,
                 capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    got = run(["release-check", str(root), "-f", "json", *args])
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    if code is not None:
        assert got == code
    assert (got == 0) is data["ready"]
    return data


def item(data: dict[str, Any], name: str) -> dict[str, Any]:
    """The one item of the report with id ``name``."""
    (found,) = [entry for entry in data["items"] if entry["id"] == name]
    return found


def items(data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {entry["id"]: (entry["status"], entry["message"]) for entry in data["items"]}


def test_a_documented_release_is_ready(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    first_release(builder)
    builder.commit({
        "pkg/core.py": CORE_V1 + '\n\ndef render(value):\n    """Render a value."""\n    return str(value)\n',
        "CHANGELOG.md": changelog("## 1.1.0 - 2024-02-01\n\n- Add `render`.\n- Fix a typo.\n"),
        "docs/usage.md": "# Usage\n\nCall render.\n",
    })
    data = release_json(builder.root, "--version", "1.1.0", code=0, capsys=capsys)
    assert (data["kind"], data["format"], data["since"], data["version"]) == ("release", 1, "v1.0.0", "1.1.0")
    assert data["head"] == builder.commits[-1] and data["since_commit"] == builder.commits[0]
    assert items(data) == {
        "version": ("pass", "releasing 1.1.0 (from --version) after v1.0.0"),
        "changelog": ("pass", "CHANGELOG.md:3 '1.1.0 - 2024-02-01': 2 entries"),
        "docstrings": ("pass", "1 public addition, documented"),
        "breaking": ("pass", "no breaking change found (griffe)"),
        "docs": ("pass", "public API changed (1 added, 0 removed, 0 changed); 1 docs file changed: docs/usage.md"),
    }
    assert data["api"]["added"] == [
        {"path": "pkg.core.render", "kind": "function", "file": "pkg/core.py", "line": 9, "documented": True}]
    assert data["changelog"] == {"path": "CHANGELOG.md", "title": "1.1.0 - 2024-02-01", "line": 3, "entries": 2}
    assert data["docs_changed"] == ["docs/usage.md"]


def test_undocumented_addition_fails_with_file_and_line(builder: RepoBuilder,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    first_release(builder)
    builder.commit({
        "pkg/extra.py": "def helper():\n    return 1\n\n\nclass Tool:\n    def run(self):\n        return 2\n\n"
                        "    def __repr__(self):\n        return 'Tool'\n\n    def _private(self):\n        return 3\n",
        "CHANGELOG.md": changelog("## 1.1.0\n\n- Add helpers.\n"),
        "README.md": "# pkg\n\nNow with helpers.\n",
    })
    data = release_json(builder.root, "--version", "1.1.0", code=1, capsys=capsys)
    docstrings = item(data, "docstrings")
    assert (docstrings["status"], docstrings["message"]) == ("fail", "4 of 4 public additions undocumented")
    assert docstrings["metrics"] == {"added": 4, "undocumented": 4}
    found = [(f["path"], f["line"], f["severity"], f["message"]) for f in docstrings["findings"]]
    assert found == [
        ("pkg/extra.py", None, "error", "module `pkg.extra` added since v1.0.0 has no docstring"),
        ("pkg/extra.py", 1, "error", "function `pkg.extra.helper` added since v1.0.0 has no docstring"),
        ("pkg/extra.py", 5, "error", "class `pkg.extra.Tool` added since v1.0.0 has no docstring"),
        ("pkg/extra.py", 6, "error", "function `pkg.extra.Tool.run` added since v1.0.0 has no docstring"),
    ]
    assert all(len(f["fingerprint"]) == 16 for f in docstrings["findings"])
    assert items(data)["docs"][0] == "pass"  # the README changed


def test_an_undocumented_property_is_asked_for_a_docstring(builder: RepoBuilder,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    # griffe makes a property an attribute, which the gate did not ask for a docstring (the audit's
    # release-documentation check, like interrogate, counts it as a function)
    first_release(builder)
    builder.commit({
        "pkg/shape.py": '"""Shapes."""\n\n\nclass Box:\n    """A box."""\n\n    @property\n    def size(self):\n'
                        '        return 1\n\n    @size.setter\n    def size(self, value):\n        pass\n\n'
                        '    @property\n    def label(self):\n        """The label."""\n        return "box"\n\n'
                        '    colour = "red"\n',
        "CHANGELOG.md": changelog("## 1.1.0\n\n- Add boxes.\n"),
        "README.md": "# pkg\n\nNow with boxes.\n",
    })
    data = release_json(builder.root, "--version", "1.1.0", code=1, capsys=capsys)
    docstrings = item(data, "docstrings")
    assert (docstrings["status"], docstrings["message"]) == ("fail", "1 of 4 public additions undocumented")
    found = [(f["path"], f["line"], f["message"]) for f in docstrings["findings"]]
    assert found == [("pkg/shape.py", 8, "property `pkg.shape.Box.size` added since v1.0.0 has no docstring")]


def test_docstring_min_length_and_warn_level(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    first_release(builder)
    builder.commit({
        "pkg/core.py": CORE_V1 + '\n\ndef render(value):\n    """Render."""\n    return str(value)\n',
        "CHANGELOG.md": changelog("## 1.1.0\n\n- Add render.\n"),
        "README.md": "# pkg\n\nrender\n",
        ".oshealth.toml": "[release.docstrings]\nlevel = \"warn\"\nmin-length = 10\n",
    })
    data = release_json(builder.root, "--version", "1.1.0", code=0, capsys=capsys)
    docstrings = item(data, "docstrings")
    assert docstrings["status"] == "warn"
    assert [(f["line"], f["severity"], f["message"]) for f in docstrings["findings"]] == [
        (9, "warning", "function `pkg.core.render` added since v1.0.0 has a docstring shorter than 10 characters")]


def test_breaking_changes_are_listed_and_checked_against_the_changelog(
    builder: RepoBuilder, capsys: pytest.CaptureFixture[str]
) -> None:
    first_release(builder)
    broken = '"""Core."""\n\n\ndef parse(text):\n    """Parse text."""\n    return text\n'
    builder.commit({"pkg/core.py": broken, "CHANGELOG.md": changelog("## 1.1.0\n\n- Simpler API.\n"),
                    "docs/api.md": "# API\n"})
    data = release_json(builder.root, "--version", "1.1.0", code=0, capsys=capsys)
    breaking = item(data, "breaking")
    assert (breaking["status"], breaking["message"]) == (
        "warn", "1 breaking change, 1 not named in the changelog section")
    assert [(f["path"], f["line"], f["severity"], f["message"]) for f in breaking["findings"]] == [
        ("pkg/core.py", 4, "warning", "breaking: pkg.core.parse(strict): Parameter was removed; "
         "not named in the changelog section")]
    assert data["api"]["breaking"] == [{"path": "pkg.core.parse", "kind": "Parameter was removed",
                                        "description": "pkg.core.parse(strict): Parameter was removed"}]
    # named in the section: listed as a note, the rule passes; at level fail an unnamed break blocks the release
    builder.commit({"CHANGELOG.md": changelog("## 1.1.0\n\n- `parse` no longer takes `strict`.\n")})
    data = release_json(builder.root, "--version", "1.1.0", code=0, capsys=capsys)
    breaking = item(data, "breaking")
    assert breaking["status"] == "pass" and breaking["findings"][0]["severity"] == "note"
    builder.commit({"CHANGELOG.md": changelog("## 1.1.0\n\n- Simpler API.\n"),
                    ".oshealth.toml": "[release.breaking]\nlevel = \"fail\"\n"})
    data = release_json(builder.root, "--version", "1.1.0", code=1, capsys=capsys)
    assert items(data)["breaking"][0] == "fail"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (CHANGELOG_V1, "CHANGELOG.md has no section for 1.1.0"),
        (changelog("## 1.1.0\n\nUnreleased\n"), "the section '1.1.0' for 1.1.0 lists nothing"),
        (changelog("## [1.1.0] - 2024-03-01\n\n"), "the section '[1.1.0] - 2024-03-01' for 1.1.0 lists nothing"),
    ],
)
def test_changelog_section_missing_or_empty(builder: RepoBuilder, capsys: pytest.CaptureFixture[str],
                                            text: str, message: str) -> None:
    first_release(builder)
    builder.commit({"CHANGELOG.md": text})
    data = release_json(builder.root, "--version", "1.1.0", code=1, capsys=capsys)
    assert items(data)["changelog"] == ("fail", message)
    changelog_item = item(data, "changelog")
    assert changelog_item["findings"][0]["path"] == "CHANGELOG.md"
    assert items(data)["docs"] == ("skip", "the public API did not change")


def test_no_changelog_file_and_waiting_fragments(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    builder.commit({"pkg/__init__.py": '"""P."""\n'})
    builder.tag("1.0")
    builder.commit({"changelog.d/12.feature.md": "New thing.\n", "pkg/__init__.py": '"""P, better."""\n'})
    data = release_json(builder.root, "--version", "1.1", code=1, capsys=capsys)
    assert items(data)["changelog"] == (
        "fail", "no changelog file (CHANGELOG.md, CHANGES.rst, HISTORY.md, NEWS...); "
        "1 news fragment waits to be compiled (towncrier build, scriv collect)")


def test_version_from_pyproject_must_be_above_the_last_release(builder: RepoBuilder,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    first_release(builder)
    builder.commit({"pyproject.toml": '[project]\nname = "pkg"\nversion = "1.0.0"\n'})
    data = release_json(builder.root, code=1, capsys=capsys)
    assert data["version"] == "1.0.0" and data["version_source"] == "pyproject.toml"
    assert items(data)["version"] == ("fail", "version 1.0.0 (from pyproject.toml) is not above the last release "
                                              "1.0.0 (v1.0.0); bump it or pass --version")
    builder.commit({"pyproject.toml": '[project]\nname = "pkg"\nversion = "1.0.1"\n',
                    "CHANGELOG.md": changelog("## 1.0.1\n\n- Packaging.\n")})
    data = release_json(builder.root, code=0, capsys=capsys)
    assert items(data)["version"] == ("pass", "releasing 1.0.1 (from pyproject.toml) after v1.0.0")


def test_static_dunder_version_when_pyproject_is_dynamic(builder: RepoBuilder,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    first_release(builder)
    builder.commit({"pyproject.toml": '[project]\nname = "pkg"\ndynamic = ["version"]\n',
                    "pkg/__init__.py": '"""The package."""\n\n__version__ = "1.2.0"\n',
                    "CHANGELOG.md": changelog("Version 1.2.0\n-------------\n\n- Versioned.\n")})
    data = release_json(builder.root, capsys=capsys)
    assert (data["version"], data["version_source"]) == ("1.2.0", "__version__")


def test_unreleased_section_when_no_version_is_known(builder: RepoBuilder,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    first_release(builder)
    builder.commit({"CHANGELOG.md": changelog("## [Unreleased]\n\n- Something.\n")})
    data = release_json(builder.root, code=0, capsys=capsys)
    assert (data["version"], data["version_source"]) == (None, "none")
    assert items(data)["version"][0] == "skip"
    assert items(data)["changelog"] == ("pass", "CHANGELOG.md:3 '[Unreleased]': 1 entry")
    builder.commit({"CHANGELOG.md": CHANGELOG_V1})
    data = release_json(builder.root, code=1, capsys=capsys)
    assert items(data)["changelog"] == ("fail", "CHANGELOG.md has no section marked unreleased")


def test_docs_rule(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    first_release(builder)
    builder.commit({
        "pkg/core.py": CORE_V1 + '\n\ndef render(value):\n    """Render a value."""\n    return str(value)\n',
        "CHANGELOG.md": changelog("## 1.1.0\n\n- Add render.\n"),
        "docs/CHANGELOG.md": "# copy\n",  # a changelog is not documentation
    })
    data = release_json(builder.root, "--version", "1.1.0", code=1, capsys=capsys)
    assert items(data)["docs"] == (
        "fail", "the public API changed (1 added, 0 removed, 0 changed) but nothing under docs/ or the README changed")
    builder.commit({".oshealth.toml": "[release.docs]\nlevel = \"warn\"\n"})
    data = release_json(builder.root, "--version", "1.1.0", code=0, capsys=capsys)
    assert items(data)["docs"][0] == "warn"


def test_last_release_is_the_highest_version_tag_before_head(builder: RepoBuilder,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    first_release(builder, "v1.0.0")
    builder.commit({"pkg/__init__.py": '"""The package, 1.1."""\n'})
    builder.tag("latest")  # not a version
    builder.tag("v1.1.0")
    builder.tag("v2.0.0rc1")  # a pre-release: passed over while there are final releases
    git(builder.root, "checkout", "-q", "-b", "other")
    builder.commit({"pkg/__init__.py": '"""Another line of work."""\n'})
    builder.tag("v9.0.0")  # not an ancestor of main
    git(builder.root, "checkout", "-q", "main")
    builder.commit({"pkg/__init__.py": '"""The package, 1.2."""\n'})
    builder.tag("v1.2.0")  # on HEAD: the release being checked, not the one before it
    data = release_json(builder.root, "--version", "1.2.0", capsys=capsys)
    assert (data["since"], data["since_commit"]) == ("v1.1.0", builder.commits[1])
    data = release_json(builder.root, "--since", "v1.0.0", "--version", "1.2.0", capsys=capsys)
    assert (data["since"], data["since_commit"]) == ("v1.0.0", builder.commits[0])


def test_odd_tag_names(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    first_release(builder, "release-1.0")
    builder.commit({"pkg/__init__.py": '"""Next."""\n'})
    builder.tag("nightly")
    builder.tag("pkg@1.0.5")  # a prefixed version: the latest release
    builder.commit({"CHANGELOG.md": changelog("## 1.1.0\n\n- More.\n")})
    data = release_json(builder.root, "--version", "v1.1.0", code=0, capsys=capsys)
    assert (data["since"], data["version"]) == ("pkg@1.0.5", "1.1.0")
    assert items(data)["version"] == ("pass", "releasing 1.1.0 (from --version) after pkg@1.0.5")


def test_no_release_tag_is_a_usage_error(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    builder.commit({"a.py": '"""A."""\n'})
    builder.tag("latest")
    assert run(["release-check", str(builder.root)]) == 2
    assert capsys.readouterr().err == (
        "oshealth: error: no release tag (a tag named as a version) before HEAD; name the last release with "
        "--since TAG\n")


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--since", "v9.9"], "oshealth: error: unknown revision 'v9.9' (a shallow clone may lack it: "
                              "fetch-depth: 0)\n"),
        (["--version", "banana"], "oshealth: error: --version 'banana': not a version (such as 1.2.0)\n"),
    ],
)
def test_bad_since_or_version(builder: RepoBuilder, capsys: pytest.CaptureFixture[str], args: list[str],
                              error: str) -> None:
    first_release(builder)
    assert run(["release-check", str(builder.root), *args]) == 2
    assert capsys.readouterr().err == error


def test_bad_release_config_is_a_usage_error(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    first_release(builder)
    builder.commit({".oshealth.toml": "[release.docs]\nlevel = \"maybe\"\n"})
    assert run(["release-check", str(builder.root)]) == 2
    assert capsys.readouterr().err == (
        "oshealth: error: .oshealth.toml: release.docs.level must be one of fail, warn, off, not 'maybe'\n")


def test_terminal_and_markdown_reports(builder: RepoBuilder, capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    first_release(builder)
    builder.commit({"pkg/x_<b>@me #1.py": "def f():\n    return 1\n", "pkg/broken.py": "def g(:\n"})
    assert run(["release-check", str(builder.root), "--version", "1.1.0"]) == 1
    text = capsys.readouterr().out
    assert text.splitlines()[-1] == "Release check: NOT ready to release 1.1.0"
    assert "FAIL  Changelog section: CHANGELOG.md has no section for 1.1.0" in text
    out = tmp_path / "out"
    out.mkdir()
    code = run(["release-check", str(builder.root), "--version", "1.1.0", "-f", "markdown", "-f", "json",
                "-f", "terminal", "--output-dir", str(out)])
    assert code == 1 and capsys.readouterr().out == ""
    assert sorted(p.name for p in out.iterdir()) == ["release.json", "release.md", "release.txt"]
    page = (out / "release.md").read_text(encoding="utf-8")
    assert page.startswith("## oshealth release-check: ❌ NOT ready to release 1.1.0\n")
    assert "| Changelog section | ❌ fail | CHANGELOG.md has no section for 1.1.0 |" in page
    assert "<details open>" in page and "\n</details>" in page
    # repository text in code spans: no markup, no mention, no issue link; a file griffe cannot parse is no API
    assert ("- **error** `pkg/x_<b>@me #1.py:1` function `pkg.x_<b>@me #1.f` added since v1.0.0 has no docstring\n"
            in page)
    assert "broken" not in page
    assert json.loads((out / "release.json").read_text(encoding="utf-8"))["ready"] is False


def test_another_products_tags_are_passed_over(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    # pydantic's shape: core-v2.46.0 (pydantic-core, in the same repository) is above v1.0.0 and on HEAD's history
    first_release(builder)
    builder.commit({"core/x.py": "def f():\n    return 1\n"})
    builder.tag("core-v2.46.0")
    builder.commit({"CHANGELOG.md": changelog("## 1.0.1\n\n- Fix.\n")})
    data = release_json(builder.root, "--version", "1.0.1", code=0, capsys=capsys)
    assert (data["since"], items(data)["version"][0]) == ("v1.0.0", "pass")
    builder.tag("core-v2.47.0")  # HEAD tagged as the other product: its own family's release came before
    data = release_json(builder.root, "--version", "2.47.0", capsys=capsys)
    assert data["since"] == "core-v2.46.0"


def test_version_from_heads_tag_and_the_release_before_it_by_version(
    builder: RepoBuilder, capsys: pytest.CaptureFixture[str]
) -> None:
    # black's and requests' shape: no static version, the tag names it; flask's: 1.1.0 was tagged on a release
    # commit that HEAD's history does not hold (2.3.3 is the last ancestor tag of 3.0.1, 3.0.0 is not one)
    first_release(builder)
    base = builder.commits[-1]
    git(builder.root, "checkout", "-q", "-b", "release", base)
    builder.commit({"CHANGELOG.md": changelog("## 1.1.0\n\n- Released from a branch.\n")})
    builder.tag("1.1.0")
    git(builder.root, "checkout", "-q", "main")
    builder.commit({"CHANGELOG.md": changelog("## 1.1.1\n\n- Fix.\n\n## 1.1.0\n\n- Released from a branch.\n")})
    data = release_json(builder.root, capsys=capsys)  # not tagged yet: no version known, the last ancestor
    assert (data["since"], data["version"], data["version_source"]) == ("v1.0.0", None, "none")
    builder.tag("v1.1.1")
    data = release_json(builder.root, code=0, capsys=capsys)
    assert (data["since"], data["version"], data["version_source"]) == ("1.1.0", "1.1.1", "tag")
    assert items(data)["version"] == ("pass", "releasing 1.1.1 (from tag) after 1.1.0")
    assert items(data)["changelog"] == ("pass", "CHANGELOG.md:3 '1.1.1': 1 entry")
    data = release_json(builder.root, "--version", "1.1.0", capsys=capsys)  # no release between: the ancestor
    assert data["since"] == "v1.0.0"


def test_annotations_and_the_version_string_are_no_api_change_for_the_docs(
    builder: RepoBuilder, capsys: pytest.CaptureFixture[str]
) -> None:
    # requests 2.34.1 fixed type hints and pydantic 2.13.1 only bumped VERSION: no docs to update
    base = '"""P."""\nVERSION = "1.0.0"\n\n\ndef get(url, timeout=None):\n    """Get."""\n\n\nclass S:\n' \
           '    """S."""\n\n    retries = 3\n'
    builder.commit({"pkg/__init__.py": base, "CHANGELOG.md": CHANGELOG_V1})
    builder.tag("v1.0.0")
    hinted = base.replace('"1.0.0"', '"1.0.1"').replace("retries = 3", "retries: int = 3")
    hinted = hinted.replace("get(url, timeout=None)", "get(url: str, timeout: float | None = None) -> bytes")
    builder.commit({"pkg/__init__.py": hinted, "CHANGELOG.md": changelog("## 1.0.1\n\n- Fix hints.\n")})
    data = release_json(builder.root, "--version", "1.0.1", code=0, capsys=capsys)
    assert len(data["api"]["changed"]) == 3
    assert items(data)["docs"] == (
        "skip", "the public API did not change (only type annotations or the version string)")
    changed = hinted.replace("timeout: float | None = None", "timeout: float | None = 5").replace("= 3", "= 4")
    builder.commit({"pkg/__init__.py": changed})
    data = release_json(builder.root, "--version", "1.0.1", code=1, capsys=capsys)
    assert items(data)["docs"] == (
        "fail", "the public API changed (0 added, 0 removed, 2 changed) but nothing under docs/ or the README changed")


def test_a_prerelease_is_described_by_its_final_versions_or_the_unreleased_section(
    builder: RepoBuilder, capsys: pytest.CaptureFixture[str]
) -> None:
    # black 26.1a1 shipped with its notes under "## Unreleased" (they became 26.1.0's)
    first_release(builder)
    builder.commit({"CHANGELOG.md": changelog("## Unreleased\n\n- New style.\n")})
    builder.tag("1.1a1")
    data = release_json(builder.root, code=0, capsys=capsys)
    assert (data["version"], data["version_source"]) == ("1.1a1", "tag")
    assert items(data)["changelog"] == ("pass", "CHANGELOG.md:3 'Unreleased': 1 entry")
    for section, title in (("## 1.1.0\n\n- New style.\n", "1.1.0"), ("## 1.1.0a1\n\n- New style.\n", "1.1.0a1")):
        text = changelog("## Unreleased\n\n- Later.\n\n" + section)
        found = notes.find({"CHANGELOG.md": text}, "1.1a1")
        assert found is not None and found.section.title == title
    assert notes.find({"CHANGELOG.md": changelog("## Unreleased\n\n- New.\n")}, "1.1.0") is None  # finals: own only


def test_overrides_of_documented_methods_are_documented(builder: RepoBuilder,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    # click 8.5.0 added Argument.to_info_dict, overriding the documented Parameter.to_info_dict (another class,
    # here another module of the package): documented, as inspect.getdoc and Sphinx show it
    first_release(builder)
    builder.commit({
        "pkg/base.py": '"""Bases."""\n\n\nclass Base:\n    """A base."""\n\n    def info(self):\n'
                       '        """Describe it."""\n        return {}\n\n    def bare(self):\n        return 0\n',
        "pkg/kids.py": '"""Kids."""\n\nfrom pkg.base import Base\n\n\nclass Kid(Base):\n    """A kid."""\n\n'
                       "    def info(self):\n        return {'kid': 1}\n\n    def bare(self):\n        return 1\n",
        "CHANGELOG.md": changelog("## 1.1.0\n\n- Kids.\n"),
        "README.md": "# pkg\n\nKids.\n",
    })
    data = release_json(builder.root, "--version", "1.1.0", code=1, capsys=capsys)
    docstrings = item(data, "docstrings")
    assert docstrings["message"] == "2 of 8 public additions undocumented"
    assert [f["message"] for f in docstrings["findings"]] == [
        "function `pkg.base.Base.bare` added since v1.0.0 has no docstring",
        "function `pkg.kids.Kid.bare` added since v1.0.0 has no docstring",
    ]
    assert {a["path"]: a["documented"] for a in data["api"]["added"]}["pkg.kids.Kid.info"] is True
