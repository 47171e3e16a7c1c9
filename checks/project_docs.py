"""The ``project-docs`` check: the community and documentation files a newcomer looks for."""

from __future__ import annotations

import posixpath
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from oshealth import versions
from oshealth.facts import RepoFacts
from oshealth.models import Check, CheckResult, Finding, MetricValue, Severity

#: Folders searched for community files, in order of preference (GitHub's and repolinter's).
COMMUNITY_DIRS = ("", "docs/", ".github/")
_DOC_EXTS = r"(?:\.(?:md|markdown|rst|txt|adoc|asciidoc|org|rdoc|textile))?"
_README = re.compile(r"readme" + _DOC_EXTS, re.I)
_LICENSE = re.compile(
    r"(?!.*\.(?:py|js|sh|json|toml|ya?ml|cfg|ini|html?|css)$)(?:licen[cs]e|copying|unlicense)(?:[-_.].*)?", re.I
)
_CHANGELOG = re.compile(r"(?:changelog|changes|history|news|releases|release[-_]notes)" + _DOC_EXTS, re.I)
#: repolinter accepts ``CONTRIB*``; GitHub only ``CONTRIBUTING``: ``contrib.md`` often lists third-party projects.
_CONTRIBUTING = re.compile(r"contribut(?:ing|e)(?:[-_.].*)?", re.I)
_CONDUCT = re.compile(r"code[-_]?of[-_]?conduct.*", re.I)
_SECURITY = re.compile(r"security" + _DOC_EXTS, re.I)
#: ``.github/ISSUE_TEMPLATE/config.yml`` only configures the chooser: it is not a template.
_ISSUE_TEMPLATE = re.compile(r"(?:\.github/|docs/)?issue_template(?:/(?!config\.ya?ml$).+|\.\w+)?", re.I)
_PR_TEMPLATE = re.compile(r"(?:\.github/|docs/)?pull_request_template(?:/.+|\.\w+)?", re.I)
_DOCS_CONFIGS = re.compile(
    r"(?:docs?/(?:source/)?conf\.py|mkdocs\.ya?ml|\.?readthedocs\.ya?ml|docs?/mkdocs\.ya?ml)", re.I
)

_FENCED_BLOCK = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1", re.M | re.S)
_ATX = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
_HTML_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.I | re.S)
_ADOC_HEADING = re.compile(r"^={1,6}[ \t]+(\S.*)$", re.M)
_UNDERLINE = re.compile(r"^([=\-~^*+#\"'`:._])\1{2,}\s*$")
_INSTALL_HEADING = re.compile(r"install|getting started|set ?up\b|quick ?start", re.I)
_INSTALL_COMMAND = re.compile(r"\b(?:pip3?|pipx|conda|mamba|poetry|uv|pdm)\s+(?:pip\s+)?(?:install|add)\b", re.I)
_USAGE_HEADING = re.compile(r"usage|example|quick ?start|getting started|tutorial|how to use|basic use|demo", re.I)
_CODE_EXAMPLE = re.compile(
    r"^\s*(?:```|~~~)|^\s*\.\. (?:code-block|code|sourcecode)::|^\s*>>> |::[ \t]*\n[ \t]*\n[ \t]+\S", re.M
)
_INCLUDE = re.compile(r"^\.\. (?:include|literalinclude|mdinclude)::\s*(\S+)|--8<--\s*[\"']([^\"']+)", re.M)

