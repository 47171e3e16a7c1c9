"""The ``activity`` check: is the project still maintained, judged against its own rhythm?"""

from __future__ import annotations

import bisect
import calendar
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from oshealth import historysummary, versions
from oshealth.facts import RepoFacts
from oshealth.git import Tag
from oshealth.models import Check, CheckResult, Finding, MetricValue, Severity
from oshealth.wording import plural

DAY = 86_400
#: How many recent gaps (between commits, between releases) define the project's rhythm.
RECENT_GAPS = 100
RECENT_RELEASE_INTERVALS = 10


def staleness_score(age_days: float, interval_days: float, grace: float, zero_at: float) -> float:
    """Score the time since the last event against the usual interval between events.

    Args:
        age_days: Days since the last event.
        interval_days: The project's usual interval, in days (already clamped).
        grace: Ratio ``age / interval`` up to which the score is 10.
        zero_at: Ratio at and beyond which the score is 0.

    Returns:
        10 up to ``grace``, falling linearly to 0 at ``zero-at``.
    """
    ratio = age_days / interval_days
    if ratio <= grace:
        return 10.0
    return max(0.0, 10.0 * (zero_at - ratio) / (zero_at - grace))


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0-1) of a non-empty sequence."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def monthly_commits(times: Iterable[int], now: int) -> list[dict[str, MetricValue]]:
    """Commits in each of the 12 complete calendar months (UTC) before the month of ``now``.

    Args:
        times: Commit times, epoch seconds, in any order.
        now: The audit's clock.

    Returns:
        Twelve ``{"month": "YYYY-MM", "commits": n}`` records, oldest first.
    """
    return _monthly_commits(sorted(times), now)


def _monthly_commits(times: Sequence[int], now: int) -> list[dict[str, MetricValue]]:
    """:func:`monthly_commits` of sorted ``times``."""
    current = _month_of(now)
    return _months(times, current - 12, current - 1)


def history_monthly(times: Iterable[int], now: int) -> list[dict[str, MetricValue]]:
    """Commits in every calendar month (UTC) from the first commit's month to the month of ``now``.

    Months without commits are listed with 0, so the list draws a time axis
    as it is: a long silence shows as a run of zeros up to now.

    Args:
        times: Commit times, epoch seconds, in any order.
        now: The audit's clock.

    Returns:
        ``{"month": "YYYY-MM", "commits": n}`` records, oldest first; empty without commits.
    """
    return _history_monthly(sorted(times), now)


def _history_monthly(times: Sequence[int], now: int) -> list[dict[str, MetricValue]]:
    """:func:`history_monthly` of sorted ``times``."""
    if not times:
        return []
    return _months(times, _month_of(times[0]), max(_month_of(now), _month_of(times[-1])))


def _month_of(when: int) -> int:
    """The UTC calendar month of a time, counted from year 0 (``year * 12 + month - 1``)."""
    moment = datetime.fromtimestamp(when, UTC)
    return moment.year * 12 + moment.month - 1


