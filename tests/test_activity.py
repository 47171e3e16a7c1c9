from __future__ import annotations

from pathlib import Path

import pytest
from oshealth.checks.activity import Activity, monthly_commits, percentile, staleness_score

from oshealth import engine, versions
from oshealth.models import Severity, Status
from tests.factsutil import collect
from tests.gitrepo import BASE_TIME, DAY, RepoBuilder, git

NOW = BASE_TIME + 365 * DAY  # SOURCE_DATE_EPOCH of every test (2024-12-31T00:00Z)


def months(*counts: int) -> list[dict[str, object]]:
    names = ["2023-12"] + [f"2024-{m:02d}" for m in range(1, 12)]
    return [{"month": name, "commits": count} for name, count in zip(names, counts, strict=True)]


@pytest.mark.parametrize(
    ("name", "text", "release", "pre", "post", "dev"),
    [
        ("v1.2.3", "1.2.3", (1, 2, 3), None, None, None),
        ("1.2", "1.2", (1, 2), None, None, None),
        ("release-1.0", "1.0", (1, 0), None, None, None),
        ("flask-2.0.1rc1", "2.0.1rc1", (2, 0, 1), ("rc", 1), None, None),
        ("v2.0.0-beta.2", "2.0.0-beta.2", (2, 0, 0), ("b", 2), None, None),
        ("1.0.dev3", "1.0.dev3", (1, 0), None, None, 3),
        ("1.0.post2", "1.0.post2", (1, 0), None, 2, None),
        ("devtools-1.0", "1.0", (1, 0), None, None, None),
        ("api/v1.4", "1.4", (1, 4), None, None, None),
        ("pkg@3.0.0", "3.0.0", (3, 0, 0), None, None, None),
        ("V7", "7", (7,), None, None, None),
    ],
)
def test_version_parse(
    name: str, text: str, release: tuple[int, ...], pre: tuple[str, int] | None, post: int | None, dev: int | None
) -> None:
    version = versions.parse(name)
    assert version is not None
    assert (version.text, version.release, version.pre, version.post, version.dev) == (text, release, pre, post, dev)


@pytest.mark.parametrize("name", ["latest", "stable", "before-refactor", "2024-01-15", "1.x", "0.12.x", ""])
def test_not_a_version(name: str) -> None:
    assert versions.parse(name) is None


@pytest.mark.parametrize(
    ("smaller", "larger"),
    [("1.0.dev1", "1.0a1"), ("1.0a1", "1.0b1"), ("1.0b2", "1.0rc1"), ("1.0rc1", "1.0"), ("1.0", "1.0.post1"),
     ("1.9", "1.10"), ("1.0a1.dev1", "1.0a1")],
)
def test_version_order(smaller: str, larger: str) -> None:
    a, b = versions.parse(smaller), versions.parse(larger)
    assert a is not None and b is not None
    assert a.key() < b.key()


def test_versions_equal_with_trailing_zeros() -> None:
    a, b = versions.parse("v2.0"), versions.parse("2.0.0")
    assert a is not None and b is not None and a.key() == b.key()


def test_find_versions_in_text() -> None:
    text = "Version 3.1.0\n-----\nReleased 2024-11-13, see #12 and 1.2. Also v2.0.0rc1 and flask-2.0."
    assert [v.text for v in versions.find_in_text(text)] == ["3.1.0", "2024", "1.2", "2.0.0rc1"]


@pytest.mark.parametrize(
    ("age", "interval", "expected"),
    [(0, 30, 10.0), (45, 30, 10.0), (60, 30, 8.0), (90, 30, 4.0), (120, 30, 0.0), (500, 30, 0.0), (1095, 365, 4.0)],
)
def test_staleness_score(age: float, interval: float, expected: float) -> None:
    assert staleness_score(age, interval, 1.5, 4.0) == pytest.approx(expected)


def test_percentile_nearest_rank() -> None:
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([10, 1, 3], 0.5) == 3