#: SPDX id -> phrases that must all appear (lower-case, whitespace collapsed); first match wins.
LICENSE_PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("AGPL-3.0", ("gnu affero general public license", "version 3")),
    ("LGPL-3.0", ("gnu lesser general public license", "version 3")),
    ("LGPL-2.1", ("gnu lesser general public license", "version 2.1")),
    ("LGPL-2.0", ("gnu library general public license", "version 2")),
    ("GPL-3.0", ("gnu general public license", "version 3, 29 june 2007")),
    ("GPL-2.0", ("gnu general public license", "version 2, june 1991")),
    ("MPL-2.0", ("mozilla public license", "2.0")),
    ("Apache-2.0", ("apache license", "version 2.0")),
    ("BSL-1.0", ("boost software license - version 1.0",)),
    ("EPL-2.0", ("eclipse public license - v 2.0",)),
    ("PSF-2.0", ("python software foundation license version 2",)),
    ("WTFPL", ("do what the fuck you want to public license",)),
    ("Unlicense", ("this is free and unencumbered software released into the public domain",)),
    ("CC0-1.0", ("cc0 1.0 universal",)),
    ("Zlib", ("this software is provided 'as-is'", "altered source versions must be plainly marked")),
    ("BSD-4-Clause", ("redistribution and use in source and binary forms", "all advertising materials")),
    ("BSD-3-Clause", ("redistribution and use in source and binary forms", "may be used to endorse or promote")),
    ("BSD-2-Clause", ("redistribution and use in source and binary forms",)),
    ("MIT", ("permission is hereby granted, free of charge", "the above copyright notice and this permission")),
    ("ISC", ("permission to use, copy, modify, and", "with or without fee is hereby granted", "appear in all copies")),
)
_SPDX_TAG = re.compile(r"SPDX-License-Identifier:\s*([\w.+-]+)")


@dataclass
class _Item:
    """One scored item: points earned out of points possible, with its findings."""

    earned: float = 0.0
    possible: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    metrics: dict[str, MetricValue] = field(default_factory=dict)

    def award(self, points: float, ok: bool, finding: Finding) -> None:
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
      an install section or ``pip install`` command (0.5), a usage / example
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
      a Read the Docs config, or a ``Documentation`` URL in ``pyproject.toml``;
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
        """Score the community and documentation files of the repository."""
        items = {
            "readme": _readme(facts, int(self.options["readme-min-chars"])),
            "license": _license(facts),
            "changelog": _changelog(facts),
            "contributing": _simple(facts, _CONTRIBUTING, COMMUNITY_DIRS, 1.0, "CONTRIBUTING.md"),
            "code_of_conduct": _simple(facts, _CONDUCT, COMMUNITY_DIRS, 0.5, "CODE_OF_CONDUCT.md"),
            "security": _simple(facts, _SECURITY, COMMUNITY_DIRS, 0.5, "SECURITY.md"),
            "docs_site": _docs_site(facts),
            "issue_template": _template(facts, _ISSUE_TEMPLATE, ".github/ISSUE_TEMPLATE/"),
            "pr_template": _template(facts, _PR_TEMPLATE, ".github/pull_request_template.md"),
        }
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


def _find(files: Iterable[str], pattern: re.Pattern[str], dirs: Sequence[str]) -> str | None:
    """The first file directly in one of ``dirs`` (in order) whose name matches ``pattern``."""
    by_dir: dict[str, list[str]] = {}
    for path in files:
        head, _, name = path.rpartition("/")
        by_dir.setdefault(head + "/" if head else "", []).append(name)
    for folder in dirs:
        names = sorted(n for n in by_dir.get(folder, []) if pattern.fullmatch(n))
        if names:
            # README.md before README.rst before README: shortest known name, then alphabetical
            return folder + min(names, key=lambda n: (n.count("."), len(n), n))
    return None


def _missing(rule: str, message: str, severity: Severity = Severity.WARNING) -> Finding:
    return Finding(message, None, None, severity, rule)


