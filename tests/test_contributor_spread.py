"""Tests of the contributor-spread check on real repositories built with RepoBuilder."""

from __future__ import annotations

from pathlib import Path

import pytest
from oshealth.checks.contributor_spread import ContributorSpread, smallest_majority

from oshealth.models import Finding, Severity, Status
from tests.factsutil import collect
from tests.gitrepo import BASE_TIME, DAY, RepoBuilder, git

ANN = "Ann Lee <ann@acme.example>"
BOB = "Bob Stone <bob@acme.example>"
CARL = "Carl <carl@gmail.com>"
BOT = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"
NOW = BASE_TIME + 365 * DAY
CODE = "def f():\n    return 1\n"


def build_team(builder: RepoBuilder) -> RepoBuilder:
    """Three people, a bot, a rename, a mailmapped alias and files Linguist does not count."""
    builder.commit({
        "pkg/core.py": CODE, "pkg/util.py": "def util():\n    return 2\n", "pkg/__init__.py": "",
        "docs/conf.py": CODE, "docs/index.md": "# Docs\n", "vendor/lib.py": CODE, "README.md": "# Team\n",
        "setup.cfg": "[metadata]\nname = team\n", ".mailmap": "Bob Stone <bob@acme.example> <bob@old.example>\n",
    }, author=ANN, when=BASE_TIME - 400 * DAY)
    builder.commit({"pkg/util.py": "def util():\n    return 3\n"}, author=BOB, when=BASE_TIME - 300 * DAY)
    builder.commit({"pkg/util.py": "def util():\n    return 4\n"}, author="Robert <bob@old.example>",
                   when=BASE_TIME - 200 * DAY)
    builder.commit({}, renames={"pkg/util.py": "pkg/helpers.py"}, author=BOB, when=BASE_TIME - 100 * DAY)
    builder.commit({"pkg/core.py": CODE + "# bump\n", "docs/conf.py": CODE + "#\n"}, author=BOT,
                   when=BASE_TIME + 10 * DAY)
    builder.commit({"tests/test_core.py": "def test_f():\n    assert 1 + 1 == 2\n", "pkg/core.py": CODE + "# 2\n"},
                   author=CARL, when=BASE_TIME + 300 * DAY)
    builder.commit({"pkg/core.py": CODE + "# 3\n"}, author=ANN, when=BASE_TIME + 330 * DAY)
    return builder


def test_team_truck_factor_and_contributor_figures(builder: RepoBuilder) -> None:
    result = ContributorSpread().evaluate(collect(build_team(builder).root))
    # source files: pkg/core.py, pkg/helpers.py, tests/test_core.py (empty __init__, docs, vendor, prose out)
    # core.py: Ann FA=1 DL=1 AC=1 -> 4.3325 author; Carl DL=1 AC=1 -> 3.2345 < 3.293 (bot's change ignored)
    # helpers.py (from util.py): Ann FA=1 AC=3 -> 3.946; Bob DL=3 (2 edits, 1 rename) -> 3.785, 0.96 of best
    # Ann authors 2 files, Bob 1 and Carl 1 (Bob first: 3 changes to Carl's 2); after Ann and Bob 1/3 is left
    assert result.status is Status.PASS
    assert result.score == 7.0
    assert result.reason == "truck factor 2 (Ann Lee, Bob Stone) over 3 source files"
    assert result.metrics == {
        "bots": ["dependabot[bot]"],
        "bot_commits": 1,
        "contributors": 3,
        "commits": 6,
        "contributor_absence_factor": 1,
        "elephant_factor": 1,
        "organisation_commit_share": 0.8333,
        "organisations": {"acme.example": 5},
        "active_contributors_90d": 2,
        "active_contributors_365d": 2,
        "new_contributors_365d": 1,
        "source_files": 3,
        "truck_factor": 2,
        "truck_factor_greedy": 2,
        "truck_factor_authors": ["Ann Lee", "Bob Stone"],
        "truck_factor_greedy_authors": ["Ann Lee", "Bob Stone"],
        "truck_factor_coverage": 0.3333,
        "authored_files": {"Ann Lee": 2, "Bob Stone": 1},
        # every author of a file: the truck-factor people in removal order, then Carl (creator of the test file)
        "file_authors": [{"name": "Ann Lee", "files": 2}, {"name": "Bob Stone", "files": 1},
                         {"name": "Carl", "files": 1}],
        "file_author_count": 3,
    }
    assert list(result.findings) == [
        Finding("Ann Lee is in the truck-factor set: sole or main author of 2 of 3 source files (67%)",
                severity=Severity.NOTE, rule="truck-factor-author"),
        Finding("Bob Stone is in the truck-factor set: sole or main author of 1 of 3 source files (33%)",
                severity=Severity.NOTE, rule="truck-factor-author"),
        Finding("Bob Stone, in the truck-factor set, has made no commit in the last 365 days",
                severity=Severity.WARNING, rule="inactive-key-author"),
    ]


def test_single_contributor_scores_low_and_says_why(builder: RepoBuilder) -> None:
    builder.commit({"a.py": CODE, "b.py": CODE}, author=ANN)
    builder.commit({"a.py": CODE + "#\n"}, author=ANN)
    result = ContributorSpread().evaluate(collect(builder.root))
    assert (result.status, result.score) == (Status.FAIL, 3.0)
    assert result.reason == "truck factor 1: Ann Lee is the only contributor ever"
    assert result.findings[0].severity is Severity.WARNING


