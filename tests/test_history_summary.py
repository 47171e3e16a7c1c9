"""The history summary: folded in any order, extended as it is stored, read by the checks as the commits were.

The truck factor over changes grouped by path is compared with a walk of
every change (the implementation it replaced, kept here as the reference) on
random histories with renames back and forth, re-created paths, copies,
deletions, merges and bots. Extended summaries are compared with fresh ones,
and the checks' results on cached facts with those on uncached facts, on real
repositories built commit by commit.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import pytest
from oshealth.checks import tests as tests_check
from oshealth.checks.activity import Activity
from oshealth.checks.contributor_spread import ContributorSpread

from oshealth import cache as cache_module
from oshealth import engine, historystore, linguist, truckfactor
from oshealth.facts import RepoFacts
from oshealth.git import Commit, FileChange
from oshealth.historystore import StoredCommits
from oshealth.historysummary import DAY, RECENT_DAYS, HistorySummary
from oshealth.models import Check, CheckResult
from oshealth.truckfactor import ABSOLUTE_DOA, NORMALIZED_DOA, Authorship, doa
from tests.gitrepo import BASE_TIME, RepoBuilder, git
from tests.test_cache import cache_path, collect, uncached

NOW = BASE_TIME + 365 * DAY  # the tests' SOURCE_DATE_EPOCH


# ---------------------------------------------------------------- the reference: every change walked


class ReferenceHistory:
    """The truck factor's history as it was: every A/M/R change indexed, renames followed change by change."""

    def __init__(self, commits: Iterable[Commit], developer: Callable[[Commit], str | None]) -> None:
        self.developers: list[str] = []
        self.kinds: list[str] = []
        self.old_paths: list[str | None] = []
        self.by_path: dict[str, list[int]] = {}
        for commit in commits:
            dev = developer(commit)
            if dev is None:
                continue
            for change in commit.changes:
                if change.status in "AMR":
                    self.by_path.setdefault(change.path, []).append(len(self.kinds))
                    self.developers.append(dev)
                    self.kinds.append(change.status)
                    self.old_paths.append(change.old_path)

    def expand(self, path: str, followed: set[int]) -> set[int]:
        found = set(self.by_path.get(path, ()))
        pending = [i for i in found if self.kinds[i] == "R" and i not in followed]
        while pending:
            rename = pending.pop()
            followed.add(rename)
            for i in self.by_path.get(self.old_paths[rename] or "", ()):
                if i not in found:
                    found.add(i)
                    if self.kinds[i] == "R" and i not in followed:
                        pending.append(i)
        return found

    def authorships(self, files: Iterable[str]) -> dict[str, list[Authorship]]:
        followed: set[int] = set()
        result: dict[str, list[Authorship]] = {}
        for path in sorted(set(files)):
            changes = self.expand(path, followed)
            if changes:
                result[path] = self.file_authorships(changes)
        return result

    def file_authorships(self, changes: set[int]) -> list[Authorship]:
        creators: set[str] = set()
        deliveries: dict[str, int] = {}
        for i in changes:
            if self.kinds[i] == "A":
                creators.add(self.developers[i])
            else:
                deliveries[self.developers[i]] = deliveries.get(self.developers[i], 0) + 1
        total = sum(deliveries.values())
        devs = sorted(creators.union(deliveries))
        own = [deliveries.get(d, 0) for d in devs]
        values = [doa(d in creators, n, total - n) for d, n in zip(devs, own, strict=True)]
        best = max(0.0, *values)
        return [
            Authorship(d, d in creators, n, total - n, value,
                       best > 0 and value / best > NORMALIZED_DOA and (value >= ABSOLUTE_DOA or d in creators))
            for d, n, value in zip(devs, own, values, strict=True)
        ]


