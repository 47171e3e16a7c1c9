"""The ``contributor-spread`` check: how many people would the project miss?"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from oshealth import historysummary, identities, linguist, truckfactor
from oshealth.facts import RepoFacts
from oshealth.historysummary import Signature
from oshealth.models import Check, CheckResult, Finding, MetricValue, Severity

DAY = 86_400
#: Score for a truck factor of 0, 1, 2, 3; 4 and more score 10.
SCORES = {1: 3.0, 2: 7.0, 3: 8.5}
MAX_ORGANISATIONS_SHOWN = 10
#: How many file authors ``file_authors`` lists (``file_author_count`` counts them all).
MAX_FILE_AUTHORS_SHOWN = 20


@dataclass
class _People:
    """Commit statistics per merged developer (humans only), built in one pass."""

    identities: identities.Identities
    commits: Counter[str] = field(default_factory=Counter)
    first: dict[str, int] = field(default_factory=dict)
    last: dict[str, int] = field(default_factory=dict)
    organisations: Counter[str] = field(default_factory=Counter)


def smallest_majority(counts: Iterable[int]) -> int:
    """Fewest items whose counts, largest first, reach half of the total.

    Args:
        counts: Commits per person or per organisation.

    Returns:
        The CHAOSS factor (0 when there is nothing to count).
    """
    ordered = sorted(counts, reverse=True)
    total, running = sum(ordered), 0
    for index, count in enumerate(ordered, 1):
        running += count
        if 2 * running >= total:
            return index
    return 0


def score_for(truck: int) -> float:
    """Score of a truck factor: 1 -> 3, 2 -> 7, 3 -> 8.5, 4 or more -> 10."""
    return SCORES.get(truck, 10.0 if truck >= 4 else 0.0)


class ContributorSpread(Check):
    """Knowledge of the code should be spread over several people, not held by one.

    Measures the truck factor of Avelino et al., "A Novel Approach for
    Estimating Truck Factors" (ICPC 2016), as its reference implementation
    aserg-ufmg/Truck-Factor computes it: for each source file at HEAD (files
    GitHub Linguist counts as programming or markup; vendored, documentation
    and generated files out, tests in) the degree of authorship
    ``DOA = 3.293 + 1.098*FA + 0.164*DL - 0.321*ln(1+AC)`` of each developer
    over the file's history with renames followed (FA: created the file; DL:
    own changes; AC: others' changes). Authors have ``DOA / max DOA > 0.75``
    and ``DOA >= 3.293`` (creators are exempt from the latter). Developers are
    removed, most authored files first, until more than half of the files have
    no author left; their number is ``truck_factor_greedy`` (the paper's
    figure). ``truck_factor`` is the tool's final figure: those removed who
    author under 10% as many files as the top author are pruned from it.
    Identities are merged by e-mail and by name; ``.mailmap`` is honoured.
    Bots (``*[bot]``, dependabot, renovate, pre-commit-ci, github-actions...
    and the names or e-mails of the ``bots`` option) are listed in ``bots``
    and left out of every figure (the reference tool counts them). Source
    files are judged from their paths with Linguist's data: unlike Linguist,
    scripts without an extension (known by their shebang) are left out, and
    empty files other than ``.py`` files are counted. Also reported: the
    elephant factor (fewest organisations, by e-mail domain, behind half of
    the commits from addresses outside free-mail domains and the
    ``free-mail-domains`` option), the CHAOSS contributor absence factor
    (fewest people behind half of the commits; both count non-merge
    commits), contributors active in the last 90 and 365 days and new in the
    last 365 days (any commit, merges included), and ``file_authors``: the
    20 developers who author most files (greedy removal order first) with
    their file counts, out of ``file_author_count``.

    Score: from the truck factor: 1 -> 3, 2 -> 7, 3 -> 8.5, 4 or more -> 10;
    passes at 7. When no one authors half of the files (a greedy truck factor
    of 0, knowledge too diffuse for the algorithm) the contributor absence
    factor is scored on the same scale instead. A project that only one
    person has ever written scores 3: the score is a risk, not a blame, and
    the risk is real whatever the project's size. Shallow clones are
    inconclusive: history-based authorship needs the full history.

    Why: a project whose code only one or two people understand stops when
    they leave; the truck factor, unlike commit counts, follows who wrote and
    still owns each file.

    Fix: spread ownership: have other maintainers review, change and own the
    files the truck-factor authors hold (findings list them), document the
    code they know, and mentor the contributors active in the last year.
    """

    id: ClassVar[str] = "contributor-spread"
    category: ClassVar[str] = "community"
    weight: ClassVar[float] = 1.5
    default_options: ClassVar[Mapping[str, Any]] = {"bots": [], "free-mail-domains": []}

    def evaluate(self, facts: RepoFacts) -> CheckResult:
        """Compute the truck factor and the contributor figures; see the class docstring."""
        if facts.is_shallow:
            return CheckResult.inconclusive(
                "shallow clone: authorship needs the full history (fetch it with `git fetch --unshallow`, "
                "or `fetch-depth: 0` in actions/checkout)"
            )
        summary = historysummary.of(facts)
        if not summary.commits:
            return CheckResult.not_applicable("the repository has no commits")
        bots = self._bots(summary)
        people = self._people(summary, {s: n for s, n in summary.commits.items() if s not in bots})
        metrics: dict[str, MetricValue] = {
            **_bot_metrics(summary.commits, bots), **self._contributor_metrics(facts, people)
        }
        if not people.first:
            return CheckResult.not_applicable("no human commits: only bots", metrics)
        return self._truck_factor(facts, summary, people, metrics)

    def _bots(self, summary: historysummary.HistorySummary) -> set[Signature]:
        """The author signatures (name, email) that are bots, the ``bots`` option's names included."""
        extra = [str(b) for b in self.options["bots"]]
        if not extra:
            return set(summary.bots)
        return {sig for sig in summary.commits if sig in summary.bots or identities.is_bot(*sig, extra)}

    def _people(self, summary: historysummary.HistorySummary, humans: Mapping[Signature, int]) -> _People:
        """The human authors merged into people, with their first and last commits, commits and organisations."""
        people = _People(identities.merge(humans, summary.identity_nodes))
        key_of, first, last = people.identities.key_of, people.first, people.last
        emails: Counter[str] = Counter()  # non-merge commits per address: one organisation look-up each
        for sig in humans:
            key = key_of[sig]
            if key not in first:
                first[key], last[key] = summary.first[sig], summary.last[sig]
            else:
                first[key] = min(first[key], summary.first[sig])
                last[key] = max(last[key], summary.last[sig])
            commits = summary.non_merges.get(sig, 0)
            if commits:
                people.commits[key] += commits
                emails[sig[1]] += commits
        free_mail = [str(d).lower() for d in self.options["free-mail-domains"]]
        for email, commits in emails.items():
            org = identities.organisation(email, free_mail) if free_mail else summary.organisations[email]
            if org:
                people.organisations[org] += commits
        return people

    def _contributor_metrics(self, facts: RepoFacts, people: _People) -> dict[str, MetricValue]:
        """Contributor counts, absence and elephant factors, organisations and recent activity."""

        def since(days: int) -> int:
            """The time ``days`` days before the audit's clock."""
            return facts.now - days * DAY

        org_commits = sum(people.organisations.values())
        top_orgs = sorted(people.organisations.items(), key=lambda kv: (-kv[1], kv[0]))
        return {
            "contributors": len(people.first),
            "commits": sum(people.commits.values()),
            "contributor_absence_factor": smallest_majority(people.commits.values()),
            "elephant_factor": smallest_majority(people.organisations.values()) if org_commits else None,
            "organisation_commit_share": round(org_commits / max(1, sum(people.commits.values())), 4),
            "organisations": dict(top_orgs[:MAX_ORGANISATIONS_SHOWN]),
            "active_contributors_90d": sum(1 for t in people.last.values() if t >= since(90)),
            "active_contributors_365d": sum(1 for t in people.last.values() if t >= since(365)),
            "new_contributors_365d": sum(1 for t in people.first.values() if t >= since(365)),
        }

    def _truck_factor(self, facts: RepoFacts, summary: historysummary.HistorySummary, people: _People,
                      metrics: dict[str, MetricValue]) -> CheckResult:
        """Score the truck factor of the source files (the contributor absence factor when it is 0)."""
        history = truckfactor.History(summary.changes, people.identities.key_of)
        result = truckfactor.truck_factor_of(history.authors(_source_files(facts, summary)))
        name = people.identities.display.__getitem__
        metrics.update(_truck_metrics(result, name))
        if not result.files:
            return CheckResult.not_applicable("no source file with history to attribute", metrics)
        truck = result.truck_factor
        absence = smallest_majority(people.commits.values())
        if truck == 0:
            reason = f"no developer authors most files; contributor absence factor {absence}"
            return CheckResult.scored(score_for(absence), reason, metrics=metrics)
        findings = _findings(result, name, people, facts.now)
        reason = f"truck factor {truck} ({', '.join(name(d) for d in result.authors)}) over {result.files} source files"
        if len(people.first) == 1:
            reason = f"truck factor 1: {name(result.authors[0])} is the only contributor ever"
        return CheckResult.scored(score_for(truck), reason, metrics=metrics, findings=findings)


