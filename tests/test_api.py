"""Public API snapshots with griffe (static, from git objects) and changelog parsing."""

from __future__ import annotations

from oshealth import api, api_diff, changelog
from oshealth.git import GitRepository
from tests.gitrepo import RepoBuilder

PKG_V1 = {
    "pyproject.toml": "[project]\nname = 'pkg'\n",
    "src/pkg/__init__.py": '"""Pkg."""\n\nfrom pkg.core import run\n\n__all__ = ["run"]\n',
    "src/pkg/core.py": (
        '"""Core."""\n\n\ndef run(name, verbose=False):\n    """Run."""\n    return name\n\n\n'
        "def helper(x):\n    return x\n\n\nclass Tool:\n    \"\"\"A tool.\"\"\"\n\n"
        "    def use(self, a, b):\n        return a + b\n"
    ),
    "src/pkg/_private.py": "def hidden():\n    return 1\n",
    "tests/test_core.py": "def test_run():\n    assert 1 + 1 == 2\n",
}


def _repo(builder: RepoBuilder) -> GitRepository:
    return GitRepository(builder.root)


def test_snapshot_lists_public_objects_with_files_and_lines(builder: RepoBuilder) -> None:
    builder.commit(PKG_V1)
    snap = api.snapshot(_repo(builder), "HEAD")
    assert sorted(snap.objects) == [
        "pkg",
        "pkg.core",
        "pkg.core.Tool",
        "pkg.core.Tool.use",
        "pkg.core.helper",
        "pkg.core.run",
    ]
    run = snap.objects["pkg.core.run"]
    assert (run.kind, run.file, run.line, run.end_line) == ("function", "src/pkg/core.py", 4, 6)
    assert run.signature == "run(name, verbose=False)"
    assert run.docstring == "Run."
    assert snap.objects["pkg.core.helper"].docstring is None
    assert snap.objects["pkg.core.Tool"].signature == "class Tool"
    assert snap.errors == []


def test_snapshot_never_touches_the_work_tree(builder: RepoBuilder) -> None:
    first = builder.commit(PKG_V1)
    builder.commit({"src/pkg/core.py": '"""Core."""\n\ndef other():\n    """O."""\n'})
    (builder.root / "src/pkg/core.py").write_text("garbage that is not python (\n")
    snap = api.snapshot(_repo(builder), first)
    assert "pkg.core.run" in snap.objects
    assert (builder.root / "src/pkg/core.py").read_text() == "garbage that is not python (\n"


def test_compare_finds_added_removed_changed_and_breaking(builder: RepoBuilder) -> None:
    base = builder.commit(PKG_V1)
    head = builder.commit(
        {
            "src/pkg/core.py": (
                '"""Core."""\n\n\ndef run(name):\n    """Run."""\n    return name\n\n\n'
                'def fresh():\n    """New."""\n'
            )
        }
    )
    repo = _repo(builder)
    changes = api_diff.compare(api.snapshot(repo, base), api.snapshot(repo, head))
    assert [o.path for o in changes.added] == ["pkg.core.fresh"]
    assert [o.path for o in changes.removed] == ["pkg.core.Tool", "pkg.core.Tool.use", "pkg.core.helper"]
    assert [(a.signature, b.signature) for a, b in changes.changed] == [("run(name, verbose=False)", "run(name)")]
    descriptions = sorted(b.description for b in changes.breaking)
    assert descriptions == [
        "pkg.core.Tool: Public object was removed",
        "pkg.core.helper: Public object was removed",
        "pkg.core.run(verbose): Parameter was removed",
    ]
    removed_param = next(b for b in changes.breaking if b.kind == "Parameter was removed")
    target, description = removed_param
    assert isinstance(target, api.ApiObject)
    assert (target.file, target.line) == ("src/pkg/core.py", 4)


def test_syntax_error_and_odd_names_do_not_crash(builder: RepoBuilder) -> None:
    builder.commit(
        {
            "pkg/__init__.py": '"""P."""\n',
            "pkg/broken.py": "def f(:\n",
            "pkg/sp ace.py": "def g():\n    pass\n",
            "pkg/ok.py": "def h():\n    pass\n",
            "setup.py": "def setup_helper():\n    pass\n",
        }
    )
    snap = api.snapshot(_repo(builder), "HEAD")
    assert "pkg.ok.h" in snap.objects
    assert "pkg.broken" not in snap.objects
    assert not any(path.startswith("setup") for path in snap.objects)