def reference_truck_factor(authorships: Mapping[str, Sequence[Authorship]]) -> truckfactor.TruckFactor:
    """The greedy removal and pruning as they were: every developer's changes summed, one sort."""
    files_of: dict[str, set[str]] = {}
    changes: Counter[str] = Counter()
    for path, shares in authorships.items():
        for share in shares:
            changes[share.developer] += int(share.first_author) + share.deliveries
            if share.is_author:
                files_of.setdefault(share.developer, set()).add(path)
    order = sorted(files_of, key=lambda d: (-len(files_of[d]), -changes[d], d))
    left: Counter[str] = Counter()
    for dev in order:
        left.update(files_of[dev])
    covered, removed, total = len(left), [], len(authorships)
    for dev in order:
        if covered < truckfactor.COVERAGE * total:
            break
        for path in files_of[dev]:
            left[path] -= 1
            covered -= left[path] == 0
        removed.append(dev)
    top = len(files_of[removed[0]]) if removed else 0
    kept = tuple(d for d in removed if len(files_of[d]) * truckfactor.PRUNE_DENOMINATOR >= top)
    return truckfactor.TruckFactor(len(kept), len(removed), kept, tuple(removed), total,
                                   {d: len(files_of[d]) for d in sorted(files_of)}, covered / total if total else 0.0)


# ---------------------------------------------------------------- random histories

PEOPLE = [("Ann", "ann@a.example"), ("Bob", "bob@b.example"), ("ann", "ann@other.example"),
          ("Cy", "cy@c.example"), ("Dee", "dee@d.example"), ("dependabot[bot]", "bot@d.example")]
PATHS = [f"{folder}{name}.py" for folder in ("", "pkg/") for name in "abcdef"]


def random_history(rnd: random.Random, length: int) -> tuple[list[Commit], set[str]]:
    """Commits, newest first, that add, change, rename (to new and to old names), copy and delete paths."""
    alive: set[str] = set()
    commits: list[Commit] = []
    for index in range(length):
        name, email = rnd.choice(PEOPLE)
        changes = [change for change in (_change(rnd, alive) for _ in range(rnd.randint(1, 3))) if change]
        parents = ("p", "q") if rnd.random() < 0.1 else ("p",)
        changes = [] if len(parents) > 1 and rnd.random() < 0.7 else changes  # git log shows merges bare
        commits.append(Commit(f"c{index}", parents, name, email, BASE_TIME + index * DAY, "s", tuple(changes)))
    return commits[::-1], alive


def _change(rnd: random.Random, alive: set[str]) -> FileChange | None:
    """One change consistent with the paths alive so far (and updates them)."""
    absent = [p for p in PATHS if p not in alive]
    kind = rnd.choice("AAMMMMRRDCT")
    if kind == "A" or not alive:
        if not absent:
            return None
        path = rnd.choice(absent)
        alive.add(path)
        return FileChange("A", path)
    old = rnd.choice(sorted(alive))
    if kind in "RC" and absent:
        new = rnd.choice(absent)
        alive.add(new)
        if kind == "R":
            alive.discard(old)
        return FileChange(kind, new, old)
    if kind == "D":
        alive.discard(old)
    return FileChange("D" if kind == "D" else "T" if kind == "T" else "M", old)


def developer_of(commit: Commit) -> str | None:
    """The author's name, or None for the bot."""
    return None if commit.author_name.endswith("[bot]") else commit.author_name


@pytest.mark.parametrize("seed", range(40))
def test_grouped_changes_give_the_authorships_and_truck_factor_of_every_change_walked(seed: int) -> None:
    rnd = random.Random(seed)
    commits, alive = random_history(rnd, rnd.randint(5, 60))
    files = sorted(alive | {rnd.choice(PATHS)})
    reference = ReferenceHistory(commits, developer_of).authorships(files)
    grouped = truckfactor.History.from_commits(commits, developer_of)
    assert grouped.authorships(files) == reference
    assert truckfactor.truck_factor_of(grouped.authors(files)) == reference_truck_factor(reference)
    assert truckfactor.truck_factor(reference) == reference_truck_factor(reference)
    # the same through the summary, its changes keyed by signature and mapped to developers when read
    summary = HistorySummary.build(commits)
    by_signature = truckfactor.History(summary.changes, {s: s[0] for s in summary.commits if not s[0].endswith("]")})
    assert by_signature.authorships(files) == reference


