from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

import pytest
from oshealth.checks.project_docs import ProjectDocs, identify_license

from oshealth import engine
from oshealth.models import CheckResult, Severity, Status
from tests.factsutil import collect
from tests.gitrepo import RepoBuilder

INTRO = "Widget parses widgets quickly and safely. " * 12  # 504 characters

README_MD = f"""# Widget

{INTRO}

## Installation

```console
$ pip install widget
```

## Usage

```python
import widget
widget.parse("x")
```
"""

README_RST = f"""Widget
======

{INTRO}

Installing
----------

Install it from PyPI with pip.

A Simple Example
----------------

.. code-block:: python

    import widget
"""

MIT = """MIT License

Copyright (c) 2024 Ann

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.
"""

BSD3 = """Copyright 2010 Pallets

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are
met:

3.  Neither the name of the copyright holder nor the names of its
    contributors may be used to endorse or promote products derived from
    this software without specific prior written permission.
"""

BSD2 = """Redistribution and use in source and binary forms, with or without modification,
are permitted provided that the following conditions are met:
1. Redistributions of source code must retain the above copyright notice.
"""

FULL = {
    "README.md": README_MD,
    "LICENSE": MIT,
    "CHANGELOG.md": "# Changelog\n\n## [1.2.0] - 2024-03-01\n\n- Faster.\n",
    "CONTRIBUTING.md": "Send pull requests.\n",
    ".github/CODE_OF_CONDUCT.md": "Be kind.\n",
    "docs/SECURITY.md": "Mail security@example.com\n",
    "docs/conf.py": "project = 'widget'\n",
    ".github/ISSUE_TEMPLATE/bug.md": "---\nname: Bug\n---\n",
    ".github/pull_request_template.md": "Fixes #\n",
}


def run(builder: RepoBuilder, files: Mapping[str, str | None], tag: str | None = None) -> CheckResult:
    builder.commit(files)
    if tag:
        builder.tag(tag)
    return engine.evaluate(ProjectDocs(), collect(builder.root))


def test_everything_present(builder: RepoBuilder) -> None:
    result = run(builder, FULL, tag="v1.2")
    m = result.metrics
    assert (result.status, result.score, result.findings) == (Status.PASS, 10.0, ())
    assert result.reason == "10 of 10 points"
    assert (m["readme"], m["readme_chars"]) == ("README.md", len(README_MD.strip()))
    assert (m["license"], m["license_source"], m["license_file"]) == ("MIT", "LICENSE", "LICENSE")
    # v1.2 is found as 1.2.0 (PEP 440 equality)
    assert (m["changelog"], m["latest_release"], m["changelog_has_latest_release"]) == ("CHANGELOG.md", "v1.2", True)
    assert (m["contributing"], m["code_of_conduct"], m["security"]) == (
        "CONTRIBUTING.md", ".github/CODE_OF_CONDUCT.md", "docs/SECURITY.md"
    )
    assert (m["docs_site"], m["issue_template"], m["pr_template"]) == (
        "docs/conf.py", ".github/ISSUE_TEMPLATE/bug.md", ".github/pull_request_template.md"
    )


def test_nothing_present(builder: RepoBuilder) -> None:
    result = run(builder, {"pkg/a.py": "x = 1\n"})
    assert (result.status, result.score) == (Status.FAIL, 0.0)
    # no version tags: the changelog entry is not judged, so 9.5 points are possible
    assert (result.metrics["points_earned"], result.metrics["points_possible"]) == (0.0, 9.5)
    assert result.metrics["changelog_has_latest_release"] is None
    assert [(f.severity, f.rule) for f in result.findings] == [
        (Severity.ERROR, "license"),
        (Severity.ERROR, "readme"),
        (Severity.WARNING, "changelog"),
        (Severity.WARNING, "code_of_conduct"),
        (Severity.WARNING, "contributing"),
        (Severity.WARNING, "security"),
        (Severity.WARNING, "docs-site"),
        (Severity.NOTE, "templates"),
        (Severity.NOTE, "templates"),
    ]
    assert result.reason == (
        "0 of 9.5 points; missing: changelog, code_of_conduct, contributing, docs_site, issue_template, "
        "license, pr_template, readme, security"
    )