def _bot_metrics(signatures: Mapping[Signature, int], bots: set[Signature]) -> dict[str, MetricValue]:
    """The bots' names (their email without a name) and how many commits they made."""
    names = sorted({name or email for name, email in bots})
    return {"bots": names, "bot_commits": sum(signatures[sig] for sig in bots)}


def _source_files(facts: RepoFacts, summary: historysummary.HistorySummary) -> list[str]:
    """The source files with history whose authorship counts, as GitHub linguist tells them (empty Python files out).

    Files without history count for nothing, and the summary knows Linguist's
    verdict on every path of the history; Linguist is asked again only about
    the files a ``.gitattributes`` rule matches.
    """
    empty = {f.path for f in facts.python_files if f.size == 0}
    gitattributes = facts.document(".gitattributes")
    text = gitattributes[1] if gitattributes else ""
    matched = _overridden(facts.files, text)
    source = set(linguist.source_files(sorted(matched), empty, text))
    known = summary.source_paths
    return [p for p in facts.files if (p in source if p in matched else p in known and p not in empty)]


def _overridden(files: Iterable[str], gitattributes: str) -> set[str]:
    """The files a ``linguist-*`` rule of the root ``.gitattributes`` applies to."""
    rules = linguist.parse_gitattributes(gitattributes)
    return {path for path in files if any(rule.pattern.fullmatch(path) for rule in rules)} if rules else set()