@pytest.mark.parametrize("seed", range(10))
def test_a_summary_does_not_depend_on_the_order_commits_are_folded_in(seed: int) -> None:
    rnd = random.Random(seed)
    commits, _ = random_history(rnd, 40)
    whole = HistorySummary.build(commits, BASE_TIME + 20 * DAY)
    shuffled = commits[:]
    rnd.shuffle(shuffled)
    assert HistorySummary.build(shuffled, BASE_TIME + 20 * DAY) == whole
    extended = HistorySummary.build(commits[10:], BASE_TIME + 20 * DAY)
    extended.fold(commits[:10])
    assert extended == whole
    assert [when for when, _, _ in whole.recent] == sorted(when for when, _, _ in whole.recent)
    assert all(when >= BASE_TIME + 20 * DAY for when, _, _ in whole.recent)


def test_tie_breaks_sum_the_changes_of_tied_developers_only() -> None:
    # Zed and Amy author one file each: Zed's five deliveries put him first, as the reference orders them
    authors = truckfactor.Authors({"f0": ["Zed"], "f1": ["Amy"]}, [({"Zed"}, {"Zed": 4}), (set(), {"Amy": 1})])
    assert authors.changes(["Amy", "Zed"]) == {"Amy": 1, "Zed": 5}
    assert truckfactor.truck_factor_of(authors).greedy_authors == ("Zed", "Amy")


# ---------------------------------------------------------------- stored, extended, read by the checks

CODE = "def f():\n    return 1\n"
ANN, BOB, CARL, BOT = ("Ann Lee <ann@example.com>", "Bob Stone <bob@acme.example>", "Carl <carl@example.com>",
                       "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>")
HISTORY_CHECKS: list[Check] = [Activity(), ContributorSpread(), tests_check.Tests()]


def results(facts: RepoFacts) -> list[CheckResult]:
    """The history checks' results on ``facts``."""
    return [result for _, result in engine.run(HISTORY_CHECKS, facts)]


def start(builder: RepoBuilder) -> None:
    """Commits by people, a bot, with tests and renames."""
    builder.commit({"pkg/a.py": CODE, "pkg/b.py": CODE, "tests/test_a.py": CODE}, author=ANN)
    builder.commit({"pkg/a.py": CODE + "#\n"}, author=BOB)
    builder.commit({"requirements.txt": "x==2\n"}, author=BOT)
    builder.commit({}, author=CARL, renames={"pkg/b.py": "pkg/c.py"})
    builder.commit({"pkg/c.py": CODE + "# c\n", "tests/test_a.py": CODE + "#\n"}, author=BOB)


def test_an_extended_summary_equals_a_fresh_one_and_the_checks_agree(builder: RepoBuilder) -> None:
    start(builder)
    collect(builder.root)
    # a rename back and on, a bot's rename, a merge, and a signature that links Bob and Ann's addresses
    builder.commit({}, author=ANN, renames={"pkg/c.py": "pkg/b.py"})
    builder.commit({}, author=BOT, renames={"pkg/a.py": "pkg/d.py"})
    git(builder.root, "checkout", "-q", "-b", "side", builder.commits[-3])
    builder.commit({"pkg/e.py": CODE}, author="Bob Stone <ann@example.com>")
    git(builder.root, "checkout", "-q", "main")
    git(builder.root, "merge", "-q", "--no-ff", "-m", "merge", "side",
        env={"GIT_AUTHOR_NAME": "Carl", "GIT_AUTHOR_EMAIL": "carl@example.com",
             "GIT_COMMITTER_NAME": "Carl", "GIT_COMMITTER_EMAIL": "carl@example.com"})
    extended, stats = collect(builder.root)
    fresh = uncached(builder.root)
    assert (stats.history, stats.commits_read) == ("extended", 4)
    since = (NOW // DAY - RECENT_DAYS) * DAY
    assert extended.history_summary == fresh.history_summary == HistorySummary.build(fresh.commits, since)
    assert results(extended) == results(fresh)
    spread = results(extended)[1]
    assert spread.metrics["contributors"] == 2  # Bob and Ann are one person now; Carl only merged
    assert [c.sha for c in extended.commits] == [c.sha for c in fresh.commits]


def test_the_checks_leave_the_stored_commits_unread(builder: RepoBuilder) -> None:
    start(builder)
    collect(builder.root)
    builder.commit({"pkg/a.py": CODE + "# more\n"}, author=CARL)
    facts, stats = collect(builder.root)
    assert stats.history == "extended" and isinstance(facts.commits, StoredCommits)
    results(facts)
    assert not facts.commits.loaded and len(facts.commits) == 6
    assert facts.commits[0].sha == builder.commits[-1] and facts.commits.loaded


def test_a_clock_set_back_beyond_the_stored_window_reads_the_commits(
    builder: RepoBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(8):
        builder.commit({"pkg/a.py": CODE + f"# {index}\n", "tests/test_a.py": CODE + f"# {index % 2}\n"},
                       author=(ANN, BOB)[index % 2])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(NOW + 3 * 365 * DAY))
    collect(builder.root)  # stored with the recent commits of a later clock: none
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(NOW))
    facts, stats = collect(builder.root)
    assert stats.history == "cached" and facts.history_summary is not None
    assert facts.history_summary.recent_between(NOW - 365 * DAY, NOW) is None
    assert results(facts) == results(uncached(builder.root))
    assert results(facts)[2].metrics["source_commits_last_365_days"] == 8


