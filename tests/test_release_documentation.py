"""The ``release-documentation`` check, release tags and release notes, on repositories built in the tests."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

import pytest
from oshealth.checks.release_documentation import ReleaseDocumentation

from oshealth.analysis import docstrings
from oshealth.analysis.public_api import is_public
from oshealth.git import Tag
from oshealth.models import CheckResult, Status
from oshealth.release import additions as additions_module
from oshealth.release import gate, notes, outline, tags
from oshealth.release.outline import Definition
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


def evaluate(root: Path, **options: object) -> CheckResult:
    facts = collect(root, {"checks": {"release-documentation": options}} if options else None)
    result: CheckResult = ReleaseDocumentation(options).evaluate(facts)
    return result


def release_rows(result: CheckResult) -> list[dict[str, Any]]:
    rows = result.metrics["releases"]
    assert isinstance(rows, list)
    return rows


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
    assert [row["tag"] for row in release_rows(result)] == ["v1.1.0", "v1.2.0"]
    assert release_rows(result)[0]["added"] == 1  # against v1.0.0, not everything


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
    rows = release_rows(evaluate(builder.root))
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
    assert [row["tag"] for row in release_rows(evaluate(builder.root))] == ["v1.0.0"]


def test_a_project_without_python_is_judged_on_its_changelog_alone(builder: RepoBuilder) -> None:
    # Regression: a JavaScript project got half marks for "docstrings on additions" it cannot have
    # (vuejs/vue, aserg-ufmg/Truck-Factor: "0 of 5 recent releases shipped documented" scored 5.0).
    builder.commit({"index.js": "module.exports = 1;\n", "CHANGELOG.md": changelog("1.0.0")})
    builder.tag("v1.0.0")
    builder.commit({"index.js": "module.exports = 2;\n"})
    builder.tag("v1.1.0")
    builder.commit({"index.js": "module.exports = 3;\n"})
    builder.tag("v1.2.0")
    result = evaluate(builder.root)
    assert (result.status, result.score) == (Status.FAIL, 3.33)  # 10 * (1 + 0 + 0) / 3
    assert result.reason == "1 of 3 recent releases shipped a changelog entry (no Python code: no docstrings)"
    assert [row["changelog_entry"] for row in release_rows(result)] == [True, False, False]


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


# The outline of a file (its public classes and functions, read without parsing) against the AST.

def ast_outline(text: str) -> frozenset[Definition]:
    """What the AST says: docstring records filtered by the docstring-coverage rule (module left out)."""
    nodes = docstrings.analyse(ast.parse(text), "mod.py")
    kinds = {"ClassDef": "class", "FunctionDef": "function", "AsyncFunctionDef": "function"}
    return frozenset(Definition(n.qualname, kinds[n.node_type]) for i, n in enumerate(nodes)
                     if n.node_type in kinds and is_public(nodes, i, "pkg/mod.py"))


def defs(*spec: str) -> frozenset[Definition]:
    """``"c:A"`` is class A, ``"f:A.g"`` function A.g."""
    return frozenset(Definition(s[2:], {"c": "class", "f": "function"}[s[0]]) for s in spec)


OUTLINES = [
    # nesting, private names, functions hide everything inside them
    ("class A:\n    def m(self): pass\n    class B:\n        def n(self): pass\n    def _p(self): pass\n"
     "def f():\n    def inner(): pass\n    class Local: pass\nclass _Hidden:\n    def m(self): pass\n"
     "async def g(): pass\ndef __dunder__(): pass\n",
     defs("c:A", "f:A.m", "c:A.B", "f:A.B.n", "f:f", "f:g", "f:__dunder__")),
    # blocks do not nest definitions; a class body ends at the first line indented no deeper
    ("if X:\n    def f(): pass\nelse:\n    class C:\n        try:\n            def m(self): pass\n"
     "        except E:\n            pass\nclass D:\n    x = 1\nif Y:\n    def g(): pass\n"
     "match v:\n    case 1:\n        def h(): pass\nwith cm:\n    class W:\n        def w(self): pass\n",
     defs("f:f", "c:C", "f:C.m", "c:D", "f:g", "f:h", "c:W", "f:W.w")),
    # definitions inside strings and comments are text; quotes inside comments and strings are no strings
    ('class A:\n    """Doc.\n\ndef fake(): pass\nclass Fake: pass\n"""\n    # it\'s "here"\n    s = \'\'\'\n'
     'def fake2(): pass\n\'\'\'\n    def real(self): pass\nx = "def nope(): pass"  # class Nope:\n'
     "y = r'\\'' + '\\\\'\ndef after(): pass\n",
     defs("c:A", "f:A.real", "f:after")),
    # lines inside brackets continue a logical line even at column 0; backslash continuations too
    ("class A:\n    s = 'a' \\\n        'b' \\\n        'c'\n    t = f(\n        'c' \\\n        'd')\n"
     "    def m(self): pass\ndef f(): pass\n",
     defs("c:A", "f:A.m", "f:f")),
    ("class A:\n    x = [\n1, 2,\n]\n    def m(self): pass\n    y = f(a,\nb)\n    def \\\n  n(self): pass\n"
     "z = {\n    'k': (1,\n2)}\ndef top(): pass\n",
     defs("c:A", "f:A.m", "f:A.n", "f:top")),
    # decorators, one-line bodies, tabs (to the next multiple of 8), identifiers normalized by NFKC
    ("@dec\nclass A: pass\n@dec(x)\ndef f(): return 1\n"
     "class T:\n\tdef m(self): pass\n\tclass In:\n\t    def n(self): pass\n\tdef o(self): pass\n"
     "def \uff46\uff49(): pass\n",
     defs("c:A", "f:f", "c:T", "f:T.m", "c:T.In", "f:T.In.n", "f:T.o", "f:fi")),
]


@pytest.mark.parametrize(("text", "expected"), OUTLINES)
def test_outline_names_what_the_ast_names(text: str, expected: frozenset[Definition]) -> None:
    assert ast_outline(text) == expected
    assert outline.public_definitions(text) == expected


@pytest.mark.parametrize("text", [
    "class A:\r\n    def m(self): pass\r\n",  # carriage returns end lines too
    "class A:\n\x0c    def m(self): pass\n",  # a form feed resets the indentation
    "\ufeffdef f(): pass\n",
    "def f():\n    return 'unterminated\n",  # a quote the scan could not close
    "def f(x=1 \\ 2): pass\n",  # a backslash that continues nothing
    "class A:\n    x = 1\n\\\n    def g(self): pass\n",  # g's indentation: the tokenizer's quirk (g is in A)
])
def test_outline_does_not_vouch_for_text_it_may_misread(text: str) -> None:
    assert outline.public_definitions(text) is None


def test_best_effort_outline_of_python2() -> None:
    text = "class A:\n    def m(self):\n        print 'x'\n\ndef f():\n    exec 'code'\n"
    assert outline.best_effort(text) == defs("c:A", "f:A.m", "f:f")


# What releases added, read from the outlines and parses of the changed files.

def additions(root: Path) -> dict[str, list[tuple[str, str, int | None, bool]]]:
    history = collect(root).release_history
    assert history is not None and history.problem is None
    return {r.tag: [(a.path, a.file, a.line, a.documented) for a in r.added] for r in history.releases}


def test_only_files_that_may_add_something_are_parsed_each_blob_once(builder: RepoBuilder,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    original = additions_module.file_objects

    def counting(path: str, data: bytes) -> tuple[bool, dict[str, additions_module.Addition]]:
        parsed.append(f"{path}:{data.count(b'def ')}")
        return original(path, data)

    monkeypatch.setattr(additions_module, "file_objects", counting)
    a0 = '"""A."""\n\n\ndef one():\n    """One."""\n    return 1\n'
    builder.commit({"pkg/__init__.py": "", "pkg/a.py": a0, "pkg/b.py": "def b():\n    return 0\n"})
    builder.tag("v1.0.0")
    builder.commit({"pkg/a.py": a0.replace("return 1", "return 11"),  # a body changed: nothing added
                    "pkg/b.py": "def b():\n    return 0\n\n\ndef b2():\n    return 2\n"})
    builder.tag("v1.1.0")
    builder.commit({"pkg/b.py": "def b():\n    return 0\n\n\ndef b2():\n    return 2\n\n\ndef b3():\n    pass\n"})
    builder.tag("v1.2.0")
    assert additions(builder.root) == {
        "v1.0.0": [("pkg", "pkg/__init__.py", None, False), ("pkg.a", "pkg/a.py", None, True),
                   ("pkg.a.one", "pkg/a.py", 4, True), ("pkg.b", "pkg/b.py", None, False),
                   ("pkg.b.b", "pkg/b.py", 1, False)],
        "v1.1.0": [("pkg.b.b2", "pkg/b.py", 5, False)],
        "v1.2.0": [("pkg.b.b3", "pkg/b.py", 9, False)],
    }
    # the first release is parsed whole; then only b.py, each version once (v1.1.0's is also v1.2.0's old side)
    assert sorted(parsed) == ["pkg/__init__.py:0", "pkg/a.py:1", "pkg/b.py:1", "pkg/b.py:2", "pkg/b.py:3"]


def test_renamed_and_moved_modules(builder: RepoBuilder) -> None:
    core = "def parse():\n    return 1\n"
    builder.commit({"pkg/__init__.py": "", "pkg/core.py": core, "pkg/util.py": "def helper():\n    pass\n"})
    builder.tag("v1.0.0")
    # a renamed module is a new module; a module turned into a package keeps its name and its functions
    package = "def helper():\n    pass\n\n\ndef more():\n    pass\n"
    builder.commit({"pkg/util.py": None, "pkg/util/__init__.py": package},
                   renames={"pkg/core.py": "pkg/parsing.py"})
    builder.tag("v1.1.0")
    assert additions(builder.root)["v1.1.0"] == [
        ("pkg.parsing", "pkg/parsing.py", None, False), ("pkg.parsing.parse", "pkg/parsing.py", 1, False),
        ("pkg.util.more", "pkg/util/__init__.py", 5, False),
    ]


def test_text_the_outline_cannot_vouch_for_is_parsed(builder: RepoBuilder) -> None:
    builder.commit({"pkg/__init__.py": "", "pkg/win.py": b"def a():\r\n    pass\r\n"})
    builder.tag("v1.0.0")
    builder.commit({"pkg/win.py": b"def a():\r\n    pass\r\n\r\n\r\ndef b():\r\n    '''B.'''\r\n"})
    builder.tag("v1.1.0")
    assert additions(builder.root)["v1.1.0"] == [("pkg.win.b", "pkg/win.py", 5, True)]


def test_a_file_that_stops_being_python2_adds_only_what_is_new(builder: RepoBuilder) -> None:
    builder.commit({"pkg/__init__.py": "", "pkg/old.py": "def show(x):\n    print x\n"})
    builder.tag("v1.0.0")
    builder.commit({"pkg/old.py": "def show(x):\n    print(x)\n\n\ndef hide(x):\n    pass\n"})
    builder.tag("v1.1.0")
    # the module and show() were there before, though Python 3 cannot parse that version
    assert additions(builder.root)["v1.1.0"] == [("pkg.old.hide", "pkg/old.py", 5, False)]


def test_a_broken_new_version_adds_nothing(builder: RepoBuilder) -> None:
    builder.commit({"pkg/__init__.py": "", "pkg/m.py": "def f():\n    pass\n"})
    builder.tag("v1.0.0")
    builder.commit({"pkg/m.py": "def f():\n    pass\n\n\ndef g(:\n    pass\n"})
    builder.tag("v1.1.0")
    assert additions(builder.root)["v1.1.0"] == []


@pytest.mark.parametrize(("text", "nests_its_quotes"), [
    ('x = f"{a[\'k\']!r:>{width}}"\ndef g(): pass\n', False),
    ('x = f"{a["k"]}"\ndef g(): pass\n', True),  # PEP 701 (3.12): only the tokenizer knows where it ends
])
def test_outline_of_f_strings(text: str, nests_its_quotes: bool) -> None:
    misread = nests_its_quotes and sys.version_info >= (3, 12)  # before 3.12, Python cannot parse that text
    assert outline.public_definitions(text) == (None if misread else defs("f:g"))


def test_a_file_added_on_both_lines_counts_from_the_merge_base(builder: RepoBuilder) -> None:
    builder.commit({"pkg/__init__.py": "", "pkg/core.py": "def run():\n    pass\n"})
    builder.tag("v1.0.0")
    base = builder.commits[-1]
    new = "def g():\n    '''G.'''\n"
    git(builder.root, "checkout", "-q", "-b", "maint", base)
    builder.commit({"pkg/new.py": new})
    builder.tag("v1.0.1")
    git(builder.root, "checkout", "-q", "main")
    builder.commit({"pkg/new.py": new, "pkg/core.py": "def run():\n    pass\n\n\ndef stop():\n    pass\n"})
    builder.tag("v1.1.0")
    # v1.1.0 follows v1.0.1 and changed pkg/new.py since their merge base, though not since v1.0.1
    assert additions(builder.root)["v1.1.0"] == [
        ("pkg.core.stop", "pkg/core.py", 5, False), ("pkg.new", "pkg/new.py", None, False),
        ("pkg.new.g", "pkg/new.py", 1, True),
    ]


def test_another_products_tags_are_not_this_projects_releases(builder: RepoBuilder) -> None:
    # the shape of pydantic since pydantic-core moved in: v2.x for the project, core-v2.4x for the other product,
    # versions above the project's; an old spelling of the project's own tags (release-0.9) still counts
    builder.commit({"pkg/__init__.py": '"""P."""\n', "CHANGELOG.md": changelog("0.9")})
    builder.tag("release-0.9")
    builder.commit({"pkg/__init__.py": '"""P1."""\n', "CHANGELOG.md": changelog("0.9", "1.0.0")})
    builder.tag("v1.0.0")
    builder.commit({"core/x.py": "def f():\n    return 1\n"})
    builder.tag("core-v2.40.0")
    builder.commit({"pkg/__init__.py": '"""P2."""\n', "CHANGELOG.md": changelog("0.9", "1.0.0", "1.1.0")})
    builder.tag("v1.1.0")
    builder.commit({"core/x.py": "def f():\n    return 2\n"})
    builder.tag("core-v2.41.0")
    result = evaluate(builder.root)
    assert [(r["tag"], r["changelog_entry"]) for r in release_rows(result)] == [
        ("release-0.9", True), ("v1.0.0", True), ("v1.1.0", True)]
    assert result.score == 10.0
    found = tags.releases([Tag("core-v2.41.0", "c", 30), Tag("v1.1.0", "b", 20), Tag("1.0", "a", 10)])
    assert [r.tag.name for r in found] == ["1.0", "v1.1.0"]
    only_prefixed = tags.releases([Tag("core-v2.0", "c", 30), Tag("api/v1.0", "b", 20), Tag("api/v1.1", "d", 40)])
    assert [r.tag.name for r in only_prefixed] == ["api/v1.0", "api/v1.1"]  # the newest tag's family
    assert [tags.family(r) for r in tags.releases([Tag("core-V2.0", "c", 30)], family="core-")] == ["core-"]


def test_a_property_with_a_setter_and_overloads_are_one_object(builder: RepoBuilder) -> None:
    # flask 3.1.0's shape: a documented property whose setter has no docstring; typing.overload stubs likewise
    builder.commit({"pkg/__init__.py": '"""P."""\n', "pkg/req.py": '"""R."""\n'})
    builder.tag("v1.0.0")
    body = ('"""R."""\nfrom typing import overload\n\n\nclass Request:\n    """A request."""\n\n'
            '    @property\n    def limit(self):\n        """The limit."""\n        return 1\n\n'
            '    @limit.setter\n    def limit(self, value):\n        pass\n\n\n'
            '@overload\ndef size(x: int) -> int: ...\n@overload\ndef size(x: str) -> str: ...\n'
            'def size(x):\n    """The size."""\n    return x\n\n\n'
            'def bare(x):\n    pass\n\n\ndef bare(x, y):\n    pass\n')
    builder.commit({"pkg/req.py": body})
    builder.tag("v1.1.0")
    assert additions(builder.root)["v1.1.0"] == [
        ("pkg.req.Request", "pkg/req.py", 5, True), ("pkg.req.Request.limit", "pkg/req.py", 9, True),
        ("pkg.req.bare", "pkg/req.py", 27, False), ("pkg.req.size", "pkg/req.py", 19, True),
    ]


UNDOCUMENTED = "def helper():\n    return 1\n"


@pytest.mark.parametrize("src", ["", "src/"])
def test_only_the_packages_the_release_gate_reads_are_api(builder: RepoBuilder, src: str) -> None:
    # Regression: black's scripts/ (a package folder) and pydantic's vendored pydantic-core/python/pydantic_core
    # (184 additions, 87 undocumented, in v2.13.0) were judged as the release's public API; release-check reads
    # the packages of oshealth.api.package_roots only. In a src/ layout, a package beside src/ is not API either.
    outside = {
        "scripts/__init__.py": "", "scripts/release.py": UNDOCUMENTED,  # tooling, even as a package
        "vendor-core/pyproject.toml": "[project]\nname = 'vendor-core'\n",  # a vendored project, its own package
        "vendor-core/python/vendor_core/__init__.py": UNDOCUMENTED,
        f"{src}pkg/data/gen.py": UNDOCUMENTED,  # no __init__.py: griffe does not visit it, nor import it
        **({"tools/__init__.py": UNDOCUMENTED} if src else {}),
    }
    builder.commit({f"{src}pkg/__init__.py": '"""P."""\n', f"{src}pkg/core.py": CORE, **outside,
                    "CHANGELOG.md": changelog("1.0.0")})
    builder.tag("v1.0.0")
    builder.commit({f"{src}pkg/core.py": CORE + "\n\n" + UNDOCUMENTED,
                    **{path: text + "\n\ndef more():\n    return 2\n" for path, text in outside.items()},
                    "CHANGELOG.md": changelog("1.0.0", "1.1.0")})
    builder.tag("v1.1.0")
    found = additions(builder.root)
    assert found == {
        "v1.0.0": [("pkg", f"{src}pkg/__init__.py", None, True), ("pkg.core", f"{src}pkg/core.py", None, True),
                   ("pkg.core.parse", f"{src}pkg/core.py", 4, True)],
        "v1.1.0": [("pkg.core.helper", f"{src}pkg/core.py", 9, False)],
    }
    gate_report = gate.check(builder.root)  # at v1.1.0: the same undocumented addition, nothing else
    docstrings_item = next(item for item in gate_report.items if item.id == "docstrings")
    assert (gate_report.since, dict(docstrings_item.metrics)) == ("v1.0.0", {"added": 1, "undocumented": 1})
    assert [f.message.split("`")[1] for f in docstrings_item.findings] == ["pkg.core.helper"]
    rows = release_rows(evaluate(builder.root))
    assert [(r["added"], r["undocumented"]) for r in rows] == [(3, 0), (1, 1)]


def test_a_top_level_module_is_api_and_tooling_files_are_not(builder: RepoBuilder) -> None:
    # a single-module project (six.py): its module is the API, as for release-check; setup.py and tests are not
    builder.commit({"single.py": '"""S."""\n', "setup.py": "", "test_single.py": "",
                    "CHANGELOG.md": changelog("1.0.0")})
    builder.tag("v1.0.0")
    builder.commit({"single.py": '"""S."""\n\n\n' + UNDOCUMENTED, "setup.py": UNDOCUMENTED,
                    "test_single.py": UNDOCUMENTED, "CHANGELOG.md": changelog("1.0.0", "1.1.0")})
    builder.tag("v1.1.0")
    assert additions(builder.root) == {"v1.0.0": [("single", "single.py", None, True)],
                                       "v1.1.0": [("single.helper", "single.py", 4, False)]}