def test_readme_in_rst_with_underlined_sections(builder: RepoBuilder) -> None:
    m = run(builder, {"README.rst": README_RST}).metrics
    assert m["readme"] == "README.rst"
    assert (m["readme_long_enough"], m["readme_has_install"], m["readme_has_usage"], m["readme_has_code_example"]) == (
        True, True, True, True
    )


def test_weak_readme(builder: RepoBuilder) -> None:
    readme = "# Widget\n\nA tool.\n\n```python\n# Install\nimport widget\n```\n"
    result = run(builder, {"README.md": readme, "LICENSE": MIT})
    m = result.metrics
    # the "# Install" line is a comment inside a code block, not a heading
    assert (m["readme_chars"], m["readme_has_install"], m["readme_has_usage"], m["readme_has_code_example"]) == (
        len(readme.strip()), False, False, True
    )
    readme_findings = [f.message for f in result.findings if f.rule == "readme"]
    assert readme_findings == [
        "README has no install section; add one with the command that installs the project",
        "README has no usage or example section; add one",
        f"README is short ({len(readme.strip())} < 500 characters); describe the project",
    ]
    # README 1.5 + LICENSE 2 of 9.5
    assert (m["points_earned"], result.score) == (3.5, 3.68)


@pytest.mark.parametrize(("command", "found"), [
    ("npm install widget", True), ("npm i -D widget", True), ("yarn add widget", True), ("pnpm add widget", True),
    ("cargo install widget", True), ("go install example.com/widget@latest", True), ("gem install widget", True),
    ("brew install widget", True), ("uv add widget", True), ("npm run build", False), ("go build ./...", False),
])
def test_install_commands_of_other_ecosystems(builder: RepoBuilder, command: str, found: bool) -> None:
    readme = f"# Widget\n\nA tool.\n\n    {command}\n"
    assert run(builder, {"README.md": readme}).metrics["readme_has_install"] is found


def test_readme_doctest_example_and_pip_command(builder: RepoBuilder) -> None:
    readme = "Widget\n\n    >>> import widget\n\nGet it with ``python -m pip install widget``.\n"
    m = run(builder, {"README.txt": readme, "README": "plain"}).metrics
    assert m["readme"] == "README"  # the plain name comes first
    m = run(builder, {"README": None}).metrics
    assert (m["readme"], m["readme_has_install"], m["readme_has_code_example"]) == ("README.txt", True, True)


def test_license_with_unknown_text_falls_back_to_pyproject(builder: RepoBuilder) -> None:
    pyproject = '[project]\nname = "w"\nlicense = {text = "Apache-2.0"}\n'
    result = run(builder, {"LICENSE.txt": "All rights reserved, sort of.\n", "pyproject.toml": pyproject})
    m = result.metrics
    assert (m["license_file"], m["license"], m["license_source"]) == ("LICENSE.txt", "Apache-2.0", "pyproject.toml")
    assert [f.rule for f in result.findings if f.rule == "license"] == []


def test_license_with_unknown_text(builder: RepoBuilder) -> None:
    result = run(builder, {"COPYING": "You may do some things.\n", "src.py": "x = 1\n"})
    m = result.metrics
    assert (m["license_file"], m["license"], m["license_source"]) == ("COPYING", None, None)
    assert [(f.path, f.severity) for f in result.findings if f.rule == "license"] == [("COPYING", Severity.WARNING)]


def test_reuse_licenses_folder_without_license_file(builder: RepoBuilder) -> None:
    result = run(builder, {"LICENSES/BSD-3-Clause.txt": BSD3, "license_check.py": "x = 1\n"})
    m = result.metrics
    assert (m["license_file"], m["license"], m["license_source"]) == (None, "BSD-3-Clause", "LICENSES/BSD-3-Clause.txt")