def test_monthly_commits_are_complete_months_before_now() -> None:
    jan_2024, feb_2024, dec_2023, nov_2023 = 1_704_067_200, 1_706_745_600, 1_701_388_800, 1_698_796_800
    times = [jan_2024, jan_2024 + 5, feb_2024, dec_2023, nov_2023, NOW + 5]
    assert monthly_commits(times, NOW) == months(1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0)


def test_empty_repository_is_not_applicable(builder: RepoBuilder) -> None:
    result = Activity().evaluate(collect(builder.root))
    assert (result.status, result.score, result.reason) == (Status.NOT_APPLICABLE, None, "empty repository: no commits")


def test_monthly_commits_and_regular_project(builder: RepoBuilder) -> None:
    for k in range(12):
        builder.commit({"a.py": f"x = {k}\n"}, when=BASE_TIME + k * 30 * DAY)
    result = Activity().evaluate(collect(builder.root))
    m = result.metrics
    assert (result.status, result.score) == (Status.PASS, 10.0)
    assert m["last_commit_age_days"] == 35.0
    assert (m["typical_commit_gap_days"], m["expected_commit_gap_days"]) == (30.0, 30.0)
    assert m["commits_last_365_days"] == 12
    # Jan 1, Jan 31, Mar 1, Mar 31, Apr 30, May 30, Jun 29, Jul 29, Aug 28, Sep 27, Oct 27, Nov 26
    # now is 2024-12-31, so the complete months are 2023-12 .. 2024-11
    assert m["commits_per_month"] == months(0, 2, 0, 2, 1, 1, 1, 1, 1, 1, 1, 1)
    assert result.reason == "last commit 35 days ago (expected gap 30 days)"
    assert [f.rule for f in result.findings] == ["no-releases"]


def test_silent_project_without_releases_scores_zero(builder: RepoBuilder) -> None:
    for k in range(10):
        builder.commit({"a.py": f"x = {k}\n"})  # one a day from BASE_TIME + 1 day
    result = engine.evaluate(Activity(), collect(builder.root))
    assert (result.status, result.score) == (Status.FAIL, 0.0)
    assert result.metrics["last_commit_age_days"] == 355.0
    # commits a day apart: the raw gap is 1 day, the expected gap at least 30
    assert (result.metrics["typical_commit_gap_days"], result.metrics["expected_commit_gap_days"]) == (1.0, 30.0)
    assert result.metrics["releases"] == 0
    assert result.metrics["release_score"] is None
    messages = [(f.severity, f.message) for f in result.findings]
    assert messages == [
        (Severity.WARNING, "last commit 355 days ago, 11.8 times the expected gap of 30 days"),
        (Severity.NOTE, "no version tags: releases cannot be followed; tag each release (git tag v1.2.3)"),
    ]


def test_old_commits_with_yearly_regular_releases_is_not_abandoned(builder: RepoBuilder) -> None:
    start = NOW - 3 * 365 * DAY
    for k in range(3):
        builder.commit({"a.py": f"x = {k}\n"}, when=start + k * DAY)
    # a finished library re-released every year (annotated tags carry their own date)
    for name, when in (("v1.0.0", NOW - 800 * DAY), ("v1.1.0", NOW - 435 * DAY), ("v1.2.0", NOW - 70 * DAY)):
        builder.clock = when
        builder.tag(name, f"release {name}")
    result = Activity().evaluate(collect(builder.root))
    m = result.metrics
    assert (result.status, result.score) == (Status.PASS, 10.0)
    assert (m["commit_score"], m["release_score"]) == (0.0, 10.0)
    assert (m["releases"], m["releases_last_365_days"], m["last_release"]) == (3, 1, "v1.2.0")
    assert (m["median_release_interval_days"], m["last_release_age_days"]) == (365.0, 70.0)
    assert m["commits_last_365_days"] == 0
    assert result.reason == (
        "last commit 1093 days ago (expected gap 30 days), last release 70 days ago (median interval 365 days)"
    )
    assert [(f.severity, f.rule) for f in result.findings] == [(Severity.NOTE, "stale-commits")]