def test_package_roots_prefers_src_layout() -> None:
    assert api.package_roots(["src/a/__init__.py", "b/__init__.py", "src/m.py"]) == {"a": "src", "m": "src"}
    flat = ["b/__init__.py", "tests/__init__.py", "docs/__init__.py", "mod.py", "setup.py", "test_x.py"]
    assert api.package_roots(flat) == {"b": "", "mod": ""}


def test_snapshot_limited_to_packages(builder: RepoBuilder) -> None:
    builder.commit({"a/__init__.py": "def fa():\n    pass\n", "b/__init__.py": "def fb():\n    pass\n"})
    snap = api.snapshot(_repo(builder), "HEAD", packages={"b"})
    assert sorted(snap.objects) == ["b", "b.fb"]


MD_LOG = """# Changelog

## [Unreleased]

### Added
- thing

## [1.2.0] - 2024-03-01

- fix

## 1.1.0

- old
"""

RST_LOG = """Version 2.1.0
-------------

Unreleased

-   Something.

Version 2.0.0
-------------

Released 2024-01-01

-   Else.
"""


def test_sections_markdown() -> None:
    found = changelog.sections(MD_LOG, "CHANGELOG.md")
    assert [(s.title, s.version, s.is_unreleased, s.start_line, s.end_line) for s in found] == [
        ("[Unreleased]", None, True, 3, 7),
        ("[1.2.0] - 2024-03-01", "1.2.0", False, 8, 11),
        ("1.1.0", "1.1.0", False, 12, 14),
    ]
    assert found[0].body == "### Added\n- thing"
    assert [s.title for s in changelog.sections_touched(found, {5})] == ["[Unreleased]"]


def test_sections_rst() -> None:
    found = changelog.sections(RST_LOG, "CHANGES.rst")
    assert [(s.version, s.is_unreleased, s.start_line, s.end_line) for s in found] == [
        ("2.1.0", True, 1, 7),
        ("2.0.0", False, 8, 13),
    ]
    assert found[1].body.startswith("Released 2024-01-01")


def test_sections_without_versions_and_dev_titles() -> None:
    assert changelog.sections("# Notes\n\nnothing\n", "NEWS.md") == []
    text = "History\n=======\n\ndev\n---\n\n- x\n\n2.0 (2020-01-01)\n----------------\n"
    found = changelog.sections(text, "HISTORY.rst")
    assert [(s.title, s.version, s.is_unreleased) for s in found] == [
        ("dev", None, True),
        ("2.0 (2020-01-01)", "2.0", False),
    ]
    dev = changelog.sections("## 3.0.0.dev1\n\n- y\n", "CHANGES.md")
    assert [(s.version, s.is_unreleased) for s in dev] == [("3.0.0.dev1", True)]


CONVENTIONAL_LOG = """\
## [1.1.1](https://example.invalid/compare/v1.1.0...v1.1.1) (2022-01-03)

### Bug Fixes

* patch two

# [1.1.0 Codename](https://example.invalid/compare/v1.0.0...v1.1.0) (2022-01-02)

### Features

* minor

## [1.0.1](https://example.invalid/compare/v1.0.0...v1.0.1) (2022-01-01)

* patch one
"""


def test_sections_of_conventional_changelog_keep_patch_releases_below_minor_ones() -> None:
    found = changelog.sections(CONVENTIONAL_LOG, "CHANGELOG.md")
    expected = [("1.1.1", 1, 6), ("1.1.0", 7, 12), ("1.0.1", 13, 15)]
    assert [(s.version, s.start_line, s.end_line) for s in found] == expected
    assert found[1].body == "### Features\n\n* minor"