@pytest.mark.parametrize(
    ("text", "spdx"),
    [
        (MIT, "MIT"),
        (BSD3, "BSD-3-Clause"),
        (BSD2, "BSD-2-Clause"),
        ("                                 Apache License\n                           Version 2.0, January 2004\n",
         "Apache-2.0"),
        ("GNU GENERAL PUBLIC LICENSE\n   Version 3, 29 June 2007\n", "GPL-3.0"),
        ("GNU GENERAL PUBLIC LICENSE\n   Version 2, June 1991\n", "GPL-2.0"),
        ("GNU LESSER GENERAL PUBLIC LICENSE\n Version 3, 29 June 2007\n the GNU General Public License", "LGPL-3.0"),
        ("GNU LESSER GENERAL PUBLIC LICENSE\n Version 2.1, February 1999\n", "LGPL-2.1"),
        ("GNU AFFERO GENERAL PUBLIC LICENSE\n Version 3, 19 November 2007\n", "AGPL-3.0"),
        ("Mozilla Public License Version 2.0\n==================================\n", "MPL-2.0"),
        ("Permission to use, copy, modify, and/or distribute this software for any\npurpose with or without fee is "
         "hereby granted, provided that the above\ncopyright notice and this permission notice appear in all copies.",
         "ISC"),
        ("This is free and unencumbered software released into the public domain.\n", "Unlicense"),
        ("# SPDX-License-Identifier: EUPL-1.2\n", "EUPL-1.2"),
        ("Do what you like, but ask me first.\n", None),
        ("", None),
    ],
)
def test_identify_license(text: str, spdx: str | None) -> None:
    assert identify_license(text) == spdx


def test_changelog_without_the_latest_release(builder: RepoBuilder) -> None:
    files = {"CHANGES.rst": "Version 1.0.0\n-------------\n\nFirst.\n\nv1.1.0rc1 is out, 1.1.0.dev0 and 1.1.0.1 too.\n"}
    builder.commit(files)
    builder.tag("1.0.0")
    builder.commit({"a.py": "x = 1\n"})
    builder.tag("1.1.0rc1")  # pre-releases do not count as the latest release
    builder.tag("1.1.0")
    builder.tag("nightly")
    result = engine.evaluate(ProjectDocs(), collect(builder.root))
    m = result.metrics
    assert (m["changelog"], m["latest_release"], m["changelog_has_latest_release"]) == ("CHANGES.rst", "1.1.0", False)
    stale = [(f.path, f.message) for f in result.findings if f.rule == "changelog"]
    assert stale == [("CHANGES.rst", "changelog has no entry for the latest release 1.1.0; add one")]


def test_changelog_in_docs_through_an_include(builder: RepoBuilder) -> None:
    files = {"docs/changelog.rst": "Changes\n=======\n\n.. include:: ../HISTORY\n", "HISTORY": "2.0 (2024-02-01)\n"}
    m = run(builder, files, tag="release-2.0").metrics
    # the root HISTORY is preferred, and docs/changelog.rst would find it through the include
    assert (m["changelog"], m["changelog_has_latest_release"]) == ("HISTORY", True)
    m = run(builder, {"HISTORY": None, "NEWS.txt": "nothing yet\n", "docs/changelog.rst": None}).metrics
    assert (m["changelog"], m["changelog_has_latest_release"]) == ("NEWS.txt", False)


def test_tags_that_are_not_versions_leave_the_changelog_entry_unjudged(builder: RepoBuilder) -> None:
    m = run(builder, {"CHANGELOG": "Unreleased\n"}, tag="latest").metrics
    assert (m["latest_release"], m["changelog_has_latest_release"]) == (None, None)
    assert (m["points_earned"], m["points_possible"]) == (1.0, 9.5)