def test_yearly_releases_that_stopped_three_years_ago_decay(builder: RepoBuilder) -> None:
    for k in range(5):
        builder.commit({"a.py": f"x = {k}\n"}, when=NOW - (7 - k) * 365 * DAY)
        builder.tag(f"v1.{k}")
    result = Activity().evaluate(collect(builder.root))
    m = result.metrics
    # last commit and release 3 * 365 days ago against a 365-day rhythm: (4 - 3) / 2.5 * 10
    assert (m["commit_score"], m["release_score"], result.score) == (4.0, 4.0, 4.0)
    assert (m["typical_commit_gap_days"], m["median_release_interval_days"]) == (365.0, 365.0)
    assert m["expected_commit_gap_days"] == 365.0
    assert result.status == Status.FAIL
    assert sorted(f.rule for f in result.findings) == ["stale-commits", "stale-releases"]


def test_tags_that_are_not_versions_and_prereleases(builder: RepoBuilder) -> None:
    builder.commit({"a.py": "x = 1\n"}, when=NOW - 100 * DAY)
    for name in ("latest", "stable", "before-refactor", "v2.0.0rc1"):
        builder.tag(name)
    builder.commit({"a.py": "x = 2\n"}, when=NOW - 90 * DAY)
    builder.tag("v2.0.0")
    builder.tag("2.0.0")  # the same release twice, same day
    result = Activity().evaluate(collect(builder.root))
    m = result.metrics
    assert (m["version_tags"], m["prerelease_tags"], m["releases"]) == (3, 1, 1)
    assert m["other_tags"] == ["before-refactor", "latest", "stable"]
    assert m["last_release"] == "v2.0.0"
    assert (m["median_release_interval_days"], m["release_score"]) == (None, None)
    notes = [f.message for f in result.findings if f.rule == "non-version-tags"]
    assert notes == ["3 tags are not version numbers and not counted as releases: before-refactor, latest, stable"]


def test_releases_on_the_same_day_count_once(builder: RepoBuilder) -> None:
    for k, name in enumerate(("v1.0", "v1.1", "v2.0")):
        builder.commit({"a.py": f"x = {k}\n"}, when=NOW - (300 - 100 * k) * DAY)
        builder.tag(name)
    builder.commit({"b.py": "y = 1\n"}, when=NOW - 100 * DAY + 3600)
    builder.tag("v1.1.1")  # a backport on the day of v2.0
    m = Activity().evaluate(collect(builder.root)).metrics
    assert (m["version_tags"], m["releases"], m["median_release_interval_days"]) == (4, 3, 100.0)
    assert m["last_release"] == "v1.1.1"
    assert m["last_release_age_days"] == 100.0


def test_shallow_clone_is_inconclusive(builder: RepoBuilder, tmp_path: Path) -> None:
    for k in range(3):
        builder.commit({"a.py": f"x = {k}\n"})
    builder.tag("v1.0.0")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{builder.root}", str(clone))
    result = Activity().evaluate(collect(clone))
    assert result.status == Status.INCONCLUSIVE
    assert "fetch-depth: 0" in result.reason
    assert result.metrics["last_commit_age_days"] == 362.0
    assert "typical_commit_gap_days" not in result.metrics  # history metrics are not guessed


def test_single_commit_has_no_typical_gap(builder: RepoBuilder) -> None:
    builder.commit({"a.py": "x = 1\n"}, when=NOW - 50 * DAY)
    result = Activity().evaluate(collect(builder.root))
    m = result.metrics
    assert (m["typical_commit_gap_days"], m["expected_commit_gap_days"]) == (None, 30.0)
    assert m["last_commit_age_days"] == 50.0
    # 50 / 30 = 1.67: (4 - 1.67) / 2.5 * 10
    assert (result.status, result.score) == (Status.PASS, 9.33)


