"""The sample repositories: each stream rebuilds, round-trips and holds the facts its README promises.

Only facts are tested here (history, tags, files, authors, per-file analysis); the scores that checks give
the samples are tested with the checks.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from tests.factsutil import collect
from tests.gitrepo import load_sample

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_repos"


def _load_build_script() -> ModuleType:
    # sample_repos/ is not a package: load the script by path, under a private name
    spec = importlib.util.spec_from_file_location("oshealth_sample_build", SAMPLE_DIR / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while the class is created
    spec.loader.exec_module(module)
    return module


build = _load_build_script()


@dataclass(frozen=True)
class Expected:
    head: str
    commits: int
    merges: int
    tags: tuple[tuple[str, str, int], ...]  # name, commit, created_at; oldest first
    files: tuple[str, ...]
    commits_by_author: dict[tuple[str, str], int]  # (name, e-mail) after .mailmap
    first_authored_at: int
    last_authored_at: int


MAYA = ("Maya Lindqvist", "maya@wellkept.dev")
TOMASZ = ("Tomasz Nowak", "tomasz.nowak@example.org")
PRIYA = ("Priya Raman", "priya@example.net")
DANIEL = ("Daniel Okafor", "dokafor@example.com")
DEPENDABOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")

EXPECTED = {
    "well_kept": Expected(
        head="7dab23b23c726572afa57823375a8ab513c5615d",
        commits=30,
        merges=0,
        tags=(
            ("v0.1.0", "029b69cb70364cab5f49ee1a0701c696f010cca8", 1675674300),
            ("v0.2.0", "10cdf5cfa9f3232051af0d53eb7b4cd080bbf84a", 1686561900),
            ("v1.0.0", "b88d1560ffbc06e92cd684a40740d8f0aea6849f", 1705309800),
            ("v1.1.0", "b9d805502f0df319432c673e02ffaccc2d495239", 1725270000),
        ),
        files=(
            ".github/ISSUE_TEMPLATE/bug_report.md", ".github/PULL_REQUEST_TEMPLATE.md", ".github/workflows/ci.yml",
            ".gitignore", "CHANGELOG.md", "CODE_OF_CONDUCT.md", "CONTRIBUTING.md", "LICENSE", "README.md",
            "SECURITY.md", "docs/api.md", "docs/faq.md", "docs/index.md", "docs/usage.md", "mkdocs.yml",
            "pyproject.toml", "tests/test_format.py", "tests/test_parse.py", "tests/test_units.py",
            "wellkept/__init__.py", "wellkept/errors.py", "wellkept/format.py", "wellkept/parse.py",
            "wellkept/units.py",
        ),
        commits_by_author={MAYA: 11, PRIYA: 7, TOMASZ: 7, DANIEL: 5},
        first_authored_at=1670231520,  # 2022-12-05 10:12 +0100
        last_authored_at=1733112000,  # 2024-12-02 09:30 +0530: 29.8 days before 2025-01-01
    ),
    "undocumented_script": Expected(
        head="4faa8816a1072a7f05bd49ee2b6fbdc177138af3",
        commits=8,
        merges=0,
        tags=(),
        files=("README.md", "exifutil.py", "photosync.py"),
        commits_by_author={("Gary Holt", "gary.holt@mailbox.example"): 8},
        first_authored_at=1669004040,  # 2022-11-20 22:14 -0600
        last_authored_at=1688268000,  # 2023-07-01 21:20 -0600: 548.9 days before 2025-01-01
    ),
    "team_project": Expected(
        head="6733c1861585e1405314365662deb92364f80936",
        commits=40,
        merges=2,
        tags=(
            ("v0.1.0", "0319ea1021e2e0415940318893d86e5d0affdc7e", 1690898400),  # lightweight: the commit's date
            ("v0.2.0", "dacb0374b9ced15b73465a4380eef65d5c55e6a0", 1710162300),  # annotated: the tagger's date
        ),
        files=(
            ".github/dependabot.yml", ".github/workflows/ci.yml", ".gitignore", ".mailmap", "LICENSE", "README.md",
            "contrib/données.py", "contrib/export helper.py", "contrib/latin1_labels.py", "contrib/legacy_report.py",
            "docs/guide.md", "pipekit/__init__.py", "pipekit/cli.py", "pipekit/helpers.py", "pipekit/pipeline.py",
            "pipekit/retry.py", "pipekit/steps.py", "pyproject.toml", "requirements-dev.txt",
            "tests/test_helpers.py", "tests/test_pipeline.py", "tests/test_retry.py",
        ),
        commits_by_author={
            ("Alice Martin", "alice@pipekit.dev"): 11,
            ("Bob Chen", "bob.chen@example.com"): 7,
            ("Carla Souza", "carla@example.org"): 7,
            ("Dmitri Volkov", "dmitri@example.net"): 6,
            ("Emeka Obi", "emeka.obi@example.com"): 5,
            DEPENDABOT: 4,
        },
        first_authored_at=1683015240,  # 2023-05-02 09:14 +0100
        last_authored_at=1729510200,  # 2024-10-21 12:30 +0100
    ),
}


def _stream(name: str) -> bytes:
    return (SAMPLE_DIR / f"{name}.fi").read_bytes()


def _refs(repo: Path) -> str:
    return str(build.git(repo, "for-each-ref", "--format=%(objectname) %(objecttype) %(refname)").decode())


def test_every_stream_is_a_listed_sample() -> None:
    assert sorted(p.stem for p in SAMPLE_DIR.glob("*.fi")) == sorted(EXPECTED) == sorted(build.SAMPLES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_stream_rebuilds_and_round_trips(name: str, tmp_path: Path) -> None:
    first = load_sample(name, tmp_path / "first")
    assert build.git(first, "rev-parse", "HEAD").decode().strip() == EXPECTED[name].head
    assert build.git(first, "status", "--porcelain", "--untracked-files=all") == b""
    build.git(first, "fsck", "--strict", "--no-progress")

    again = build.git(first, *build.EXPORT_ARGS)
    assert again == _stream(name)

    second = tmp_path / "second"
    second.mkdir()
    build.git(second, "init", "-q", "-b", "main")
    build.git(second, "fast-import", "--quiet", stdin=again)
    assert _refs(second) == _refs(first)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_build_script_reproduces_the_stream(name: str, tmp_path: Path) -> None:
    assert build.export(name, tmp_path) == _stream(name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_facts_of_the_sample(name: str, tmp_path: Path) -> None:
    expected = EXPECTED[name]
    facts = collect(load_sample(name, tmp_path / name))
    assert facts.head == expected.head
    assert facts.branch == "main"
    assert facts.is_shallow is False
    assert len(facts.commits) == expected.commits
    assert sum(commit.is_merge for commit in facts.commits) == expected.merges
    assert tuple((tag.name, tag.sha, tag.created_at) for tag in facts.tags) == expected.tags
    assert facts.files == expected.files
    authors = Counter((commit.author_name, commit.author_email) for commit in facts.commits)
    assert dict(authors) == expected.commits_by_author
    assert facts.commits[-1].authored_at == expected.first_authored_at
    assert facts.commits[0].authored_at == expected.last_authored_at
    assert facts.skipped == ()


def _python(name: str, tmp_path: Path) -> dict[str, tuple[int, int, dict[str, int], int, str | None]]:
    """Per Python file: documented nodes, all nodes, complexity of blocks above 5, test functions, error."""
    facts = collect(load_sample(name, tmp_path / name))
    summary = {}
    for file in facts.python_files:
        blocks = file.complexity.blocks if file.complexity else ()
        summary[file.path] = (
            sum(node.covered for node in file.doc_nodes),
            len(file.doc_nodes),
            {block.name: block.complexity for block in blocks if block.complexity > 5},
            file.test_functions,
            file.error,
        )
    return summary


def test_well_kept_is_fully_documented_simple_and_tested(tmp_path: Path) -> None:
    assert _python("well_kept", tmp_path) == {
        "tests/test_format.py": (0, 5, {}, 4, None),
        "tests/test_parse.py": (0, 3, {}, 2, None),
        "tests/test_units.py": (0, 6, {}, 5, None),
        "wellkept/__init__.py": (1, 1, {}, 0, None),
        "wellkept/errors.py": (3, 3, {}, 0, None),
        "wellkept/format.py": (3, 3, {}, 0, None),
        "wellkept/parse.py": (3, 3, {}, 0, None),
        "wellkept/units.py": (3, 3, {}, 0, None),
    }


def test_well_kept_has_the_community_files(tmp_path: Path) -> None:
    facts = collect(load_sample("well_kept", tmp_path / "s"))
    readme = facts.documents["README.md"]
    assert "## Installation" in readme and "## Usage" in readme and "```python" in readme
    assert facts.documents["LICENSE"].startswith("MIT License\n")
    changelog = facts.documents["CHANGELOG.md"]
    assert [v for v in ("1.1.0", "1.0.0", "0.2.0", "0.1.0") if f"## [{v}]" in changelog] == [
        "1.1.0", "1.0.0", "0.2.0", "0.1.0",
    ]
    assert "python -m pytest" in facts.documents[".github/workflows/ci.yml"]


def test_undocumented_script_has_complex_undocumented_code(tmp_path: Path) -> None:
    assert _python("undocumented_script", tmp_path) == {
        "exifutil.py": (0, 3, {"read_exif_date": 14, "date_from_name": 14}, 0, None),
        "photosync.py": (0, 7, {"parse_args": 14, "sync_folder": 18}, 0, None),
    }


def test_team_project_documents_about_sixty_percent_of_its_package(tmp_path: Path) -> None:
    summary = _python("team_project", tmp_path)
    package = [v for path, v in summary.items() if path.startswith("pipekit/")]
    # interrogate 1.7.0 with its default options reports the same 21 of 34 (61.8%) for pipekit/
    assert (sum(v[0] for v in package), sum(v[1] for v in package)) == (21, 34)
    assert sum(v[3] for v in summary.values()) == 14


def test_team_project_holds_awkward_but_valid_files(tmp_path: Path) -> None:
    summary = _python("team_project", tmp_path)
    assert summary["contrib/données.py"] == (1, 2, {}, 0, None)
    assert summary["contrib/export helper.py"] == (1, 2, {}, 0, None)
    assert summary["contrib/latin1_labels.py"] == (2, 2, {}, 0, None)
    error = summary["contrib/legacy_report.py"][4]
    assert error is not None and error.startswith("syntax error at line 9") and "Python 2" in error
    latin1 = (SAMPLE_DIR / "team_project.fi").read_bytes()
    assert b"# -*- coding: latin-1 -*-" in latin1 and "Ville de résidence".encode("latin-1") in latin1


def test_team_project_renames_and_mailmap(tmp_path: Path) -> None:
    repo = load_sample("team_project", tmp_path / "s")
    facts = collect(repo)
    renames = sorted((c.old_path, c.path) for commit in facts.commits for c in commit.changes if c.status == "R")
    assert renames == [
        ("docs/guide.txt", "docs/guide.md"),
        ("pipekit/utils.py", "pipekit/helpers.py"),
        ("scripts/run_pipeline.py", "pipekit/cli.py"),
        ("tests/test_utils.py", "tests/test_helpers.py"),
    ]
    renamed_at = next(i for i, c in enumerate(facts.commits) if c.subject == "Rename utils to helpers")
    later_edits = [c for c in facts.commits[:renamed_at] if any(ch.path == "pipekit/helpers.py" for ch in c.changes)]
    assert len(later_edits) == 5
    # without .mailmap Carla has two identities; the facts see one
    raw = build.git(repo, "log", "--format=%an <%ae>", "HEAD").decode().splitlines()
    assert Counter(raw)["Carla S <c.souza@oldjob.example>"] == 3
    assert Counter(raw)["Carla Souza <carla@example.org>"] == 4
    assert len(set(raw)) == 7
