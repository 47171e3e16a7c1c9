"""License identification: an SPDX id from a license text, or from where a project declares one."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

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
#: License file names (GitHub's and licensee's), but not code or configuration named after a license.
LICENSE_FILE = re.compile(
    r"(?!.*\.(?:py|js|sh|json|toml|ya?ml|cfg|ini|html?|css)$)(?:licen[cs]e|copying|unlicense)(?:[-_.].*)?", re.I
)


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


def declared_license(files: Iterable[str], project: Mapping[str, Any]) -> tuple[str, str] | None:
    """A license declared outside a license file: ``LICENSES/<id>.txt`` (REUSE) or pyproject's ``license``.

    Args:
        files: Every file of the work tree.
        project: The ``[project]`` table of ``pyproject.toml`` ({} when absent).

    Returns:
        ``(license, where)``, or None when nothing is declared. A multi-line
        ``license`` value is a license text, not a declaration, and does not count.
    """
    reuse = sorted(p for p in files if p.startswith("LICENSES/") and p.count("/") == 1)
    if reuse:
        return posixpath.splitext(reuse[0].split("/")[1])[0], reuse[0]
    value = project.get("license")
    if isinstance(value, dict):
        value = value.get("text")
    if isinstance(value, str) and value.strip() and "\n" not in value.strip():
        return value.strip(), "pyproject.toml"
    return None


def project_license(
    files: Sequence[str], documents: Mapping[str, str], project: Mapping[str, Any]
) -> tuple[str, str] | tuple[None, None]:
    """Identify the project's license: from a root license file, else from a declaration.

    Args:
        files: Every file of the work tree.
        documents: The repository's text documents by path.
        project: The ``[project]`` table of ``pyproject.toml``.

    Returns:
        ``(spdx, where)``, or ``(None, None)`` when the license is not identified.
    """
    for path in license_files(files):
        spdx = identify_license(documents.get(path, ""))
        if spdx:
            return spdx, path
    return declared_license(files, project) or (None, None)


def license_files(files: Iterable[str]) -> list[str]:
    """The root license files, LICENSE before LICENSE-MIT and the like.

    Args:
        files: Every file of the work tree.

    Returns:
        The paths, shortest known name first, then alphabetically.
    """
    return sorted(
        (p for p in files if "/" not in p and LICENSE_FILE.fullmatch(p)), key=lambda n: (n.count("."), len(n), n)
    )