def _truck_metrics(result: truckfactor.TruckFactor, name: Callable[[str], str]) -> dict[str, MetricValue]:
    """The truck factor, its authors and the files each developer authors."""
    return {
        "source_files": result.files,
        "truck_factor": result.truck_factor,
        "truck_factor_greedy": result.greedy,
        "truck_factor_authors": [name(d) for d in result.authors],
        "truck_factor_greedy_authors": [name(d) for d in result.greedy_authors],
        "truck_factor_coverage": round(result.coverage, 4),
        "authored_files": {name(d): result.authored_files[d] for d in result.greedy_authors},
        "file_authors": _file_authors(result, name),
        "file_author_count": len(result.authored_files),
    }


def _file_authors(result: truckfactor.TruckFactor, name: Callable[[str], str]) -> list[MetricValue]:
    """The developers who author most files: the greedy removal order, then by files (for the report's chart)."""
    rest = sorted(set(result.authored_files) - set(result.greedy_authors), key=lambda d: (-result.authored_files[d], d))
    ordered = [*result.greedy_authors, *rest][:MAX_FILE_AUTHORS_SHOWN]
    return [{"name": name(d), "files": result.authored_files[d]} for d in ordered]


def _findings(
    result: truckfactor.TruckFactor, name: Callable[[str], str], people: _People, now: int
) -> list[Finding]:
    """A finding per truck-factor author, and one more for those without a commit in the last 365 days."""
    findings = []
    severity = Severity.WARNING if result.truck_factor == 1 else Severity.NOTE
    for dev in result.authors:
        files = result.authored_files[dev]
        findings.append(Finding(
            f"{name(dev)} is in the truck-factor set: sole or main author of {files} of "
            f"{result.files} source files ({100 * files / result.files:.0f}%)",
            severity=severity, rule="truck-factor-author",
        ))
        if people.last.get(dev, now) < now - 365 * DAY:
            findings.append(Finding(
                f"{name(dev)}, in the truck-factor set, has made no commit in the last 365 days",
                severity=Severity.WARNING, rule="inactive-key-author",
            ))
    return findings