def _months(times: Sequence[int], first: int, last: int) -> list[dict[str, MetricValue]]:
    """The commits of each month from ``first`` to ``last`` (see :func:`_month_of`), counted in sorted ``times``."""
    # a month holds the times from its first second to the next month's: two searches per month,
    # not a look at every commit
    bounds = [bisect.bisect_left(times, calendar.timegm((index // 12, index % 12 + 1, 1, 0, 0, 0)))
              for index in range(first, last + 2)]
    return [
        {"month": f"{index // 12:04d}-{index % 12 + 1:02d}", "commits": bounds[i + 1] - bounds[i]}
        for i, index in enumerate(range(first, last + 1))
    ]


class Activity(Check):
    """The project should show recent commits or releases, judged against its own rhythm.

    Measures the age of the last commit (author date), commits in each of the
    12 complete calendar months before now (UTC) and in the last 365 days, and
    a release cadence from version tags (``v1.2.3``, ``1.2``, ``release-1.0``;
    pre-releases and tags that are not versions are left out; tags made on the
    same UTC day count as one release): releases in the last 365 days, the
    median interval between the last 10 releases, and the last release's age.
    For the report's history chart: ``history_monthly``, commits in every
    month from the first commit to now, and ``release_tags``, each release
    tag's name and UTC date.

    Score: a project is judged against its own typical interval, so a stable
    project with rare but regular releases is not taken for abandoned. Commit
    part: the typical gap is the 90th percentile (nearest rank) of the gaps
    between the last 101 commits; release part (with 2 or more releases): the
    median interval. Each interval is clamped to ``min-interval-days``-
    ``max-interval-days`` (30-365) to give the expected interval (metrics
    ``expected_commit_gap_days``; the raw values are reported too); with ``ratio = age / interval`` a part scores
    10 up to ``grace`` (1.5), falling linearly to 0 at ``zero-at`` (4). The
    score is the better of the two parts (the commit part alone without
    releases); passes at 7. Not applicable to an empty repository;
    inconclusive in a shallow clone, whose history is cut.
    Why: users need to know whether bugs will be fixed; a long silence, compared
    with the project's own habits, is the best signal available from a repository.

    Fix: if the project is maintained, release the pending changes and tag them
    (``git tag v1.2.3``); if it is finished, say so in the README; in CI, fetch
    the full history (actions/checkout with ``fetch-depth: 0``).
    """

    id: ClassVar[str] = "activity"
    category: ClassVar[str] = "activity"
    weight: ClassVar[float] = 1.0
    default_options: ClassVar[Mapping[str, Any]] = {
        "min-interval-days": 30,
        "max-interval-days": 365,
        "grace": 1.5,
        "zero-at": 4.0,
    }

    def evaluate(self, facts: RepoFacts) -> CheckResult:
        """Score recency of commits and releases against the project's rhythm."""
        every = historysummary.of(facts).times  # sorted
        if not every:
            return CheckResult.not_applicable("empty repository: no commits")
        times = every[: bisect.bisect_right(every, facts.now)]  # those up to the audit's clock
        if not times:
            return CheckResult.not_applicable("every commit is dated after the audit's clock")
        last_age = (facts.now - times[-1]) / DAY
        releases, metrics, findings = self._releases(facts)
        metrics["last_commit_age_days"] = round(last_age, 1)
        if facts.is_shallow:
            reason = "shallow clone: commit history is incomplete; fetch it all (actions/checkout with fetch-depth: 0)"
            return CheckResult.inconclusive(reason, metrics)
        commit_score, expected = self._commit_part(times, last_age, facts.now, metrics)
        release_score = self._release_score(releases, facts.now, metrics)
        score = max(commit_score, release_score or 0.0)
        findings += self._stale_findings(score, (commit_score, last_age, expected), release_score, metrics)
        reason = f"last commit {last_age:.0f} days ago (expected gap {expected:.0f} days)"
        if release_score is not None:
            reason += (
                f", last release {metrics['last_release_age_days']:.0f} days ago "
                f"(median interval {metrics['median_release_interval_days']:.0f} days)"
            )
        return CheckResult.scored(score, reason, metrics=metrics, findings=findings)

    def _commit_part(self, times: Sequence[int], last_age: float, now: int,
                     metrics: dict[str, MetricValue]) -> tuple[float, float]:
        """Score the last commit's age against the typical gap; add the commit metrics (``times`` sorted).

        Returns:
            The commit score and the expected gap in days.
        """
        recent = times[-RECENT_GAPS - 1 :]
        gaps = [(b - a) / DAY for a, b in zip(recent, recent[1:], strict=False)]
        typical = percentile(gaps, 0.9) if gaps else None
        expected = self._clamp(typical or 0.0)
        commit_score = self._score(last_age, expected)
        metrics.update(
            typical_commit_gap_days=None if typical is None else round(typical, 1),
            expected_commit_gap_days=round(expected, 1),
            commits_last_365_days=len(times) - bisect.bisect_left(times, now - 365 * DAY),
            commits_per_month=_monthly_commits(times, now),
            history_monthly=_history_monthly(times, now),
            commit_score=round(commit_score, 2),
        )
        return commit_score, expected

    @staticmethod
    def _stale_findings(score: float, commits: tuple[float, float, float], release_score: float | None,
                        metrics: Mapping[str, MetricValue]) -> list[Finding]:
        """Findings on a stale commit or release part; ``commits`` is (score, last age, expected gap)."""
        commit_score, last_age, expected = commits
        # a stale part that the other part makes up for is worth knowing, not a warning
        severity = Severity.WARNING if score < 7 else Severity.NOTE
        findings = []
        if commit_score < 10:
            ratio = last_age / expected
            message = f"last commit {last_age:.0f} days ago, {ratio:.1f} times the expected gap of {expected:.0f} days"
            findings.append(Finding(message, None, None, severity, "stale-commits"))
        if release_score is not None and release_score < 10:
            message = (
                f"last release {metrics['last_release_age_days']:.0f} days ago, "
                f"while releases usually come every {metrics['median_release_interval_days']:.0f} days"
            )
            findings.append(Finding(message, None, None, severity, "stale-releases"))
        return findings

    def _clamp(self, days: float) -> float:
        """``days`` clamped to the options' interval range."""
        low, high = float(self.options["min-interval-days"]), float(self.options["max-interval-days"])
        return min(high, max(low, days))

    def _score(self, age: float, interval: float) -> float:
        """The 0-10 score of an age against an expected interval, with the options' grace and zero point."""
        return staleness_score(age, interval, float(self.options["grace"]), float(self.options["zero-at"]))

    def _releases(self, facts: RepoFacts) -> tuple[list[int], dict[str, MetricValue], list[Finding]]:
        """Release times (one per UTC day), release metrics and findings about tags."""
        tagged, others = versions.version_tags(facts.tags)
        finals = _final_releases(tagged, facts.now)
        times = _release_times(finals)
        latest = max(finals, key=lambda r: (r.tag.created_at, r.tag.name), default=None)
        metrics: dict[str, MetricValue] = {
            "version_tags": len(tagged),
            "prerelease_tags": sum(1 for r in tagged if r.version.is_prerelease),
            "other_tags": [t.name for t in others][:10],
            "releases": len(times),
            "releases_last_365_days": sum(1 for t in times if t >= facts.now - 365 * DAY),
            "last_release": latest.tag.name if latest else None,
            "release_tags": _release_tags(finals),
            "last_release_age_days": round((facts.now - times[-1]) / DAY, 1) if times else None,
            "median_release_interval_days": None,
            "release_score": None,
        }
        return times, metrics, _tag_findings(tagged, others)

    def _release_score(self, times: list[int], now: int, metrics: dict[str, MetricValue]) -> float | None:
        """Score the last release's age against the median interval (None with fewer than 2 releases)."""
        if len(times) < 2:
            return None
        intervals = [(b - a) / DAY for a, b in zip(times, times[1:], strict=False)][-RECENT_RELEASE_INTERVALS:]
        median = statistics.median(intervals)
        age = (now - times[-1]) / DAY
        score = self._score(age, self._clamp(median))
        metrics.update(median_release_interval_days=round(median, 1), release_score=round(score, 2))
        return score


def _final_releases(tagged: Sequence[versions.Release], now: int) -> list[versions.Release]:
    """The version tags that are not pre-releases, made by ``now``."""
    return [r for r in tagged if not r.version.is_prerelease and r.tag.created_at <= now]


def _release_times(finals: Sequence[versions.Release]) -> list[int]:
    """The time of each release day's first release tag, sorted (tags of one UTC day are one release)."""
    days: dict[int, int] = {}
    for release in finals:
        day = release.tag.created_at // DAY
        days[day] = min(days.get(day, release.tag.created_at), release.tag.created_at)
    return sorted(days.values())


def _release_tags(finals: Sequence[versions.Release]) -> list[MetricValue]:
    """Each release tag's name and UTC date, oldest first (the history chart's marks)."""
    return [
        {"name": r.tag.name, "date": datetime.fromtimestamp(r.tag.created_at, UTC).strftime("%Y-%m-%d")}
        for r in sorted(finals, key=lambda r: (r.tag.created_at, r.tag.name))
    ]


def _tag_findings(tagged: Sequence[versions.Release], others: Sequence[Tag]) -> list[Finding]:
    """Notes on a repository without version tags, and on tags that are not versions."""
    findings = []
    if not tagged:
        message = "no version tags: releases cannot be followed; tag each release (git tag v1.2.3)"
        findings.append(Finding(message, None, None, Severity.NOTE, "no-releases"))
    if others:
        names = ", ".join(t.name for t in others[:5]) + (", ..." if len(others) > 5 else "")
        verb = "is not a version number" if len(others) == 1 else "are not version numbers"
        message = f"{plural(len(others), 'tag')} {verb} and not counted as releases: {names}"
        findings.append(Finding(message, None, None, Severity.NOTE, "non-version-tags"))
    return findings