def _readme(facts: RepoFacts, min_chars: int) -> _Item:
    item = _Item()
    path = _find(facts.files, _README, COMMUNITY_DIRS)
    item.metrics["readme"] = path
    item.award(1.0, path is not None, _missing("readme", "README missing; add README.md", Severity.ERROR))
    text = facts.documents.get(path, "") if path else ""
    if path is None:
        item.metrics.update(readme_chars=0, readme_long_enough=False, readme_has_install=False)
        item.metrics.update(readme_has_usage=False, readme_has_code_example=False)
        item.possible += 2.0
        return item
    headings = _headings(text)
    checks = {
        "readme_long_enough": len(text.strip()) >= min_chars,
        "readme_has_install": any(_INSTALL_HEADING.search(h) for h in headings) or bool(_INSTALL_COMMAND.search(text)),
        "readme_has_usage": any(_USAGE_HEADING.search(h) for h in headings),
        "readme_has_code_example": bool(_CODE_EXAMPLE.search(text)),
    }
    advice = {
        "readme_long_enough": f"README is short ({len(text.strip())} < {min_chars} characters); describe the project",
        "readme_has_install": "README has no install section; add one with the pip install command",
        "readme_has_usage": "README has no usage or example section; add one",
        "readme_has_code_example": "README has no code example; add a fenced code block or >>> example",
    }
    item.metrics["readme_chars"] = len(text.strip())
    for key, ok in checks.items():
        item.metrics[key] = ok
        item.award(0.5, ok, Finding(advice[key], path, None, Severity.WARNING, "readme"))
    return item


def _headings(text: str) -> list[str]:
    """Section titles of Markdown (ATX, setext), reStructuredText, AsciiDoc or HTML text."""
    text = _FENCED_BLOCK.sub("", text)  # a "# comment" in a code block is not a heading
    found = [m.group(1) for m in _ATX.finditer(text)]
    found += [m.group(1) for m in _HTML_HEADING.finditer(text)]
    found += [m.group(1) for m in _ADOC_HEADING.finditer(text)]
    lines = text.splitlines()
    for before, line in zip(lines, lines[1:], strict=False):
        if _UNDERLINE.match(line) and before.strip() and not _UNDERLINE.match(before):
            found.append(before.strip())
    return found


def identify_license(text: str) -> str | None:
    """The SPDX id of a license text, from an SPDX tag or distinctive phrases.

    Args:
        text: The content of a license file.

    Returns:
        An SPDX identifier such as ``MIT``, or None when the text is not recognised.
    """
    tag = _SPDX_TAG.search(text)
    if tag:
        return tag.group(1)
    flat = " ".join(text.lower().replace("\u2019", "'").split())
    for spdx, phrases in LICENSE_PHRASES:
        if all(phrase in flat for phrase in phrases):
            return spdx
    return None


def _declared_license(facts: RepoFacts) -> tuple[str, str] | None:
    """A license declared outside a license file: ``LICENSES/<id>.txt`` or pyproject's ``license``."""
    reuse = sorted(p for p in facts.files if p.startswith("LICENSES/") and p.count("/") == 1)
    if reuse:
        return posixpath.splitext(reuse[0].split("/")[1])[0], reuse[0]
    value = _project_table(facts).get("license")
    if isinstance(value, dict):
        value = value.get("text")
    if isinstance(value, str) and value.strip() and "\n" not in value.strip():
        return value.strip(), "pyproject.toml"
    return None


def _project_table(facts: RepoFacts) -> dict[str, Any]:
    """The ``[project]`` table of ``pyproject.toml`` ({} when absent or malformed)."""
    try:
        project = tomllib.loads(facts.documents.get("pyproject.toml", "")).get("project")
    except tomllib.TOMLDecodeError:
        return {}
    return project if isinstance(project, dict) else {}


def _license(facts: RepoFacts) -> _Item:
    item = _Item()
    path = _find(facts.files, _LICENSE, ("",))
    item.metrics["license_file"] = path
    missing = _missing("license", "LICENSE missing; add a LICENSE file with the full text", Severity.ERROR)
    item.award(1.5, path is not None, missing)
    spdx, source = _identified_file(facts)
    if spdx is None:
        declared = _declared_license(facts)
        spdx, source = declared if declared else (None, None)
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


