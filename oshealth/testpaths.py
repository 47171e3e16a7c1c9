"""Which files belong to a test suite, by their paths (pytest and unittest conventions).

The ``tests`` check judges the suite with these rules, and the history
summary (:mod:`oshealth.historysummary`) sorts each recent commit's files
with them as it folds the commit in.
"""

from __future__ import annotations

import posixpath
import re

#: Folder names whose files are tests or test support (fixtures, data, helpers).
TEST_DIRS = frozenset({"tests", "test"})
_TEST_MODULE = re.compile(r"test.*\.py|.+_test\.py")


def is_test_path(path: str) -> bool:
    """Whether a file belongs to the test suite (pytest and unittest conventions).

    Args:
        path: Repository-relative POSIX path.

    Returns:
        True for ``test_*.py``, ``*_test.py``, ``tests.py``, ``test.py``, ``conftest.py``
        anywhere, and for every file under a ``tests/`` or ``test/`` folder.
    """
    folders = path.split("/")[:-1]
    name = posixpath.basename(path)
    if any(folder in TEST_DIRS for folder in folders):
        return True
    if name in ("conftest.py", "tests.py", "test.py") or name.endswith("_test.py"):
        return True
    return name.startswith("test_") and name.endswith(".py")


def is_test_module(path: str) -> bool:
    """Whether a test file is collected for test functions (``test*.py`` or ``*_test.py``)."""
    return path.endswith(".py") and is_test_path(path) and bool(_TEST_MODULE.fullmatch(posixpath.basename(path)))