def stored(root: Path) -> dict[str, str | None]:
    """HEAD -> base of every stored part."""
    with contextlib.closing(sqlite3.connect(cache_path(root))) as db:
        return dict(db.execute("SELECT head, base FROM histories"))


def test_many_parts_are_put_together_above_the_oldest(builder: RepoBuilder) -> None:
    for index in range(70):  # a long history: the parts above it stay small beside it
        builder.commit({f"pkg/m{index % 7}.py": CODE + f"# {index}\n"}, author=(ANN, BOB, CARL)[index % 3])
    collect(builder.root)
    bottom = builder.commits[-1]
    for index in range(historystore.MAX_PARTS):
        builder.commit({"pkg/m0.py": CODE + f"# top {index}\n"}, author=ANN)
        facts, stats = collect(builder.root)
        assert stats.history == "extended"
    # the 15 parts above the whole history and the new commit: one part, with its summary
    head, below = builder.commits[-1], builder.commits[-2]
    assert stored(builder.root)[head] == bottom
    fresh = uncached(builder.root)
    assert facts == fresh and results(facts) == results(fresh)
    again, stats = collect(builder.root)
    assert stats.history == "cached" and again == fresh
    builder.commit({"pkg/m1.py": CODE + "# last\n"}, author=BOB)
    last, stats = collect(builder.root)
    assert stats.history == "extended" and stored(builder.root)[builder.commits[-1]] == head
    assert last == uncached(builder.root) and below in [c.sha for c in last.commits]


def drop_summaries(root: Path) -> None:
    """Delete every stored summary (their commits stay)."""
    with contextlib.closing(sqlite3.connect(cache_path(root))) as db, db:
        db.execute("DELETE FROM entries WHERE kind LIKE 'history-summary:%'")


def test_a_lost_summary_is_made_again_from_the_stored_commits(builder: RepoBuilder) -> None:
    start(builder)
    collect(builder.root)
    drop_summaries(builder.root)
    facts, stats = collect(builder.root)
    assert (stats.history, stats.commits_read) == ("cached", 0)
    assert facts == uncached(builder.root)
    drop_summaries(builder.root)
    builder.commit({"pkg/a.py": CODE + "# new\n"}, author=CARL)
    facts, stats = collect(builder.root)
    assert (stats.history, stats.commits_read) == ("extended", 1)
    assert facts == uncached(builder.root)
    assert cache_module.HISTORIES_KEPT < historystore.RECORDS_KEPT


def test_gitattributes_overrides_decide_the_source_files(builder: RepoBuilder) -> None:
    builder.commit({"pkg/a.py": CODE, "pkg/gen.py": CODE, "vendor/lib.py": CODE, "notes.txt": "x\n",
                    ".gitattributes": "pkg/gen.py linguist-generated\nvendor/** -linguist-vendored\n"
                                      "notes.txt linguist-detectable\n*.py diff=python\n"}, author=ANN)
    builder.commit({"pkg/a.py": CODE + "#\n", "notes.txt": "y\n"}, author=BOB)
    collect(builder.root)
    facts, _ = collect(builder.root)
    spread = results(facts)[1]
    # a.py, the vendored file un-vendored and the text made detectable; gen.py is generated
    counted = linguist.source_files(facts.files, [], facts.documents[".gitattributes"])
    assert spread.metrics["source_files"] == len(counted) == 3 and "pkg/gen.py" not in counted
    assert results(facts) == results(uncached(builder.root))
