"""Unit tests of the truck-factor algorithm, the Linguist filter and identity merging, on hand-built data."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import pytest

from oshealth import identities, linguist, linguist_data, truckfactor
from oshealth.git import Commit, FileChange
from oshealth.truckfactor import Authorship, History


def commit(author: str, *changes: FileChange) -> Commit:
    """A commit by ``author`` (its name is also its developer key) with these changes."""
    return Commit(f"sha-{author}", ("p",), author, f"{author.lower()}@example.com", 0, "s", changes)


def add(path: str) -> FileChange:
    return FileChange("A", path)


def mod(path: str) -> FileChange:
    return FileChange("M", path)


def ren(old: str, new: str) -> FileChange:
    return FileChange("R", new, old)


def history(*commits: Commit) -> History[str]:
    return History.from_commits(commits, lambda c: c.author_name)


def shares(hist: History[str], path: str) -> dict[str, tuple[bool, int, int, float, bool]]:
    """Developer -> (FA, DL, AC, DOA rounded to 6 places, is author) for one file."""
    found = hist.authorships([path])[path]
    return {a.developer: (a.first_author, a.deliveries, a.acceptances, round(a.doa, 6), a.is_author) for a in found}


def test_doa_formula_matches_hand_computation() -> None:
    # 3.293 + 1.098 + 0.164 - 0.321 * ln(3)
    assert round(truckfactor.doa(True, 1, 2), 6) == 4.202345
    # 3.293 + 0.328 - 0.321 * ln(2)
    assert round(truckfactor.doa(False, 2, 1), 6) == 3.3985
    assert truckfactor.doa(True, 0, 0) == pytest.approx(4.391)


def test_creator_and_frequent_editor_are_both_authors() -> None:
    hist = history(commit("Ann", add("a.py")), commit("Bob", mod("a.py")), commit("Bob", mod("a.py")),
                   commit("Ann", mod("a.py")))
    # Bob: 3.3985 / 4.202345 = 0.81 > 0.75 and 3.3985 >= 3.293
    assert shares(hist, "a.py") == {"Ann": (True, 1, 2, 4.202345, True), "Bob": (False, 2, 1, 3.3985, True)}


def test_renames_are_followed_and_count_as_changes() -> None:
    hist = history(commit("Ann", add("old.py")), commit("Bob", ren("old.py", "new.py")), commit("Carl", mod("new.py")))
    # Bob and Carl: 3.457 - 0.321 ln 2 = 3.2345 < 3.293, not authors despite 0.80 normalised
    assert shares(hist, "new.py") == {
        "Ann": (True, 0, 2, 4.038345, True),
        "Bob": (False, 1, 1, 3.2345, False),
        "Carl": (False, 1, 1, 3.2345, False),
    }


def test_deletions_copies_and_merges_are_ignored() -> None:
    merge = Commit("m", ("a", "b"), "Mia", "mia@example.com", 0, "merge", ())
    hist = history(commit("Ann", add("a.py")), commit("Bob", FileChange("D", "gone.py")),
                   commit("Cid", FileChange("C", "a.py", "b.py")), merge)
    assert shares(hist, "a.py") == {"Ann": (True, 0, 0, 4.391, True)}


def test_creator_is_exempt_from_the_absolute_threshold() -> None:
    others = [commit(f"dev{i:02d}", mod("a.py")) for i in range(30)]
    hist = history(commit("Ann", add("a.py")), *others)
    result = shares(hist, "a.py")
    # 4.391 - 0.321 ln 31 = 3.28869 < 3.293, but Ann created the file and has the best DOA
    assert result["Ann"] == (True, 0, 30, 3.28869, True)
    assert result["dev00"] == (False, 1, 29, 2.365216, False)


def test_every_developer_who_added_the_path_gets_fa() -> None:
    hist = history(commit("Ann", add("a.py")), commit("Bob", FileChange("D", "a.py")), commit("Bob", add("a.py")))
    assert shares(hist, "a.py") == {"Ann": (True, 0, 0, 4.391, True), "Bob": (True, 0, 0, 4.391, True)}


def test_a_rename_is_followed_once_across_files_like_the_reference() -> None:
    hist = history(
        commit("Ann", add("a.py")), commit("Bob", ren("a.py", "b.py")), commit("Carl", ren("b.py", "c.py")),
        commit("Dan", add("b.py")), commit("Eve", ren("b.py", "d.py")),
    )
    both = hist.authorships(["d.py", "c.py"])
    assert sorted(a.developer for a in both["c.py"]) == ["Ann", "Bob", "Carl", "Dan"]
    # b.py's rename from a.py was already followed for c.py: d.py does not reach Ann
    assert sorted(a.developer for a in both["d.py"]) == ["Bob", "Dan", "Eve"]


def test_files_without_history_are_not_counted() -> None:
    hist = history(commit("Ann", add("a.py")))
    assert list(hist.authorships(["a.py", "untracked.py"])) == ["a.py"]


def authors(table: dict[str, list[str]], changes: int = 1) -> dict[str, list[Authorship]]:
    """Path -> authorships where the listed developers are authors (DOA values are irrelevant here)."""
    return {path: [Authorship(d, False, changes, 0, 4.0, True) for d in devs] for path, devs in table.items()}


def test_greedy_removes_top_authors_until_half_the_files_are_orphaned() -> None:
    table = {f"f{i}": ["A"] + (["B"] if i < 6 else []) + (["C"] if i == 6 else []) for i in range(10)}
    result = truckfactor.truck_factor(authors(table))
    # remove A: f0-f6 covered (0.7); remove B: only f6 (0.1 < 0.5): stop
    assert (result.truck_factor, result.greedy, result.authors) == (2, 2, ("A", "B"))
    assert result.coverage == pytest.approx(0.1)
    assert result.authored_files == {"A": 10, "B": 6, "C": 1}


def test_pruning_drops_minor_authors_from_the_greedy_set() -> None:
    table = {f"f{i:02d}": ["A"] + ([f"d{i:02d}"] if i < 20 else []) for i in range(30)}
    result = truckfactor.truck_factor(authors(table))
    # after A, 20 of 30 covered; each one-file developer removed while >= 15 remain covered
    assert result.greedy == 7
    assert result.greedy_authors == ("A", "d00", "d01", "d02", "d03", "d04", "d05")
    # 1 file * 10 < 30 files of A: pruned
    assert (result.truck_factor, result.authors) == (1, ("A",))


def test_ties_go_to_the_developer_with_more_changes() -> None:
    table = authors({"f0": ["Zed"], "f1": ["Amy"]}, changes=1)
    table["f0"] = [Authorship("Zed", True, 5, 0, 4.0, True)]
    result = truckfactor.truck_factor(table)
    assert result.greedy_authors == ("Zed", "Amy")


def test_no_author_at_all_gives_zero() -> None:
    table = {"f0": [Authorship("A", False, 1, 9, 2.5, False)]}
    result = truckfactor.truck_factor(table)
    assert (result.truck_factor, result.greedy, result.files, result.coverage) == (0, 0, 1, 0.0)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("src/pkg/mod.py", True), ("tests/test_x.py", True), ("app/templates/base.html", True),
        ("static/style.css", True), ("Makefile", True), ("scripts/run.sh", True), ("lib/x.ts", True),
        ("README.md", False), ("CHANGES.rst", False), ("setup.cfg", False), ("pyproject.toml", False),
        ("data.json", False), ("schema.sql", False), ("LICENSE", False), ("bin/tool", False),
        ("man/tool.1", True), ("notes.txt", False), ("Dockerfile", True),
    ],
)
def test_language_type_by_name(path: str, expected: bool) -> None:
    assert linguist.is_source_language(path) is expected


def test_source_files_drop_vendored_documentation_generated_and_empty() -> None:
    paths = ["src/a.py", "src/__init__.py", "docs/conf.py", "examples/demo.py", "vendor/lib.py",
             "third_party/x.c", "api/m_pb2.py", "tests/test_a.py", "node_modules/x/i.js", "sub/docs/x.py"]
    assert linguist.source_files(paths, empty=["src/__init__.py"]) == ["src/a.py", "sub/docs/x.py", "tests/test_a.py"]


def test_gitattributes_overrides_linguist() -> None:
    text = "# comment\nsrc/gen/** linguist-generated\ndocs/*.py -linguist-documentation\n*.txt linguist-detectable\n"
    paths = ["src/gen/a.py", "src/b.py", "docs/x.py", "docs/sub/y.py", "notes.txt"]
    assert linguist.source_files(paths, gitattributes=text) == ["docs/x.py", "notes.txt", "src/b.py"]


def test_identities_merge_by_email_and_by_name_transitively() -> None:
    ids = identities.merge({
        ("Ann Lee", "ann@work.example"): 5, ("Ann Lee", "ann@home.example"): 1,
        ("ann", "ann@home.example"): 2, ("José Díaz", "jd@example.org"): 1, ("Jose Diaz", "other@example.org"): 3,
        ("Bob", "bob@example.com"): 1,
    })
    assert ids.key("ann", "ann@home.example") == ids.key("Ann Lee", "ann@work.example")
    assert ids.display[ids.key("ann", "ann@home.example")] == "Ann Lee"
    assert ids.key("José Díaz", "jd@example.org") == ids.key("Jose Diaz", "other@example.org")
    assert ids.key("Bob", "bob@example.com") != ids.key("Ann Lee", "ann@work.example")
    assert len(set(ids.key_of.values())) == 3


@pytest.mark.parametrize(
    ("name", "email", "expected"),
    [
        ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", True),
        ("pre-commit-ci[bot]", "66853113+pre-commit-ci[bot]@users.noreply.github.com", True),
        ("Renovate Bot", "bot@renovateapp.com", True), ("github-actions", "action@github.com", True),
        ("Jane Abbot", "jane@example.com", False), ("Robot Maker", "rm@example.com", False),
        ("ImgBotApp", "ImgBotHelp@gmail.com", True),
        # a person behind a placeholder address (seen in requests' history) is no bot
        ("Hackbright Student", "no-reply@hackbrightacademy.com", False),
    ],
)
def test_bots(name: str, email: str, expected: bool) -> None:
    assert identities.is_bot(name, email) is expected


def test_bots_from_options() -> None:
    assert identities.is_bot("Release Robot", "release@example.com", ["release@example.com"])


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("a@us.ibm.com", "ibm.com"), ("a@cs.ox.ac.uk", "ox.ac.uk"), ("a@gmail.com", None),
        ("1+a@users.noreply.github.com", None), ("root@localhost", None), ("a@host.local", None),
        ("broken", None), ("a@Example.ORG", "example.org"),
    ],
)
def test_organisation_from_email(email: str, expected: str | None) -> None:
    assert identities.organisation(email) == expected


#: Paths that probe each kind of vendor.yml pattern: anchored at the start, at a folder, anywhere, and near misses.
VENDOR_PROBES = [
    "cache/x.py", "src/cache/x.py", "xcache/x.py", "cache", "Dependencies/a.c", "src/Dependencies/a.c",
    "dist/a.js", "deps/a.c", "src/deps/a.c", "configure", "src/configure", "configure.ac", "rebar", "src/rebar",
    "debian/rules", "pkg/debian/rules", "a/node_modules/b.js", "node_modules", "jquery.min.js", "x-min.css",
    "min.js", "lib/import.css", "lib/my import.less", "importer.css", "types/index.d.ts", "a.d.tsx",
    "3rdparty/x.c", "Third_Party/x.c", "third-party/x.c", "thirdparty", "vendor/a.py", "vendors/a.py",
    "Vvendor/a.py", "src/External/a.c", "externals/a.c", "docs/_build/a.html", "doc/themes/a.css",
    "docs/static/a.js", "docs/_static/a.js", "js/bootstrap.min.js", "js/bootstrap-theme.css", "bootstrap",
    "js/d3.v4.min.js", "js/d3.js", "a/d3x.js", "Packages/Foo.1.2/a.dll", "Packages/Foo/a.dll",
    "app.xctemplate/a", "Icon.imageset/a.png", "a\ncache/x", "tests/fixtures/a.json", "Specs/fixtures/a",
    ".github/workflows/ci.yml", "a/.gitignore", ".gitignore.bak", "gradle/wrapper/a.jar", "extjs/src/a.js",
    "jquery-ui-1.12.1.custom.css", "src/jquery.ui.core.js", "Leaflet.Coordinates-0.1.5.src.js", "env/bin/x",
    "environment/x", "fabfile.py", "x/fabfile.py.txt", "CodeMirror/5.1/mode/a.js", "codemirror/lib/a.js",
    "src/prototype.js", "knockout-3.4.2.debug.js", "knockout-3.4.2.js", "a b/c d.py", "", "/", "//cache/",
    "src/pkg/module.py", "tests/test_x.py", "README.md",
]


#: Paths made of the words of every pattern, at random (seeded), with separators and odd characters.
_rng = random.Random(5)
_WORDS = sorted({
    w for p in (*linguist_data.VENDORED, *linguist_data.DOCUMENTATION, *linguist_data.GENERATED)
    for w in re.findall(r"[A-Za-z0-9_~-]+", p)
})
GENERATED_PROBES = [
    "".join(_rng.choice([*_WORDS, "/", ".", "-", " ", "x", "\n"]) for _ in range(_rng.randint(1, 6)))
    for _ in range(3000)
]


@pytest.mark.parametrize(
    ("patterns", "flags", "classify"),
    [
        (linguist_data.VENDORED, 0, linguist.is_vendored),
        (linguist_data.DOCUMENTATION, 0, linguist.is_documentation),
        (linguist_data.GENERATED, re.IGNORECASE, linguist.is_generated),
    ],
)
def test_path_rules_match_linguist_patterns_searched_one_by_one(
    patterns: tuple[str, ...], flags: int, classify: Callable[[str], bool]
) -> None:
    # the reference: Linguist's patterns, each searched in the path as Linguist does
    reference = [re.compile(pattern, flags) for pattern in patterns]
    probes = [*VENDOR_PROBES, *GENERATED_PROBES, "docs/a.py", "Doc/a.py", "sub/docs/a", "man/x.1", "x/CHANGES.rst",
              "CHANGELOG", "CHANGELOG.md.bak", "LICENSE-MIT", "license", "src/.idea/x", "Pods/x", "a/Pods/y",
              "x_pb2.py", "A/NODE_MODULES/b", "x.Designer.cs", "CITATION.cff", "CITATIONS.bib", "samples/a"]
    assert sum(classify(path) for path in probes) >= 5  # the probes reach the patterns
    for path in probes:
        assert classify(path) is any(r.search(path) for r in reference), path


def test_vendored_paths() -> None:
    assert [p for p in VENDOR_PROBES if linguist.is_vendored(p)] == [
        "cache/x.py", "src/cache/x.py", "Dependencies/a.c", "dist/a.js", "deps/a.c", "configure", "src/configure",
        "rebar", "debian/rules", "a/node_modules/b.js", "jquery.min.js", "x-min.css", "lib/import.css",
        "lib/my import.less", "types/index.d.ts", "3rdparty/x.c", "Third_Party/x.c", "third-party/x.c",
        "vendor/a.py", "vendors/a.py", "Vvendor/a.py", "src/External/a.c", "externals/a.c", "docs/_build/a.html",
        "doc/themes/a.css", "docs/static/a.js", "docs/_static/a.js", "js/bootstrap.min.js",
        "js/bootstrap-theme.css", "js/d3.v4.min.js", "js/d3.js", "a/d3x.js", "Packages/Foo.1.2/a.dll",
        "app.xctemplate/a", "Icon.imageset/a.png", "tests/fixtures/a.json", "Specs/fixtures/a",
        ".github/workflows/ci.yml", "a/.gitignore", "gradle/wrapper/a.jar", "extjs/src/a.js",
        "jquery-ui-1.12.1.custom.css", "src/jquery.ui.core.js", "Leaflet.Coordinates-0.1.5.src.js", "env/bin/x",
        "fabfile.py", "CodeMirror/5.1/mode/a.js", "codemirror/lib/a.js", "src/prototype.js",
        "knockout-3.4.2.debug.js", "knockout-3.4.2.js", "//cache/",
    ]


def _free_mail_by_scan(domain: str, extra: list[str]) -> bool:
    """The free-mail rule as first written: a scan of every listed domain."""
    return any(domain == d or domain.endswith("." + d) for d in identities.FREE_MAIL_DOMAINS | set(extra))


@pytest.mark.parametrize("extra", [[], ["corp.example", "", ".dot.example", "co.uk"]])
def test_free_mail_lookup_agrees_with_a_scan_of_the_list(extra: list[str]) -> None:
    emails = [
        "a@gmail.com", "a@GMAIL.COM", " a@gmail.com ", "a@notgmail.com", "a@gmail.com.evil.org", "a@gmail.com.",
        "a@.gmail.com", "a@mail.yahoo.co.uk", "a@yahoo.co.uk.example.com", "1+a@users.noreply.github.com",
        "a@x.users.noreply.github.com", "a@noreply.github.com", "a@github.com", "a@b@gmail.com", "a@corp.example",
        "a@eu.corp.example", "a@xcorp.example", "a@dot.example", "a@a.dot.example", "a@..dot.example",
        "a@example.co.uk", "a@ox.ac.uk", "a@localhost", "a@sub.localhost", "a@", "@", "a@.", "a@a..b", "broken",
    ]
    for email in emails:
        domain = email.strip().lower().rpartition("@")[2]
        assert identities._is_free_mail(domain, extra) is _free_mail_by_scan(domain, extra), email
    assert [identities.organisation(e, extra) for e in emails] == (
        [None, None, None, "notgmail.com", "evil.org", "gmail.com", None, None, None, None, None, None,
         "github.com", None, "corp.example", "corp.example", "xcorp.example", "dot.example", "dot.example",
         "dot.example", "example.co.uk", "ox.ac.uk", None, None, None, None, None, "a.b", None]
        if not extra else
        [None, None, None, "notgmail.com", "evil.org", None, None, None, None, None, None, None,
         "github.com", None, None, None, "xcorp.example", "dot.example", "dot.example", None, None, "ox.ac.uk",
         None, None, None, None, None, "a.b", None]
    )