def test_docs_folder_without_site_and_template_config_only(builder: RepoBuilder) -> None:
    files = {"docs/guide.md": "# Guide\n", ".github/ISSUE_TEMPLATE/config.yml": "blank_issues_enabled: false\n",
             "PULL_REQUEST_TEMPLATE.md": "Describe.\n"}
    result = run(builder, files)
    m = result.metrics
    assert (m["docs_site"], m["issue_template"], m["pr_template"]) == (None, None, "PULL_REQUEST_TEMPLATE.md")
    assert m["points_earned"] == 0.75
    docs = [(f.severity, f.message) for f in result.findings if f.rule == "docs-site"]
    assert docs == [(Severity.NOTE, "documentation site missing; add a documentation site (Sphinx, MkDocs, "
                                    "Docusaurus, VitePress...) and publish it")]


@pytest.mark.parametrize(
    ("files", "site"),
    [
        ({"mkdocs.yml": "site_name: w\n"}, "mkdocs.yml"),
        ({"doc/source/conf.py": "x = 1\n"}, "doc/source/conf.py"),
        ({".readthedocs.yaml": "version: 2\n"}, ".readthedocs.yaml"),
        ({"website/docusaurus.config.ts": "export default {};\n"}, "website/docusaurus.config.ts"),
        ({"docs/.vitepress/config.mts": "export default {};\n"}, "docs/.vitepress/config.mts"),
        ({"docs/_config.yml": "theme: minima\n"}, "docs/_config.yml"),
        ({"book.toml": "[book]\n"}, "book.toml"),
        ({"src/_config.yml": "x: 1\n", "lib/book.toml": "[book]\n"}, None),
        ({"pyproject.toml": '[project]\nname = "w"\n[project.urls]\nDocumentation = "https://w.dev"\n'},
         "pyproject.toml [project.urls] Documentation"),
    ],
)
def test_docs_site_sources(builder: RepoBuilder, files: dict[str, str | None], site: str | None) -> None:
    assert run(builder, files).metrics["docs_site"] == site


def test_community_files_in_other_places(builder: RepoBuilder) -> None:
    files = {"docs/contributing.rst": "x\n", "CODE-OF-CONDUCT.txt": "x\n", ".github/SECURITY.md": "x\n",
             "docs/contrib.md": "third-party projects\n", "CONTRIBUTORS": "Ann\n"}
    m = run(builder, files).metrics
    assert (m["contributing"], m["code_of_conduct"], m["security"]) == (
        "docs/contributing.rst", "CODE-OF-CONDUCT.txt", ".github/SECURITY.md"
    )


@pytest.mark.parametrize("pyproject", ["project = 3\n", '[project]\nlicense = 3\nurls = "x"\n'])
def test_bad_pyproject_and_binary_readme_are_not_crashes(builder: RepoBuilder, pyproject: str) -> None:
    builder.commit({"pyproject.toml": pyproject, "README.md": b"\x89PNG\x00\x01".decode("latin-1")})
    result = engine.evaluate(ProjectDocs(), collect(builder.root))
    m = result.metrics
    assert result.status == Status.FAIL
    assert (m["readme"], m["readme_chars"], m["license"], m["docs_site"]) == ("README.md", 0, None, None)


def test_invalid_pyproject_text_is_ignored(builder: RepoBuilder) -> None:
    builder.commit({"LICENSE": "custom\n"})
    facts = collect(builder.root)
    # config loading rejects such a file before any check runs; the check still must not crash
    broken = dataclasses.replace(facts, documents={**facts.documents, "pyproject.toml": "[project\nname = "})
    assert ProjectDocs().evaluate(broken).metrics["license"] is None


def test_a_readme_linked_out_of_the_repository_is_not_read_and_says_so(builder: RepoBuilder, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text("# Secret\n\n" + "x" * 600 + "\n\n## Install\n\n    pip install it\n", encoding="utf-8")
    builder.commit({"LICENSE": "MIT License\n"})
    (builder.root / "README.md").symlink_to(outside)
    builder.commit({})
    result = ProjectDocs().evaluate(collect(builder.root))
    assert result.metrics["readme"] == "README.md" and result.metrics["readme_chars"] == 0
    messages = [f.message for f in result.findings if f.rule == "readme"]
    assert messages[0] == (
        "README was not read (over 1 MiB, binary, or a link out of the repository): judged as empty"
    )