def test_history_monthly_covers_first_commit_to_now_with_empty_months() -> None:
    from oshealth.checks.activity import history_monthly

    oct_2024, dec_2024 = 1_727_740_800, 1_733_011_200  # 2024-10-01, 2024-12-01 (UTC)
    assert history_monthly([oct_2024, oct_2024 + 5, dec_2024], NOW) == [
        {"month": "2024-10", "commits": 2},
        {"month": "2024-11", "commits": 0},
        {"month": "2024-12", "commits": 1},
    ]
    assert history_monthly([], NOW) == []


def test_history_monthly_and_release_tags_metrics(builder: RepoBuilder) -> None:
    builder.commit({"a.py": "x = 1\n"}, when=BASE_TIME)  # 2024-01-01
    builder.tag("v1.0.0")
    builder.tag("v1.1.0rc1")  # a pre-release: not a release tag
    builder.commit({"a.py": "x = 2\n"}, when=BASE_TIME + 40 * DAY)  # 2024-02-10
    builder.commit({"a.py": "x = 3\n"}, when=BASE_TIME + 45 * DAY)  # 2024-02-15
    builder.tag("v1.1.0", "annotated")
    builder.tag("latest")  # not a version
    builder.commit({"a.py": "x = 4\n"}, when=BASE_TIME + 200 * DAY)  # 2024-07-19
    m = Activity().evaluate(collect(builder.root)).metrics
    history = m["history_monthly"]
    assert isinstance(history, list)
    assert [h["commits"] for h in history] == [1, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert (history[0]["month"], history[-1]["month"]) == ("2024-01", "2024-12")
    assert m["release_tags"] == [{"name": "v1.0.0", "date": "2024-01-01"}, {"name": "v1.1.0", "date": "2024-02-15"}]


def test_shallow_clone_keeps_release_tags_but_no_history(builder: RepoBuilder, tmp_path: Path) -> None:
    builder.commit({"a.py": "x = 1\n"})
    builder.tag("v1.0.0")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{builder.root}", str(clone))
    m = Activity().evaluate(collect(clone)).metrics
    assert m["release_tags"] == [{"name": "v1.0.0", "date": "2024-01-02"}]
    assert "history_monthly" not in m


def test_one_non_version_tag_is_singular(builder: RepoBuilder) -> None:
    builder.commit({"a.py": "x = 1\n"})
    builder.tag("stable")
    result = Activity().evaluate(collect(builder.root))
    notes = [f.message for f in result.findings if "version number" in f.message]
    assert notes == ["1 tag is not a version number and not counted as releases: stable"]


def test_monthly_counts_agree_with_a_date_per_commit_at_month_edges() -> None:
    from datetime import UTC, datetime

    from oshealth.checks.activity import history_monthly

    def month(when: int) -> str:
        return datetime.fromtimestamp(when, UTC).strftime("%Y-%m")

    # the first and last second of months and days, out of order, repeated, and a commit before 1970
    edges = [1_701_388_800, 1_704_067_200, 1_706_745_600, 1_709_251_200, 1_733_011_200]  # 2023-12-01 ... 2024-12-01
    times = sorted({e + d for e in edges for d in (-DAY, -1, 0, 1, DAY - 1, DAY)}, reverse=True)
    times += [times[3], times[3], -1, -DAY - 1, 0, 1_703_980_799]
    expected: dict[str, int] = {}
    for when in times:
        expected[month(when)] = expected.get(month(when), 0) + 1
    assert monthly_commits(times, NOW) == [
        {"month": m["month"], "commits": expected.get(str(m["month"]), 0)} for m in months(*[0] * 12)
    ]
    assert [m["commits"] for m in monthly_commits(times, NOW)] == [7, 6, 6, 4, 0, 0, 0, 0, 0, 0, 0, 2]
    history = history_monthly(times, NOW)
    assert {str(m["month"]): m["commits"] for m in history if m["commits"]} == expected
    assert (history[0], history[-1], len(history)) == (
        {"month": "1969-12", "commits": 2}, {"month": "2024-12", "commits": 6}, 55 * 12 + 1
    )
