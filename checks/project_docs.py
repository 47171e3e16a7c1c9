"""The ``project-docs`` check: the community and documentation files a newcomer looks for."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from oshealth import project_files, versions
from oshealth.doctext import readme_qualities, with_includes
from oshealth.facts import RepoFacts
from oshealth.licenses import LICENSE_FILE, LICENSE_PHRASES, identify_license, project_license
from oshealth.models import Check, CheckResult, Finding, MetricValue, Severity
from oshealth.project_files import COMMUNITY_DIRS

__all__ = ["COMMUNITY_DIRS", "LICENSE_PHRASES", "ProjectDocs", "identify_license"]

#: What each README quality asks for when it is lacking.
_README_ADVICE = {
    "readme_has_install": "README has no install section; add one with the command that installs the project",
    "readme_has_usage": "README has no usage or example section; add one",
    "readme_has_code_example": "README has no code example; add a fenced code block or >>> example",
}


@dataclass
class _Item:
    """One scored item: points earned out of points possible, with its findings.

    Attributes:
        earned: Points earned.
        possible: Points that could be earned.
        findings: What is missing or lacking.
        metrics: The item's named metrics.
    """

    earned: float = 0.0
    possible: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    metrics: dict[str, MetricValue] = field(default_factory=dict)

    def award(self, points: float, ok: bool, finding: Finding) -> None:
        """Add ``points`` to the possible ones, and to the earned ones when ``ok``.

        Args:
            points: The points at stake.
            ok: Whether they are earned.
            finding: Recorded when they are not.
        """
        self.possible += points
        if ok:
            self.earned += points
        else:
            self.findings.append(finding)


class ProjectDocs(Check):
    """The community and documentation files a newcomer looks for should exist and say enough.

    Looks for the files of GitHub's community profile and repolinter's default
    ruleset, in the repository root, ``docs/`` or ``.github/`` (file names are
    case-insensitive):

    - README (3 points): present (1), at least ``readme-min-chars`` characters (0.5),
      an install section or an install command (``pip``, ``uv``, ``conda``,
      ``npm``, ``yarn``, ``cargo``, ``go``, ``gem``, ``brew``...) (0.5), a usage / example
      section (0.5), a code example: fenced block, rst ``code-block`` or ``::``
      literal block, or ``>>>`` lines (0.5).
    - LICENSE / LICENCE / COPYING (2): a file (1.5); its license identified (0.5) from
      an ``SPDX-License-Identifier`` line or distinctive phrases of the license text,
      else from ``LICENSES/<id>.txt`` (REUSE) or ``license`` in ``pyproject.toml``.
    - CHANGELOG / CHANGES / HISTORY / NEWS / RELEASES (1.5): present in the root,
      ``docs/`` or ``doc/`` (1); mentions the latest release (0.5): the highest
      final version among version tags, compared as PEP 440 versions (``1.0`` equals
      ``1.0.0``), following ``.. include::`` directives. Not judged without version tags.
    - CONTRIBUTING (1), CODE_OF_CONDUCT (0.5), SECURITY (0.5).
    - Documentation site (1): Sphinx ``docs/conf.py``, MkDocs ``mkdocs.yml``,
      a Read the Docs config, Docusaurus, VitePress, Jekyll (``_config.yml``), mdBook
      or Antora configurations, or a ``Documentation`` URL in ``pyproject.toml``;
      half the points for a ``docs/`` folder of text files without a site config.
    - Issue template and pull-request template (0.25 each).

    Score: ``10 * earned / possible`` over the items that could be judged; passes at 7.
    Why: these files answer a newcomer's first questions (what is it, may I use it,
    what changed, how do I help, where do I report a vulnerability) before they
    read any code.

    Fix: add each missing file named in the findings (GitHub's "Community
    Standards" page offers templates), and give the README install and usage
    sections with a short code example.
    """

    id: ClassVar[str] = "project-docs"
    category: ClassVar[str] = "documentation"
    weight: ClassVar[float] = 1.5
    default_options: ClassVar[Mapping[str, Any]] = {"readme-min-chars": 500}

    def evaluate(self, facts: RepoFacts) -> CheckResult:
        """Score the community and documentation files of the repository.

        Args:
            facts: Everything read from the repository.

        Returns:
            The check's result: points earned over points possible.
        """
        items = self._items(facts)
        earned = sum(item.earned for item in items.values())
        possible = sum(item.possible for item in items.values())
        metrics: dict[str, MetricValue] = {}
        for item in items.values():
            metrics.update(item.metrics)
        metrics.update(points_earned=round(earned, 2), points_possible=round(possible, 2))
        findings = [f for item in items.values() for f in item.findings]
        missing = sorted(name for name, item in items.items() if item.earned == 0)
        reason = f"{earned:g} of {possible:g} points" + (f"; missing: {', '.join(missing)}" if missing else "")
        return CheckResult.proportional(
            round(earned * 100), round(possible * 100), reason, metrics=metrics, findings=findings
        )

    def _items(self, facts: RepoFacts) -> dict[str, _Item]:
        """Judge each item.

        Args:
            facts: Everything read from the repository.

        Returns:
            The items by name, in the order of the check's documentation.
        """
        return {
            "readme": _readme(facts, int(self.options["readme-min-chars"])),
            "license": _license(facts),
            "changelog": _changelog(facts),
            "contributing": _simple(facts, project_files.CONTRIBUTING, COMMUNITY_DIRS, 1.0, "CONTRIBUTING.md"),
            "code_of_conduct": _simple(facts, project_files.CONDUCT, COMMUNITY_DIRS, 0.5, "CODE_OF_CONDUCT.md"),
            "security": _simple(facts, project_files.SECURITY, COMMUNITY_DIRS, 0.5, "SECURITY.md"),
            "docs_site": _docs_site(facts),
            "issue_template": _template(facts, project_files.ISSUE_TEMPLATE, ".github/ISSUE_TEMPLATE/"),
            "pr_template": _template(facts, project_files.PR_TEMPLATE, ".github/pull_request_template.md"),
        }


def _missing(rule: str, message: str, severity: Severity = Severity.WARNING) -> Finding:
    """A finding about a missing file: it has no path to point at.

    Args:
        rule: The finding's rule.
        message: What is missing and how to add it.
        severity: How much it matters.

    Returns:
        The finding.
    """
    return Finding(message, None, None, severity, rule)


def _readme(facts: RepoFacts, min_chars: int) -> _Item:
    """Judge the README: present (1 point), long enough, install, usage and code example (0.5 each).

    Args:
        facts: Everything read from the repository.
        min_chars: The length a README needs.

    Returns:
        The item.
    """
    item = _Item()
    path = project_files.find(facts.files, project_files.README, COMMUNITY_DIRS)
    item.metrics["readme"] = path
    item.award(1.0, path is not None, _missing("readme", "README missing; add README.md", Severity.ERROR))
    if path is None:
        item.metrics.update(readme_chars=0, readme_long_enough=False, readme_has_install=False)
        item.metrics.update(readme_has_usage=False, readme_has_code_example=False)
        item.possible += 2.0
        return item
    if path not in facts.documents:
        why = "README was not read (over 1 MiB, binary, or a link out of the repository): judged as empty"
        item.findings.append(Finding(why, path, None, Severity.WARNING, "readme"))
    text = facts.documents.get(path, "")
    chars = len(text.strip())
    advice = {
        "readme_long_enough": f"README is short ({chars} < {min_chars} characters); describe the project",
        **_README_ADVICE,
    }
    item.metrics["readme_chars"] = chars
    for key, ok in readme_qualities(text, min_chars).items():
        item.metrics[key] = ok
        item.award(0.5, ok, Finding(advice[key], path, None, Severity.WARNING, "readme"))
    return item


def _license(facts: RepoFacts) -> _Item:
    """Judge the license: a root license file (1.5 points) and an identified license (0.5).

    Args:
        facts: Everything read from the repository.

    Returns:
        The item.
    """
    item = _Item()
    path = project_files.find(facts.files, LICENSE_FILE, ("",))
    item.metrics["license_file"] = path
    missing = _missing("license", "LICENSE missing; add a LICENSE file with the full text", Severity.ERROR)
    item.award(1.5, path is not None, missing)
    spdx, source = project_license(facts.files, facts.documents, project_files.project_table(facts.documents))
    item.metrics["license"] = spdx
    item.metrics["license_source"] = source
    unknown = Finding(
        "license not identified; use the unmodified text of a standard license or add an SPDX-License-Identifier",
        path, None, Severity.WARNING, "license",
    )
    item.award(0.5, spdx is not None, unknown)
    if path is None and spdx is None:
        item.findings.remove(unknown)  # "LICENSE missing" already says it all
    return item


def _changelog(facts: RepoFacts) -> _Item:
    """Judge the changelog: present (1 point) and, with version tags, naming the latest release (0.5).

    Args:
        facts: Everything read from the repository.

    Returns:
        The item.
    """
    item = _Item()
    path = project_files.find(facts.files, project_files.CHANGELOG, project_files.CHANGELOG_DIRS)
    item.metrics["changelog"] = path
    missing = _missing("changelog", "CHANGELOG missing; add CHANGELOG.md with an entry per release")
    item.award(1.0, path is not None, missing)
    releases, _ = versions.version_tags(facts.tags)
    latest = versions.latest_final(releases)
    item.metrics["latest_release"] = latest.tag.name if latest else None
    if latest is None:
        item.metrics["changelog_has_latest_release"] = None
        return item
    text = with_includes(facts.documents, path) if path else ""
    wanted = latest.version.key()
    has_entry = any(v.key() == wanted for v in versions.find_in_text(text))
    item.metrics["changelog_has_latest_release"] = has_entry
    stale = Finding(
        f"changelog has no entry for the latest release {latest.tag.name}; add one",
        path, None, Severity.WARNING, "changelog",
    )
    item.award(0.5, has_entry, stale)
    return item


def _simple(facts: RepoFacts, pattern: re.Pattern[str], dirs: Sequence[str], points: float, name: str) -> _Item:
    """Judge an item that only needs to exist (contributing guide, code of conduct, security policy).

    Args:
        facts: Everything read from the repository.
        pattern: The file names that count.
        dirs: The folders searched, in order.
        points: The points at stake.
        name: The file to suggest (its stem, lower-cased, names the metric).

    Returns:
        The item.
    """
    item = _Item()
    path = project_files.find(facts.files, pattern, dirs)
    key = name.split(".")[0].lower()
    item.metrics[key] = path
    item.award(points, path is not None, _missing(key, f"{name.split('.')[0]} missing; add {name}"))
    return item


def _docs_site(facts: RepoFacts) -> _Item:
    """Judge the documentation site: configured (1 point), or a ``docs/`` folder of text files (0.5).

    Args:
        facts: Everything read from the repository.

    Returns:
        The item.
    """
    item = _Item()
    site = project_files.site_config(facts.files, project_files.project_table(facts.documents))
    item.metrics["docs_site"] = site
    if site is not None:
        item.earned, item.possible = 1.0, 1.0
        return item
    text_docs = project_files.has_text_docs(facts.files)
    item.earned += 0.5 if text_docs else 0.0
    item.possible += 1.0
    fix = "add a documentation site (Sphinx, MkDocs, Docusaurus, VitePress...) and publish it"
    severity = Severity.NOTE if text_docs else Severity.WARNING
    item.findings.append(_missing("docs-site", f"documentation site missing; {fix}", severity))
    return item


def _template(facts: RepoFacts, pattern: re.Pattern[str], name: str) -> _Item:
    """Judge an issue or pull-request template (0.25 points).

    Args:
        facts: Everything read from the repository.
        pattern: The paths that count.
        name: The file to suggest.

    Returns:
        The item.
    """
    item = _Item()
    path = next((p for p in facts.files if pattern.fullmatch(p)), None)
    key = "issue_template" if "ISSUE" in name else "pr_template"
    item.metrics[key] = path
    label = "issue template" if "ISSUE" in name else "pull-request template"
    item.award(0.25, path is not None, Finding(f"{label} missing; add {name}", None, None, Severity.NOTE, "templates"))
    return item