def test_merges_count_for_activity_but_not_for_commit_shares(builder: RepoBuilder) -> None:
    builder.commit({"a.py": CODE}, author=ANN, when=BASE_TIME)
    git(builder.root, "checkout", "-q", "-b", "feature")
    builder.commit({"b.py": CODE}, author=BOB, when=BASE_TIME + DAY)
    git(builder.root, "checkout", "-q", "main")
    stamp = f"{BASE_TIME + 2 * DAY} +0000"
    env = {"GIT_AUTHOR_NAME": "Mia", "GIT_AUTHOR_EMAIL": "mia@acme.example", "GIT_AUTHOR_DATE": stamp,
           "GIT_COMMITTER_NAME": "Mia", "GIT_COMMITTER_EMAIL": "mia@acme.example", "GIT_COMMITTER_DATE": stamp}
    git(builder.root, "merge", "-q", "--no-ff", "-m", "merge", "feature", env=env)
    result = ContributorSpread().evaluate(collect(builder.root))
    assert result.metrics["contributors"] == 3
    assert result.metrics["commits"] == 2
    assert result.metrics["active_contributors_365d"] == 3
    assert result.metrics["truck_factor_authors"] == ["Ann Lee", "Bob Stone"]


def test_bots_option_and_bot_only_history(builder: RepoBuilder) -> None:
    builder.commit({"a.py": CODE}, author=BOT)
    builder.commit({"a.py": CODE + "#\n"}, author="Release Robot <release@example.com>")
    plain = ContributorSpread().evaluate(collect(builder.root))
    assert plain.metrics["bots"] == ["dependabot[bot]"]
    assert plain.metrics["truck_factor_authors"] == ["Release Robot"]
    configured = ContributorSpread({"bots": ["release@example.com"]}).evaluate(collect(builder.root))
    assert configured.status is Status.NOT_APPLICABLE
    assert configured.reason == "no human commits: only bots"
    assert configured.metrics["bots"] == ["Release Robot", "dependabot[bot]"]


def test_diffuse_knowledge_falls_back_on_the_absence_factor(builder: RepoBuilder) -> None:
    builder.commit({"a.py": CODE, "b.py": CODE}, author=BOT)
    for index, author in enumerate((ANN, BOB, ANN, BOB)):
        builder.commit({"ab"[index // 2] + ".py": CODE + f"# {index}\n"}, author=author)
    result = ContributorSpread().evaluate(collect(builder.root))
    # each file: two people with DL=1 AC=1 -> 3.2345 < 3.293 and no creator: no author at all
    assert result.metrics["truck_factor"] == 0
    assert result.metrics["truck_factor_greedy"] == 0
    assert result.reason == "no developer authors most files; contributor absence factor 1"
    assert result.score == 3.0


def test_no_source_file_is_not_applicable(builder: RepoBuilder) -> None:
    builder.commit({"README.md": "# x\n", "docs/a.py": CODE}, author=ANN)
    result = ContributorSpread().evaluate(collect(builder.root))
    assert result.status is Status.NOT_APPLICABLE
    assert result.metrics["contributors"] == 1


def test_no_commits_is_not_applicable(builder: RepoBuilder) -> None:
    (builder.root / "a.py").write_text(CODE)
    result = ContributorSpread().evaluate(collect(builder.root))
    assert (result.status, result.reason) == (Status.NOT_APPLICABLE, "the repository has no commits")


def test_shallow_clone_is_inconclusive(builder: RepoBuilder, tmp_path: Path) -> None:
    builder.commit({"a.py": CODE}, author=ANN)
    builder.commit({"a.py": CODE + "#\n"}, author=BOB)
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", builder.root.as_uri(), str(clone))
    result = ContributorSpread().evaluate(collect(clone))
    assert result.status is Status.INCONCLUSIVE
    assert "fetch-depth: 0" in result.reason


@pytest.mark.parametrize(
    ("counts", "expected"), [([], 0), ([5], 1), ([3, 2, 1], 1), ([2, 2, 2, 2], 2), ([1, 1, 1], 2)]
)
def test_smallest_majority(counts: list[int], expected: int) -> None:
    assert smallest_majority(counts) == expected


def test_file_authors_lists_the_top_twenty_by_files(builder: RepoBuilder) -> None:
    # 22 people: person k creates k+1 files (p00 one file ... p21 22 files), so the greedy set is the largest
    for k in range(22):
        files = {f"p{k:02d}/m{i}.py": CODE for i in range(k + 1)}
        builder.commit(files, author=f"P{k:02d} <p{k:02d}@example.com>", when=BASE_TIME + k * DAY)
    metrics = ContributorSpread().evaluate(collect(builder.root)).metrics
    assert metrics["file_author_count"] == 22
    # 253 files; removing P21, P20, ... leaves under half after 7 people (22+21+...+16 = 133 > 126.5)
    assert metrics["truck_factor_greedy_authors"] == [f"P{k}" for k in range(21, 14, -1)]
    assert metrics["file_authors"] == [{"name": f"P{k:02d}", "files": k + 1} for k in range(21, 1, -1)]
