"""interrogate's ``exclude`` matched with one compiled pattern: the same answers as its ``fnmatch`` per base."""

from __future__ import annotations

import posixpath
from fnmatch import fnmatch

import pytest

from oshealth.interrogate_config import COMMON_EXCLUDE, InterrogateSettings

PATHS = ["docs/a.py", "a/bc.py", "a/b/c.py", "x/ac.py", "x/bc.py", "x/cc.py", "weirdXname/z.py", ".tox/a.py",
         "venv/x.py", "src/venv/x.py", "q/tests/t.py", "tests/t.py", "docsx/a.py", ".git/h.py", "sub dir/a.py",
         "a.py", "out/b.py"]


@pytest.mark.parametrize(("root", "exclude"), [
    ("/r", ("docs", "a/b*", "x/[ab]c", "weird?name", "*/tests")),
    ("/r/x", ()),
    ("/tmp/p q", ("sub dir", "../out", "./a.py")),
])
def test_exclusion_agrees_with_fnmatch_per_base(root: str, exclude: tuple[str, ...]) -> None:
    settings = InterrogateSettings(exclude=exclude)
    bases = (*COMMON_EXCLUDE, *exclude)
    patterns = [posixpath.normpath(posixpath.join(root, base)) + "*" for base in bases]
    expected = [p for p in PATHS if any(fnmatch(posixpath.join(root, p), pattern) for pattern in patterns)]
    assert [p for p in PATHS if settings.is_excluded(root, p)] == expected
    assert expected  # each case excludes something (.tox, venv or .git at least)
