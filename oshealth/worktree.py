"""Files of the work tree that oshealth must not read: those a symbolic link takes out of it.

A hostile repository could link ``module.py``, ``README.md`` or
``pyproject.toml`` to any file of the machine running the audit
(``/proc/self/environ`` on a CI runner). Such files are never read: Python
files are noted as skipped (a finding), documents and configuration files are
left out as if absent. A link to a device (``/dev/zero``) would also never end:
only regular files are read.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Why a file reached through a symbolic link out of the work tree is not read.
OUTSIDE = "a symbolic link to a file outside the repository: not read"


def links_out(real_root: str, full: Path) -> bool:
    """Whether the file ``full`` is a symbolic link whose target lies out of the work tree.

    git lists no file beneath a link to a folder, so only a file that is
    itself a link needs resolving (sympy: 25 ms to resolve every file instead).

    Args:
        real_root: The work tree's real path (``os.path.realpath``).
        full: The file, under the work tree as git names it.

    Returns:
        True when it is a link and its real path is outside ``real_root``.
    """
    return full.is_symlink() and os.path.commonpath([real_root, os.path.realpath(full)]) != real_root


def regular_file(root: Path, path: Path) -> bool:
    """Whether ``path`` is a regular file that may be read: not a folder or device, not a link out of ``root``.

    Args:
        root: The work tree.
        path: A file under it.

    Returns:
        True when it may be read.
    """
    # the work tree's real path is resolved only for a link: most files are none
    return path.is_file() and not (path.is_symlink() and links_out(os.path.realpath(root), path))
