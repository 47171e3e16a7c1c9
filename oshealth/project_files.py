"""Finding a project's community and documentation files by name, as GitHub and repolinter do.

File names are matched case-insensitively, directly in a few folders searched
in order of preference (GitHub's community profile and repolinter's default
ruleset).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

#: Folders searched for community files, in order of preference (GitHub's and repolinter's).
COMMUNITY_DIRS = ("", "docs/", ".github/")
#: Folders searched for a changelog, in order of preference.
CHANGELOG_DIRS = ("", "docs/", "doc/")
_DOC_EXTS = r"(?:\.(?:md|markdown|rst|txt|adoc|asciidoc|org|rdoc|textile))?"
README = re.compile(r"readme" + _DOC_EXTS, re.I)
CHANGELOG = re.compile(r"(?:changelog|changes|history|news|releases|release[-_]notes)" + _DOC_EXTS, re.I)
#: repolinter accepts ``CONTRIB*``; GitHub only ``CONTRIBUTING``: ``contrib.md`` often lists third-party projects.
CONTRIBUTING = re.compile(r"contribut(?:ing|e)(?:[-_.].*)?", re.I)
CONDUCT = re.compile(r"code[-_]?of[-_]?conduct.*", re.I)
SECURITY = re.compile(r"security" + _DOC_EXTS, re.I)
#: ``.github/ISSUE_TEMPLATE/config.yml`` only configures the chooser: it is not a template.
ISSUE_TEMPLATE = re.compile(r"(?:\.github/|docs/)?issue_template(?:/(?!config\.ya?ml$).+|\.\w+)?", re.I)
PR_TEMPLATE = re.compile(r"(?:\.github/|docs/)?pull_request_template(?:/.+|\.\w+)?", re.I)
#: Site generators' configurations: Sphinx, MkDocs, Read the Docs, and for other languages' projects Docusaurus,
#: VitePress, Jekyll (GitHub Pages), mdBook and Antora.
_DOCS_CONFIGS = re.compile(
    r"(?:docs?/(?:source/)?conf\.py|(?:docs?/)?mkdocs\.ya?ml|\.?readthedocs\.ya?ml"
    r"|(?:docs?/|website/)?docusaurus\.config\.[cm]?[jt]s|(?:docs?/)?\.vitepress/config\.[cm]?[jt]s"
    r"|(?:docs?/)?_config\.ya?ml|(?:docs?/)?book\.toml|(?:docs?/)?antora\.ya?ml)",
    re.I,
)
_TEXT_DOCS = re.compile(r"docs?/.+\.(?:md|rst|txt)")


def find(files: Iterable[str], pattern: re.Pattern[str], dirs: Sequence[str]) -> str | None:
    """The first file directly in one of ``dirs`` (in order) whose name matches ``pattern``.

    Args:
        files: Every file of the work tree.
        pattern: The names that count (matched in full).
        dirs: The folders searched, in order (``""`` is the root; others end in ``/``).

    Returns:
        The path, or None. Within a folder the shortest known name wins, then
        the alphabetically first: README.md before README.rst before README.
    """
    by_dir: dict[str, list[str]] = {}
    for path in files:
        head, _, name = path.rpartition("/")
        by_dir.setdefault(head + "/" if head else "", []).append(name)
    for folder in dirs:
        names = sorted(n for n in by_dir.get(folder, []) if pattern.fullmatch(n))
        if names:
            return folder + min(names, key=lambda n: (n.count("."), len(n), n))
    return None


def project_table(documents: Mapping[str, str]) -> dict[str, Any]:
    """The ``[project]`` table of ``pyproject.toml`` ({} when absent or malformed).

    Args:
        documents: The repository's text documents by path.

    Returns:
        The table.
    """
    try:
        project = tomllib.loads(documents.get("pyproject.toml", "")).get("project")
    except tomllib.TOMLDecodeError:
        return {}
    return project if isinstance(project, dict) else {}


def site_config(files: Iterable[str], project: Mapping[str, Any]) -> str | None:
    """Find what configures a documentation site: a Sphinx, MkDocs or Read the Docs file, or a docs URL.

    Args:
        files: Every file of the work tree.
        project: The ``[project]`` table of ``pyproject.toml``.

    Returns:
        The file, or ``pyproject.toml [project.urls] <key>``, or None.
    """
    config = next((p for p in files if _DOCS_CONFIGS.fullmatch(p)), None)
    if config:
        return config
    urls = project.get("urls", {})
    keys = sorted(urls) if isinstance(urls, dict) else []
    url_key = next((k for k in keys if k.lower() in ("documentation", "docs")), None)
    return f"pyproject.toml [project.urls] {url_key}" if url_key else None


def has_text_docs(files: Iterable[str]) -> bool:
    """Whether a ``doc/`` or ``docs/`` folder holds Markdown, reStructuredText or text files.

    Args:
        files: Every file of the work tree.

    Returns:
        True when it does.
    """
    return any(_TEXT_DOCS.fullmatch(p) for p in files)
