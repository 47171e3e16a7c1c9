"""The ``release-documentation`` check, release tags and release notes, on repositories built in the tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from oshealth.checks.release_documentation import ReleaseDocumentation

from oshealth.git import Tag
from oshealth.models import Status
from oshealth.release import notes, tags
from tests.factsutil import collect
from tests.gitrepo import RepoBuilder, git

CORE = '"""Core."""\n\n\ndef parse(text):\n    """Parse text."""\n    return text\n'


def changelog(*versions: str, body: str = "- Changes.\n") -> str:
    return "# Changelog\n\n" + "".join(f"## {v}\n\n{body}\n" for v in reversed(versions))


def three_releases(builder: RepoBuilder) -> None:
    """v1.0.0 documented; v1.1.0 adds an undocumented function; v1.2.0 has no changelog section."""
    builder.commit({"pkg/__init__.py": '"""The package."""\n', "pkg/core.py": CORE,
                    "CHANGELOG.md": changelog("1.0.0")})
    builder.tag("v1.0.0")
    builder.commit({"pkg/core.py": CORE + "\n\ndef render(value):\n    return str(value)\n",
                    "CHANGELOG.md": changelog("1.0.0", "1.1.0")})
    builder.tag("v1.1.0", "annotated")
    builder.commit({"pkg/fmt.py": '"""Formatting."""\n\n\ndef fmt(value):\n    """Format."""\n    return value\n'})
    builder.tag("v1.2.0")


def evaluate(root: Path, **options: object) -> object:
    facts = collect(root, {"checks": {"release-documentation": options}} if options else None)
    return ReleaseDocumentation(options).evaluate(facts)


def test_three_releases(builder: RepoBuilder) -> None:
    three_releases(builder)
    builder.commit({"pkg/core.py": CORE + "\n\ndef later():\n    return 1\n"})  # unreleased work is not judged
    result = evaluate(builder.root)
    assert (result.status, result.score) == (Status.FAIL, 6.67)  # 10 * (1 + 0.5 + 0.5) / 3
    assert result.reason == "1 of 3 recent releases shipped documented (changelog entry, docstrings on additions)"
    assert result.metrics == {
        "releases_judged": 3,
        "releases_documented": 1,
        "documented_share": 0.33,
        "undocumented_additions": 1,
        "releases": [
            {"tag": "v1.0.0", "added": 3, "undocumented": 0, "changelog_entry": True},
            {"tag": "v1.1.0", "added": 1, "undocumented": 1, "changelog_entry": True},
            {"tag": "v1.2.0", "added": 2, "undocumented": 0, "changelog_entry": False},
        ],
    }
    assert sorted((f.rule, f.message) for f in result.findings) == [
        ("changelog-entry", "v1.2.0 shipped without a changelog section for 1.2.0"),
        ("undocumented-addition",
         "v1.1.0 added function pkg.core.render without a docstring (pkg/core.py:9 at the tag)"),
    ]


def test_releases_option_reads_the_last_n(builder: RepoBuilder) -> None:
    three_releases(builder)
    result = evaluate(builder.root, releases=2)
    assert result.score == 5.0  # v1.1.0 (1 + 0) / 2 and v1.2.0 (0 + 1) / 2; v1.0.0 is only the baseline
    assert [row["tag"] for row in result.metrics["releases"]] == ["v1.1.0", "v1.2.0"]
    assert result.metrics["releases"][0]["added"] == 1  # against v1.0.0, not everything


def test_a_fully_documented_history_scores_ten(builder: RepoBuilder) -> None:
    builder.commit({"pkg/__init__.py": '"""P."""\n', "CHANGES.rst": "Version 1.0\n-----------\n\n- First.\n"})
    builder.tag("v1.0.0")  # "Version 1.0" names 1.0.0 (PEP 440)
    result = evaluate(builder.root)
    assert (result.status, result.score, result.metrics["documented_share"]) == (Status.PASS, 10.0, 1.0)
    assert result.findings == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (changelog("1.0.0", body="Unreleased\n"), "v1.0.0 shipped with an empty changelog section for 1.0.0 "
                                                  "(CHANGELOG.md)"),
        (None, "v1.0.0 shipped with no changelog file"),
    ],
)
def test_empty_or_missing_changelog(builder: RepoBuilder, text: str | None, message: str) -> None:
    builder.commit({"pkg/__init__.py": '"""P."""\n', **({"CHANGELOG.md": text} if text else {})})
    builder.tag("v1.0.0")
    result = evaluate(builder.root)
    assert result.score == 5.0
    assert [f.message for f in result.findings] == [message]


def test_maintenance_release_follows_its_own_line(builder: RepoBuilder) -> None:
    builder.commit({"pkg/__init__.py": '"""P."""\n', "CHANGELOG.md": changelog("1.0.0")})
    builder.tag("v1.0.0")
    base = builder.commits[-1]
    builder.commit({"pkg/new.py": '"""New."""\n', "CHANGELOG.md": changelog("1.0.0", "1.1.0")})
    builder.tag("v1.1.0")
    git(builder.root, "checkout", "-q", "-b", "maint", base)
    builder.commit({"pkg/fix.py": "def patch():\n    return 1\n", "CHANGELOG.md": changelog("1.0.0", "1.0.1")})
    builder.tag("v1.0.1")  # tagged after v1.1.0, but it follows v1.0.0
    git(builder.root, "checkout", "-q", "main")
    rows = evaluate(builder.root).metrics["releases"]
    assert rows == [
        {"tag": "v1.0.0", "added": 1, "undocumented": 0, "changelog_entry": True},
        {"tag": "v1.0.1", "added": 2, "undocumented": 2, "changelog_entry": True},  # module and function
        {"tag": "v1.1.0", "added": 1, "undocumented": 0, "changelog_entry": True},
    ]


def test_prereleases_and_other_tags_are_not_releases(builder: RepoBuilder) -> None:
    builder.commit({"pkg/__init__.py": '"""P."""\n', "CHANGELOG.md": changelog("1.0.0")})
    builder.tag("v1.0.0")
    builder.commit({"pkg/__init__.py": '"""P2."""\n'})
    builder.tag("v2.0.0rc1")
    builder.tag("latest")
    assert [row["tag"] for row in evaluate(builder.root).metrics["releases"]] == ["v1.0.0"]


def test_no_release_tags_is_not_applicable(builder: RepoBuilder) -> None:
    builder.commit({"a.py": '"""A."""\n'})
    builder.tag("stable")
    result = evaluate(builder.root)
    assert (result.status, result.score) == (Status.NOT_APPLICABLE, None)
    assert result.reason == "no release tags (tags named as versions, such as v1.2.0)"


def test_shallow_clone_is_inconclusive(builder: RepoBuilder, tmp_path: Path) -> None:
    three_releases(builder)
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{builder.root}", str(clone))
    facts = collect(clone)
    assert facts.is_shallow and facts.release_history is None
    result = ReleaseDocumentation().evaluate(facts)
    assert result.status == Status.INCONCLUSIVE
    assert "fetch-depth: 0" in result.reason


def test_history_is_read_only_for_the_check(builder: RepoBuilder) -> None:
    three_releases(builder)
    assert collect(builder.root, {"select": ["activity"]}).release_history is None
    history = collect(builder.root).release_history
    assert history is not None and history.release_tags == 3
    assert [r.previous for r in history.releases] == [None, "v1.0.0", "v1.1.0"]
    assert list(history.releases[1].changelogs) == ["CHANGELOG.md"]


def test_release_tags_one_per_version_ordered_by_version() -> None:
    found = tags.releases([Tag("v1.0", "a", 10), Tag("1.0.0", "b", 20), Tag("v0.9", "c", 30), Tag("x", "d", 5),
                           Tag("v1.1rc1", "e", 40)])
    assert [r.tag.name for r in found] == ["v0.9", "1.0.0"]
    assert tags.previous(found[1], found) == found[0] and tags.previous(found[0], found) is None


def test_notes_content_entries_and_mentions() -> None:
    text = ("Version 2.0\n-----------\n\nReleased 2024-11-14\n\n-   Add ``Tool``.\n    -   nested\n"
            "-   ``Runner(mix)`` removed.\n\nVersion 1.0\n-----------\n\n(unreleased)\n")
    found = notes.find({"CHANGES.rst": text}, "2.0.0")
    assert found is not None and found.entries == 2 and found.section.start_line == 1
    assert notes.mentions(found, "pkg.Runner.__init__") and notes.mentions(found, "pkg.Tool")
    assert not notes.mentions(found, "pkg.Too")
    empty = notes.find({"CHANGES.rst": text}, "1.0")
    assert empty is not None and empty.is_empty
    assert notes.content_lines("**Unreleased**\n\nNot released yet\n_Released on March 2, 2023_\n") == ()