def test_deeper_headings_that_only_mention_a_version_stay_inside_their_release() -> None:
    text = (
        "## v2.0.0 (2024-02-01)\n\nhighlights\n\n### v2.0.0 (2024-02-01) Changes\n\n* a\n\n"
        "### Python 3.12 support\n\n* b\n\n### 2.0 migration guide\n\n* c\n\n"
        "### v2.0.0b1 (2024-01-01) Changes\n\n* d\n\n## v1.0.0 (2023-01-01)\n\n* e\n"
    )
    found = changelog.sections(text, "HISTORY.md")
    assert [(s.version, s.start_line, s.end_line) for s in found] == [("2.0.0", 1, 16), ("2.0.0b1", 17, 20),
                                                                        ("1.0.0", 21, 23)]


def test_find_changelogs_and_fragments() -> None:
    paths = ["CHANGES.rst", "docs/changelog.md", "src/x/news.py", "HISTORY", "docs/api/changelog.md", "README.md"]
    assert changelog.find_changelogs(paths) == ["CHANGES.rst", "HISTORY", "docs/changelog.md"]
    frags = [
        "changelog.d/123.feature.md",
        "changelog.d/template.md",
        "newsfragments/.gitignore",
        "src/pkg/newsfragments/1.bugfix",
        "changes/4.rst",
        "x/changes/4.rst",
    ]
    expected = ["changelog.d/123.feature.md", "changes/4.rst", "src/pkg/newsfragments/1.bugfix"]
    assert changelog.fragments(frags) == expected
    assert changelog.fragments(["custom/5.added"], extra_dirs=["custom"]) == ["custom/5.added"]



SESSIONS_V1 = '''"""Sessions."""

import typing as t
from collections.abc import MutableMapping

from pkg.store import Store


class Mixin(MutableMapping[str, t.Any]):
    """Session behaviour."""

    accessed = True


class Session(Store, Mixin):
    """A session."""

    accessed = False

    def get(self, key, default=None):
        """Get a key."""
        return default

    def setdefault(self, key, default=None):
        return default

    def clear(self):
        """Clear it."""

    def __repr__(self):
        return "Session"

    def close(self):
        """Close it."""


class Null(Session):
    """Never stores."""


class Plain:
    """No base."""

    def __del__(self):
        pass

    def shut(self):
        """Shut it."""
'''
_GONE = ("    accessed = False\n\n",
         '    def get(self, key, default=None):\n        """Get a key."""\n        return default\n\n',
         "    def setdefault(self, key, default=None):\n        return default\n\n",
         '    def __repr__(self):\n        return "Session"\n\n', '    def clear(self):\n        """Clear it."""\n\n',
         "    def __del__(self):\n        pass\n\n")
SESSIONS_V2 = SESSIONS_V1.replace('    def close(self):\n        """Close it."""\n', "    pass\n").replace(
    '    def shut(self):\n        """Shut it."""\n', "    pass\n")
for _block in _GONE:
    SESSIONS_V2 = SESSIONS_V2.replace(_block, "")


def test_an_override_removed_is_still_inherited(builder: RepoBuilder) -> None:
    # flask 3.1.3 removed SecureCookieSession.get/setdefault/__getitem__ and its `accessed`: MutableMapping and the
    # session mixin still provide them, so instances still have each name
    store = '"""Stores."""\n\n\nclass Store:\n    """A store."""\n\n    def clear(self):\n        """Empty it."""\n'
    base = builder.commit({**PKG_V1, "src/pkg/store.py": store, "src/pkg/sessions.py": SESSIONS_V1})
    head = builder.commit({"src/pkg/sessions.py": SESSIONS_V2})
    repo = _repo(builder)
    changes = api_diff.compare(api.snapshot(repo, base), api.snapshot(repo, head))
    # close and shut are gone for good, and __del__, which object does not define, too
    assert [o.path for o in changes.removed] == [
        "pkg.sessions.Plain.__del__", "pkg.sessions.Plain.shut", "pkg.sessions.Session.close"]
    assert sorted(b.description for b in changes.breaking) == [
        "pkg.sessions.Null.close: Public object was removed",
        "pkg.sessions.Plain.__del__: Public object was removed",
        "pkg.sessions.Plain.shut: Public object was removed",
        "pkg.sessions.Session.close: Public object was removed",
    ]