def _identified_file(facts: RepoFacts) -> tuple[str | None, str | None]:
    """The first root license file (LICENSE before LICENSE-MIT...) whose license is recognised."""
    candidates = sorted(
        (p for p in facts.files if "/" not in p and _LICENSE.fullmatch(p)), key=lambda n: (n.count("."), len(n), n)
    )
    for path in candidates:
        spdx = identify_license(facts.documents.get(path, ""))
        if spdx:
            return spdx, path
    return None, None


def _changelog(facts: RepoFacts) -> _Item:
    item = _Item()
    path = _find(facts.files, _CHANGELOG, ("", "docs/", "doc/"))
    item.metrics["changelog"] = path
    missing = _missing("changelog", "CHANGELOG missing; add CHANGELOG.md with an entry per release")
    item.award(1.0, path is not None, missing)
    releases, _ = versions.version_tags(facts.tags)
    latest = versions.latest_final(releases)
    item.metrics["latest_release"] = latest.tag.name if latest else None
    if latest is None:
        item.metrics["changelog_has_latest_release"] = None
        return item
    text = _with_includes(facts.documents, path) if path else ""
    wanted = latest.version.key()
    has_entry = any(v.key() == wanted for v in versions.find_in_text(text))
    item.metrics["changelog_has_latest_release"] = has_entry
    stale = Finding(
        f"changelog has no entry for the latest release {latest.tag.name}; add one",
        path, None, Severity.WARNING, "changelog",
    )
    item.award(0.5, has_entry, stale)
    return item


def _with_includes(documents: Mapping[str, str], path: str, depth: int = 0) -> str:
    """The document's text followed by the text of the documents it includes (rst, MkDocs snippets)."""
    text = documents.get(path, "")
    if depth >= 3:
        return text
    parts = [text]
    for match in _INCLUDE.finditer(text):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), match.group(1) or match.group(2)))
        if target in documents and target != path:
            parts.append(_with_includes(documents, target, depth + 1))
    return "\n".join(parts)


def _simple(facts: RepoFacts, pattern: re.Pattern[str], dirs: Sequence[str], points: float, name: str) -> _Item:
    item = _Item()
    path = _find(facts.files, pattern, dirs)
    key = name.split(".")[0].lower()
    item.metrics[key] = path
    item.award(points, path is not None, _missing(key, f"{name.split('.')[0]} missing; add {name}"))
    return item


def _docs_site(facts: RepoFacts) -> _Item:
    item = _Item()
    config = next((p for p in facts.files if _DOCS_CONFIGS.fullmatch(p)), None)
    urls = _project_table(facts).get("urls", {})
    keys = sorted(urls) if isinstance(urls, dict) else []
    url_key = next((k for k in keys if k.lower() in ("documentation", "docs")), None)
    site = config or (f"pyproject.toml [project.urls] {url_key}" if url_key else None)
    item.metrics["docs_site"] = site
    if site is not None:
        item.earned, item.possible = 1.0, 1.0
        return item
    text_docs = [p for p in facts.files if re.fullmatch(r"docs?/.+\.(?:md|rst|txt)", p)]
    item.earned += 0.5 if text_docs else 0.0
    item.possible += 1.0
    fix = "add a Sphinx (docs/conf.py) or MkDocs (mkdocs.yml) site and publish it"
    severity = Severity.NOTE if text_docs else Severity.WARNING
    item.findings.append(_missing("docs-site", f"documentation site missing; {fix}", severity))
    return item


def _template(facts: RepoFacts, pattern: re.Pattern[str], name: str) -> _Item:
    item = _Item()
    path = next((p for p in facts.files if pattern.fullmatch(p)), None)
    key = "issue_template" if "ISSUE" in name else "pr_template"
    item.metrics[key] = path
    label = "issue template" if "ISSUE" in name else "pull-request template"
    item.award(0.25, path is not None, Finding(f"{label} missing; add {name}", None, None, Severity.NOTE, "templates"))
    return item
