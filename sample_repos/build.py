"""Regenerate oshealth's sample repositories as ``git fast-export`` streams.

Each sample is built commit by commit in a temporary repository with fixed
authors, e-mails, dates and time zones, then exported with
:data:`EXPORT_ARGS` into ``sample_repos/NAME.fi``. Nothing depends on the
machine, the user's git configuration or the clock, so running the script
again gives byte-identical streams (``--check`` verifies that).

Usage::

    python sample_repos/build.py            # rewrite every NAME.fi
    python sample_repos/build.py --check    # exit 1 if a stream is out of date
    python sample_repos/build.py team_project

The samples are described in ``sample_repos/README.md``. The file contents
below are data; most of this file is the text of the samples' files.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The export command. ``--signed-tags=strip`` and ``--reencode=yes`` make
#: the stream independent of signing and of commit encodings; with them a
#: stream re-imported and re-exported is byte-identical (same commit ids).
EXPORT_ARGS = ("fast-export", "--all", "--signed-tags=strip", "--reencode=yes")
#: Keeps the machine's and the user's git configuration out of the build.
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
    "TZ": "UTC",
}

FileContent = str | bytes | None


def git(cwd: Path, *args: str, env: Mapping[str, str] | None = None, stdin: bytes | None = None) -> bytes:
    """Run git in ``cwd`` with an isolated configuration.

    Args:
        cwd: Working directory.
        args: git's arguments.
        env: Extra environment variables (author and committer identity...).
        stdin: Bytes fed to git's standard input.

    Returns:
        git's standard output, as bytes.
    """
    base = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    full_env = {**base, **GIT_ENV, **(env or {})}
    done = subprocess.run(["git", *args], cwd=cwd, env=full_env, input=stdin, capture_output=True, check=False)
    if done.returncode:
        raise RuntimeError(f"git {' '.join(args)} failed: {done.stderr.decode(errors='replace')}")
    return done.stdout


@dataclass(frozen=True)
class Person:
    """An identity that authors or commits.

    Attributes:
        name: Display name.
        email: E-mail address.
        tz: UTC offset used for this person's dates, such as ``+0100``.
    """

    name: str
    email: str
    tz: str = "+0000"


def stamp(local: str, tz: str) -> str:
    """Turn a local wall-clock time into git's ``EPOCH +ZZZZ`` date format.

    Args:
        local: ``YYYY-MM-DD HH:MM`` in the time zone ``tz``.
        tz: UTC offset such as ``-0500``.

    Returns:
        The date as git stores it.
    """
    sign = -1 if tz.startswith("-") else 1
    offset = timedelta(hours=int(tz[1:3]), minutes=int(tz[3:5])) * sign
    moment = datetime.strptime(local, "%Y-%m-%d %H:%M").replace(tzinfo=timezone(offset))
    return f"{int(moment.timestamp())} {tz}"


def edit(text: str, old: str, new: str) -> str:
    """Replace the one occurrence of ``old`` in ``text`` (fails loudly if absent, to keep versions honest)."""
    if text.count(old) != 1:
        raise ValueError(f"expected exactly one {old!r}")
    return text.replace(old, new)


def module(*parts: str) -> str:
    """Join Python source blocks with two blank lines between them."""
    return "\n\n\n".join(part.strip("\n") for part in parts) + "\n"


class Builder:
    """Writes a repository commit by commit with fixed identities and dates."""

    def __init__(self, root: Path) -> None:
        """Create an empty repository with a ``main`` branch at ``root``."""
        self.root = root
        root.mkdir(parents=True)
        git(root, "init", "-q", "-b", "main")

    @staticmethod
    def _identity(author: Person, committer: Person, when: str) -> dict[str, str]:
        return {
            "GIT_AUTHOR_NAME": author.name,
            "GIT_AUTHOR_EMAIL": author.email,
            "GIT_AUTHOR_DATE": stamp(when, author.tz),
            "GIT_COMMITTER_NAME": committer.name,
            "GIT_COMMITTER_EMAIL": committer.email,
            "GIT_COMMITTER_DATE": stamp(when, author.tz),
        }

    def commit(
        self,
        when: str,
        author: Person,
        message: str,
        files: Mapping[str, FileContent] | None = None,
        *,
        renames: Mapping[str, str] | None = None,
        committer: Person | None = None,
        executable: Iterable[str] = (),
    ) -> None:
        """Apply renames (``git mv``), write or delete (None) files, and commit everything.

        Args:
            when: Local time ``YYYY-MM-DD HH:MM`` in the author's time zone.
            author: Who wrote the change.
            message: Commit message.
            files: Path to new content (str is written as UTF-8), or None to delete.
            renames: Old path to new path, moved before ``files`` are written.
            committer: Who committed, when not the author (bots, web merges).
            executable: Paths to mark executable.
        """
        for old, new in (renames or {}).items():
            (self.root / new).parent.mkdir(parents=True, exist_ok=True)
            git(self.root, "mv", old, new)
        for path, content in (files or {}).items():
            if content is None:
                git(self.root, "rm", "-q", "--", path)
                continue
            target = self.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        for path in executable:
            (self.root / path).chmod(0o755)
        git(self.root, "add", "-A")
        env = self._identity(author, committer or author, when)
        git(self.root, "commit", "-q", "--allow-empty", "-m", message, env=env)

    def tag(self, name: str, when: str, tagger: Person, message: str | None = None) -> None:
        """Tag HEAD: annotated when ``message`` is given, else lightweight."""
        args = ["tag", "-a", name, "-m", message] if message else ["tag", name]
        git(self.root, *args, env=self._identity(tagger, tagger, when))

    def branch(self, name: str) -> None:
        """Create the branch ``name`` at HEAD and switch to it."""
        git(self.root, "checkout", "-q", "-b", name)

    def switch(self, name: str) -> None:
        """Switch to the existing branch ``name``."""
        git(self.root, "checkout", "-q", name)

    def merge(self, branch: str, when: str, author: Person, message: str, committer: Person | None = None) -> None:
        """Merge ``branch`` into the current branch with a merge commit, then delete ``branch``."""
        env = self._identity(author, committer or author, when)
        git(self.root, "merge", "-q", "--no-ff", "-m", message, branch, env=env)
        git(self.root, "branch", "-q", "-d", branch)


# ---------------------------------------------------------------------------
# well_kept: a small, well documented, well tested, actively released library
# ---------------------------------------------------------------------------

MAYA = Person("Maya Lindqvist", "maya@wellkept.dev", "+0100")
TOMASZ = Person("Tomasz Nowak", "tomasz.nowak@example.org", "+0100")
PRIYA = Person("Priya Raman", "priya@example.net", "+0530")
DANIEL = Person("Daniel Okafor", "dokafor@example.com", "-0500")

MIT_LICENSE = """\
MIT License

Copyright (c) 2022 Maya Lindqvist and the wellkept contributors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""

WK_GITIGNORE = """\
__pycache__/
*.py[cod]
*.egg-info/
build/
dist/
site/
.venv/
.pytest_cache/
"""


def wk_pyproject(version: str) -> str:
    """The library's ``pyproject.toml`` at ``version``."""
    return f"""\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "wellkept"
version = "{version}"
description = "Parse and format human-readable durations."
readme = "README.md"
license = {{text = "MIT"}}
authors = [{{name = "Maya Lindqvist", email = "maya@wellkept.dev"}}]
requires-python = ">=3.9"

[project.optional-dependencies]
test = ["pytest>=7"]
docs = ["mkdocs>=1.5"]

[project.urls]
Documentation = "https://wellkept.readthedocs.io"
Source = "https://github.com/wellkept/wellkept"
Changelog = "https://github.com/wellkept/wellkept/blob/main/CHANGELOG.md"

[tool.setuptools]
packages = ["wellkept"]
"""


def wk_init(version: str, exports: tuple[str, ...]) -> str:
    """``wellkept/__init__.py`` exporting ``exports`` (names of the modules whose API is public)."""
    imports = {
        "errors": "from wellkept.errors import DurationError\n",
        "format": "from wellkept.format import format_duration\n",
        "parse": "from wellkept.parse import parse_duration\n",
        "units": "from wellkept.units import UNITS, Unit\n",
    }
    names = {"errors": ["DurationError"], "format": ["format_duration"], "parse": ["parse_duration"],
             "units": ["UNITS", "Unit"]}
    public = sorted((n for key in exports for n in names[key]), key=lambda n: (not n.isupper(), n))
    all_names = ", ".join(f'"{n}"' for n in public)
    return (
        '''"""Parse and format human-readable durations such as ``"1h 30m"``.

Example:
    >>> from wellkept import format_duration, parse_duration
    >>> parse_duration("1h 30m")
    5400
    >>> format_duration(5400)
    '1h 30m'
"""

'''
        + "".join(imports[key] for key in sorted(exports))
        + f"\n__all__ = [{all_names}]\n__version__ = \"{version}\"\n"
    )


WK_ERRORS = '''\
"""Exceptions raised by wellkept."""


class DurationError(ValueError):
    """Raised when a duration string cannot be parsed.

    Attributes:
        text: The text that failed to parse.
        position: Index of the first character that could not be read.
    """

    def __init__(self, text: str, position: int) -> None:
        """Create the error.

        Args:
            text: The text that failed to parse.
            position: Index of the first offending character.
        """
        super().__init__(f"cannot parse duration {text!r} at position {position}")
        self.text = text
        self.position = position
'''
WK_ERRORS_V1 = '''\
"""Exceptions raised by wellkept."""


class DurationError(ValueError):
    """Raised when a duration string cannot be parsed.

    Attributes:
        text: The text that failed to parse.
    """

    def __init__(self, text: str) -> None:
        """Create the error.

        Args:
            text: The text that failed to parse.
        """
        super().__init__(f"cannot parse duration {text!r}")
        self.text = text
'''

WK_UNITS = '''\
"""Time units known to wellkept."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """A unit of time.

    Attributes:
        symbol: The short symbol used in durations, such as ``"h"``.
        seconds: How many seconds one unit lasts.
    """

    symbol: str
    seconds: int


#: Units from largest to smallest; formatting walks them in this order.
UNITS: tuple[Unit, ...] = (
    Unit("w", 7 * 24 * 3600),
    Unit("d", 24 * 3600),
    Unit("h", 3600),
    Unit("m", 60),
    Unit("s", 1),
)


def unit_for(symbol: str) -> Unit | None:
    """Find the unit with the given symbol.

    Args:
        symbol: A unit symbol such as ``"m"``; case-insensitive.

    Returns:
        The unit, or None when the symbol is unknown.
    """
    wanted = symbol.lower()
    for unit in UNITS:
        if unit.symbol == wanted:
            return unit
    return None
'''
WK_UNITS_V2 = edit(WK_UNITS, '    Unit("w", 7 * 24 * 3600),\n', "")
WK_UNITS_V1 = edit(
    edit(WK_UNITS_V2, '''"m"``; case-insensitive.''', '''"m"``.'''),
    "    wanted = symbol.lower()\n    for unit in UNITS:\n        if unit.symbol == wanted:",
    "    for unit in UNITS:\n        if unit.symbol == symbol:",
)

WK_PARSE = r'''"""Parsing of duration strings."""

from __future__ import annotations

import re

from wellkept.errors import DurationError
from wellkept.units import unit_for

_PART = re.compile(r"\s*(\d+)\s*([A-Za-z]+)")


def parse_duration(text: str) -> int:
    """Parse a duration such as ``"1h 30m"`` into seconds.

    Args:
        text: Whole numbers, each followed by a unit symbol (``w``, ``d``, ``h``,
            ``m`` or ``s``), optionally separated by spaces.

    Returns:
        The total number of seconds.

    Raises:
        DurationError: The text is empty or holds something that is not a duration.
    """
    stripped = text.rstrip()
    if not stripped:
        raise DurationError(text, 0)
    total = 0
    position = 0
    while position < len(stripped):
        match = _PART.match(stripped, position)
        if match is None:
            raise DurationError(text, position)
        total += int(match.group(1)) * _unit_seconds(text, match)
        position = match.end()
    return total


def _unit_seconds(text: str, match: re.Match[str]) -> int:
    """Return the length in seconds of the unit a match names.

    Args:
        text: The whole text being parsed, for the error message.
        match: A match of one number and its unit.

    Returns:
        The unit's length in seconds.

    Raises:
        DurationError: The unit symbol is unknown.
    """
    unit = unit_for(match.group(2))
    if unit is None:
        raise DurationError(text, match.start(2))
    return unit.seconds
'''
WK_PARSE_V3 = edit(WK_PARSE, r'r"\s*(\d+)\s*([A-Za-z]+)"', r'r"\s*(\d+)([A-Za-z]+)"')
WK_PARSE_V2 = edit(WK_PARSE_V3, "    if not stripped:\n        raise DurationError(text, 0)\n", "")
WK_PARSE_V1 = edit(
    edit(edit(WK_PARSE_V2, "DurationError(text, position)", "DurationError(text)"),
         "DurationError(text, match.start(2))", "DurationError(text)"),
    "The text is empty or holds something that is not a duration.",
    "The text holds something that is not a duration.",
)

WK_FORMAT = '''\
"""Formatting of durations as short human-readable strings."""

from __future__ import annotations

from wellkept.units import UNITS


def format_duration(seconds: int, *, max_units: int = 2) -> str:
    """Format a number of seconds as a short duration string.

    Args:
        seconds: The duration; must not be negative.
        max_units: Keep at most this many units, largest first; smaller ones are dropped.

    Returns:
        A string such as ``"1h 30m"``; ``"0s"`` for zero.

    Raises:
        ValueError: ``seconds`` is negative or ``max_units`` is below one.
    """
    if seconds < 0 or max_units < 1:
        raise ValueError("seconds must be >= 0 and max_units >= 1")
    parts = [f"{count}{symbol}" for symbol, count in split_duration(seconds)]
    return " ".join(parts[:max_units]) or "0s"


def split_duration(seconds: int) -> list[tuple[str, int]]:
    """Split seconds into whole units, largest first, leaving out zero counts.

    Args:
        seconds: The duration; must not be negative.

    Returns:
        ``(symbol, count)`` pairs, such as ``[("h", 1), ("m", 30)]`` for 5400.
    """
    parts = []
    remaining = seconds
    for unit in UNITS:
        count, remaining = divmod(remaining, unit.seconds)
        if count:
            parts.append((unit.symbol, count))
    return parts
'''
WK_FORMAT_V2 = '''\
"""Formatting of durations as short human-readable strings."""

from __future__ import annotations

from wellkept.units import UNITS


def format_duration(seconds: int, *, max_units: int = 2) -> str:
    """Format a number of seconds as a short duration string.

    Args:
        seconds: The duration; must not be negative.
        max_units: Keep at most this many units, largest first; smaller ones are dropped.

    Returns:
        A string such as ``"1h 30m"``; ``"0s"`` for zero.

    Raises:
        ValueError: ``seconds`` is negative or ``max_units`` is below one.
    """
    if seconds < 0 or max_units < 1:
        raise ValueError("seconds must be >= 0 and max_units >= 1")
    parts = []
    remaining = seconds
    for unit in UNITS:
        count, remaining = divmod(remaining, unit.seconds)
        if count:
            parts.append(f"{count}{unit.symbol}")
    return " ".join(parts[:max_units]) or "0s"
'''
WK_FORMAT_V1 = edit(
    edit(
        edit(WK_FORMAT_V2, "def format_duration(seconds: int, *, max_units: int = 2) -> str:",
             "def format_duration(seconds: int) -> str:"),
        "        max_units: Keep at most this many units, largest first; smaller ones are dropped.\n", "",
    ),
    '''        ValueError: ``seconds`` is negative or ``max_units`` is below one.
    """
    if seconds < 0 or max_units < 1:
        raise ValueError("seconds must be >= 0 and max_units >= 1")''',
    '''        ValueError: ``seconds`` is negative.
    """
    if seconds < 0:
        raise ValueError("seconds must be >= 0")''',
)
WK_FORMAT_V1 = edit(WK_FORMAT_V1, '" ".join(parts[:max_units])', '" ".join(parts)')


def wk_test_parse(cases: str, errors: bool, error_cases: str = "") -> str:
    """``tests/test_parse.py`` with the given parametrize cases."""
    text = f'''\
import pytest

from wellkept import DurationError, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [{cases}],
)
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected
'''
    if not errors:
        return text + '''

def test_parse_rejects_unknown_units():
    with pytest.raises(DurationError):
        parse_duration("3y")
'''
    return text + f'''

@pytest.mark.parametrize(("text", "position"), [{error_cases}])
def test_parse_errors_report_the_position(text, position):
    with pytest.raises(DurationError) as info:
        parse_duration(text)
    assert info.value.position == position
'''


WK_PARSE_CASES = '("90s", 90), ("1h 30m", 5400), ("2d", 172800)'
WK_PARSE_ERRORS = '("5", 0), ("1h x", 2), ("3y", 1)'

WK_TEST_FORMAT = '''\
import pytest

from wellkept import format_duration
from wellkept.format import split_duration


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(0, "0s"), (59, "59s"), (5400, "1h 30m"), (93784, "1d 2h"), (694800, "1w 1d")],
)
def test_format_duration(seconds, expected):
    assert format_duration(seconds) == expected


def test_format_duration_max_units():
    assert format_duration(93784, max_units=3) == "1d 2h 3m"


@pytest.mark.parametrize(("seconds", "max_units"), [(-1, 2), (10, 0)])
def test_format_duration_rejects_bad_arguments(seconds, max_units):
    with pytest.raises(ValueError):
        format_duration(seconds, max_units=max_units)


def test_split_duration():
    assert split_duration(3661) == [("h", 1), ("m", 1), ("s", 1)]
'''
WK_TEST_FORMAT_V3 = edit(WK_TEST_FORMAT, ', (694800, "1w 1d")', "")
WK_TEST_FORMAT_V2 = edit(
    WK_TEST_FORMAT_V3,
    '''

def test_split_duration():
    assert split_duration(3661) == [("h", 1), ("m", 1), ("s", 1)]
''',
    "",
)
WK_TEST_FORMAT_V2 = edit(WK_TEST_FORMAT_V2, "from wellkept.format import split_duration\n", "")
WK_TEST_FORMAT_V1 = '''\
import pytest

from wellkept import format_duration


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(0, "0s"), (59, "59s"), (5400, "1h 30m"), (93784, "1d 2h 3m 4s")],
)
def test_format_duration(seconds, expected):
    assert format_duration(seconds) == expected


def test_format_duration_rejects_negative_seconds():
    with pytest.raises(ValueError):
        format_duration(-1)
'''

WK_TEST_UNITS = '''\
from wellkept.units import UNITS, unit_for


def test_units_are_sorted_largest_first():
    sizes = [unit.seconds for unit in UNITS]
    assert sizes == sorted(sizes, reverse=True)


def test_unit_for_known_symbol():
    assert unit_for("m").seconds == 60


def test_unit_for_unknown_symbol():
    assert unit_for("y") is None
'''
WK_TEST_UNITS_V2 = WK_TEST_UNITS + '''

def test_unit_for_is_case_insensitive():
    assert unit_for("H").seconds == 3600
'''
WK_TEST_UNITS_V3 = WK_TEST_UNITS_V2 + '''

def test_weeks():
    assert unit_for("w").seconds == 7 * 86400
'''


def wk_readme(stage: int) -> str:
    """The README at a stage: 1 bare, 2 installation and usage, 3 ``max_units``, 4 CI badge, 5 Python versions."""
    if stage == 1:
        return "# wellkept\n\nParse and format human-readable durations.\n"
    badge = (
        "[![CI](https://github.com/wellkept/wellkept/actions/workflows/ci.yml/badge.svg)]"
        "(https://github.com/wellkept/wellkept/actions/workflows/ci.yml)\n\n"
        if stage >= 4 else ""
    )
    versions = "wellkept supports Python 3.9 to 3.12 and has no dependencies.\n\n" if stage >= 5 else ""
    max_units = 'print(format_duration(93784, max_units=3))  # "1d 2h 3m"\n' if stage >= 3 else ""
    return f"""\
# wellkept

{badge}Parse and format human-readable durations such as `1h 30m`.

## Installation

```bash
pip install wellkept
```

{versions}## Usage

```python
from wellkept import format_duration, parse_duration

seconds = parse_duration("1h 30m")  # 5400
print(format_duration(seconds))  # "1h 30m"
{max_units}```

Invalid input raises `wellkept.DurationError`, which tells where parsing stopped.

## Documentation

The full documentation is at https://wellkept.readthedocs.io and is built
from `docs/` with MkDocs.

## Contributing

Bug reports and pull requests are welcome: see [CONTRIBUTING.md](CONTRIBUTING.md).

## License

MIT, see [LICENSE](LICENSE).
"""


WK_RELEASES = (
    ("0.1.0", "2023-02-06", "### Added\n- `parse_duration` and `format_duration` for `s`, `m`, `h` and `d`.\n"),
    ("0.2.0", "2023-06-12", "### Added\n- `DurationError.position` tells where parsing stopped.\n"
                            "- `format_duration(max_units=...)`.\n\n"
                            "### Changed\n- Unit symbols are case-insensitive.\n"),
    ("1.0.0", "2024-01-15", "### Added\n- `Unit` and `UNITS` are exported from the package.\n"
                            "- `split_duration` returns the parts of a duration.\n\n"
                            "### Changed\n- Empty strings raise `DurationError` with a clear message.\n"
                            "- The API is now stable and follows semantic versioning.\n"),
    ("1.1.0", "2024-09-02", "### Added\n- Weeks (`w`) as a unit.\n"
                            "- Spaces between a number and its unit (`\"1 h\"`).\n"),
)


def wk_changelog(released: int) -> str:
    """CHANGELOG.md listing the first ``released`` versions, newest first."""
    head = (
        "# Changelog\n\nAll notable changes to this project are documented in this file.\n"
        "The format follows [Keep a Changelog](https://keepachangelog.com/en/1.1.0/)\n"
        "and the project uses [Semantic Versioning](https://semver.org/).\n"
    )
    entries = [f"\n## [{v}] - {d}\n\n{body}" for v, d, body in reversed(WK_RELEASES[:released])]
    return head + "".join(entries)


def wk_ci(stage: int) -> str:
    """The CI workflow: 1 Python 3.9-3.11, 2 adds 3.12, 3 caches pip."""
    versions = '"3.9", "3.10", "3.11"' + (', "3.12"' if stage >= 2 else "")
    cache = "          cache: pip\n" if stage >= 3 else ""
    checkout, setup = ("v4", "v5") if stage >= 2 else ("v3", "v4")
    return f"""\
name: CI

on:
  push:
    branches: [main]
  pull_request:

jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python-version: [{versions}]
    steps:
      - uses: actions/checkout@{checkout}
      - uses: actions/setup-python@{setup}
        with:
          python-version: ${{{{ matrix.python-version }}}}
{cache}      - run: python -m pip install -e ".[test]"
      - run: python -m pytest -q
"""


def wk_contributing(release_process: bool) -> str:
    """CONTRIBUTING.md, with or without the release process section."""
    text = """\
# Contributing to wellkept

Thank you for helping! This project follows a [code of conduct](CODE_OF_CONDUCT.md);
by taking part you agree to abide by it.

## Reporting bugs

Open an issue with the bug report template. Include the input you passed,
what you expected and what happened, and your Python version.

## Development setup

```bash
python -m venv .venv
. .venv/bin/activate
pip install -e ".[test,docs]"
python -m pytest
```

## Pull requests

- One change per pull request, with tests for new behaviour.
- Every public function, class and module has a Google-style docstring.
- Add a line under "Unreleased" in `CHANGELOG.md`.
- Keep functions small; CI must pass before review.
"""
    if release_process:
        text += """
## Releasing

1. Move the "Unreleased" entries of `CHANGELOG.md` under the new version.
2. Update the version in `pyproject.toml` and `wellkept/__init__.py`.
3. Commit as "Release X.Y.Z" and create an annotated tag `vX.Y.Z`.
4. Push the tag; the maintainers publish the release to PyPI.
"""
    return text


WK_CODE_OF_CONDUCT = """\
# Code of Conduct

## Our pledge

We as members, contributors and leaders pledge to make participation in our
community a harassment-free experience for everyone, regardless of age, body
size, visible or invisible disability, ethnicity, sex characteristics, gender
identity and expression, level of experience, education, socio-economic status,
nationality, personal appearance, race, religion, or sexual identity and
orientation.

## Our standards

Examples of behaviour that contributes to a positive environment:

- Being kind, patient and respectful of differing opinions
- Giving and gracefully accepting constructive feedback
- Focusing on what is best for the community

Examples of unacceptable behaviour:

- Sexualised language or imagery, and unwelcome sexual attention
- Trolling, insulting or derogatory comments, and personal or political attacks
- Public or private harassment
- Publishing others' private information without their explicit permission

## Enforcement

Instances of abusive, harassing or otherwise unacceptable behaviour may be
reported to the maintainers at conduct@wellkept.dev. All complaints will be
reviewed and investigated promptly and fairly, and the privacy of the reporter
will be respected.

## Attribution

This Code of Conduct is adapted from the [Contributor Covenant](https://www.contributor-covenant.org),
version 2.1.
"""

WK_SECURITY = """\
# Security policy

## Supported versions

| Version | Supported |
| ------- | --------- |
| 1.x     | yes       |
| < 1.0   | no        |

## Reporting a vulnerability

Please do not open a public issue. E-mail security@wellkept.dev with a
description and, if possible, a reproducer. We answer within five working days
and publish a fixed release and an advisory once a fix is available.
"""

WK_BUG_REPORT = """\
---
name: Bug report
about: Something does not work as documented
labels: bug
---

**What happened**

A clear description of the bug.

**How to reproduce**

```python
from wellkept import parse_duration
parse_duration("...")
```

**Expected behaviour**

**Environment**

- wellkept version:
- Python version:
- Operating system:
"""

WK_PR_TEMPLATE = """\
## What does this change?

## Checklist

- [ ] Tests cover the change
- [ ] Public objects have Google-style docstrings
- [ ] `CHANGELOG.md` has an entry under "Unreleased"
"""


def wk_mkdocs(pages: int) -> str:
    """mkdocs.yml with the first ``pages`` navigation entries."""
    nav = ["  - Home: index.md\n", "  - Usage: usage.md\n", "  - API reference: api.md\n", "  - FAQ: faq.md\n"]
    return (
        "site_name: wellkept\nsite_description: Parse and format human-readable durations.\n"
        "repo_url: https://github.com/wellkept/wellkept\ntheme:\n  name: readthedocs\nnav:\n"
        + "".join(nav[:pages])
    )


WK_DOCS_INDEX = """\
# wellkept

wellkept parses and formats human-readable durations such as `1h 30m`.
It is small, has no dependencies and is fully typed.

- [Usage](usage.md) shows the common tasks.
- The [API reference](api.md) lists every public function.
"""

WK_DOCS_USAGE = """\
# Usage

## Parsing

`parse_duration` turns a duration string into seconds:

```python
>>> from wellkept import parse_duration
>>> parse_duration("2h 15m")
8100
```

Units are `w`, `d`, `h`, `m` and `s`. When the text is not a valid duration,
`DurationError` is raised; its `position` attribute tells where parsing stopped.

## Formatting

`format_duration` does the reverse and keeps the two largest units by default:

```python
>>> from wellkept import format_duration
>>> format_duration(8100)
'2h 15m'
>>> format_duration(93784, max_units=3)
'1d 2h 3m'
```
"""
WK_DOCS_USAGE_V1 = edit(
    edit(WK_DOCS_USAGE, "`parse_duration` turns a duration string", "`parse_duration` turns a durantion string"),
    "Units are `w`, `d`, `h`, `m` and `s`.", "Units are `d`, `h`, `m` and `s`.",
)
WK_DOCS_USAGE_V2 = edit(WK_DOCS_USAGE, "Units are `w`, `d`, `h`, `m` and `s`.", "Units are `d`, `h`, `m` and `s`.")

WK_DOCS_API = """\
# API reference

## `parse_duration(text: str) -> int`

Parse a duration such as `"1h 30m"` into seconds. Raises `DurationError`.

## `format_duration(seconds: int, *, max_units: int = 2) -> str`

Format seconds as a short duration string such as `"1h 30m"`.

## `split_duration(seconds: int) -> list[tuple[str, int]]`

Split seconds into `(symbol, count)` pairs, largest unit first.

## `DurationError`

A `ValueError` with `text` and `position` attributes.

## `Unit` and `UNITS`

A unit of time (`symbol`, `seconds`) and the known units, largest first.
"""

WK_DOCS_FAQ = """\
# FAQ

**Why are months and years not units?**
Their length varies, so a duration in months cannot be turned into seconds.

**Does wellkept handle negative durations?**
No: `format_duration` raises `ValueError` for negative numbers.
"""


def build_well_kept(repo: Builder) -> None:
    """Thirty commits over two years by four people, four annotated releases."""
    core = ("errors",)
    repo.commit("2022-12-05 10:12", MAYA, "Initial project layout", {
        ".gitignore": WK_GITIGNORE, "LICENSE": MIT_LICENSE, "README.md": wk_readme(1),
        "pyproject.toml": wk_pyproject("0.1.0.dev0"), "wellkept/__init__.py": wk_init("0.1.0.dev0", core),
        "wellkept/errors.py": WK_ERRORS_V1, "wellkept/units.py": WK_UNITS_V1,
    })
    repo.commit("2022-12-12 14:40", MAYA, "Add parse_duration", {
        "wellkept/parse.py": WK_PARSE_V1, "wellkept/__init__.py": wk_init("0.1.0.dev0", (*core, "parse")),
        "tests/test_parse.py": wk_test_parse(WK_PARSE_CASES, errors=False),
    })
    repo.commit("2022-12-20 09:05", MAYA, "Add format_duration", {
        "wellkept/format.py": WK_FORMAT_V1,
        "wellkept/__init__.py": wk_init("0.1.0.dev0", (*core, "parse", "format")),
        "tests/test_format.py": WK_TEST_FORMAT_V1,
    })
    repo.commit("2023-01-09 18:22", TOMASZ, "Add a CI workflow running pytest", {
        ".github/workflows/ci.yml": wk_ci(1),
    })
    repo.commit("2023-01-17 11:30", MAYA, "Document installation and usage in the README", {
        "README.md": wk_readme(2),
    })
    repo.commit("2023-01-30 20:01", TOMASZ, "Test the unit lookup", {"tests/test_units.py": WK_TEST_UNITS})
    repo.commit("2023-02-06 10:00", MAYA, "Release 0.1.0", {
        "CHANGELOG.md": wk_changelog(1), "pyproject.toml": wk_pyproject("0.1.0"),
        "wellkept/__init__.py": wk_init("0.1.0", (*core, "parse", "format")),
    })
    repo.tag("v0.1.0", "2023-02-06 10:05", MAYA, "wellkept 0.1.0")
    repo.commit("2023-02-20 16:45", PRIYA, "Add a contributing guide and a code of conduct", {
        "CONTRIBUTING.md": wk_contributing(False), "CODE_OF_CONDUCT.md": WK_CODE_OF_CONDUCT,
    })
    repo.commit("2023-03-08 15:10", PRIYA, "Add issue and pull request templates", {
        ".github/ISSUE_TEMPLATE/bug_report.md": WK_BUG_REPORT, ".github/PULL_REQUEST_TEMPLATE.md": WK_PR_TEMPLATE,
    })
    repo.commit("2023-03-27 19:33", TOMASZ, "Report where parsing stopped in DurationError", {
        "wellkept/errors.py": WK_ERRORS, "wellkept/parse.py": WK_PARSE_V2,
        "tests/test_parse.py": wk_test_parse(WK_PARSE_CASES, True, WK_PARSE_ERRORS),
    })
    repo.commit("2023-04-18 09:50", MAYA, "Accept upper-case unit symbols", {
        "wellkept/units.py": WK_UNITS_V2, "tests/test_units.py": WK_TEST_UNITS_V2,
    })
    repo.commit("2023-05-09 13:15", PRIYA, "Set up the MkDocs documentation", {
        "mkdocs.yml": wk_mkdocs(2), "docs/index.md": WK_DOCS_INDEX, "docs/usage.md": WK_DOCS_USAGE_V1,
    })
    repo.commit("2023-05-30 21:02", TOMASZ, "Add max_units to format_duration", {
        "wellkept/format.py": WK_FORMAT_V2, "tests/test_format.py": WK_TEST_FORMAT_V2, "README.md": wk_readme(3),
    })
    repo.commit("2023-06-12 10:20", MAYA, "Release 0.2.0", {
        "CHANGELOG.md": wk_changelog(2), "pyproject.toml": wk_pyproject("0.2.0"),
        "wellkept/__init__.py": wk_init("0.2.0", (*core, "parse", "format")),
    })
    repo.tag("v0.2.0", "2023-06-12 10:25", MAYA, "wellkept 0.2.0")
    repo.commit("2023-07-10 08:41", DANIEL, "Fix a typo in the usage docs", {"docs/usage.md": WK_DOCS_USAGE_V2})
    repo.commit("2023-08-02 17:05", DANIEL, "Add a security policy", {"SECURITY.md": WK_SECURITY})
    repo.commit("2023-08-28 12:00", PRIYA, "Add an API reference page", {
        "docs/api.md": WK_DOCS_API, "mkdocs.yml": wk_mkdocs(3),
    })
    repo.commit("2023-09-19 18:30", TOMASZ, "Test Python 3.12 in CI", {".github/workflows/ci.yml": wk_ci(2)})
    repo.commit("2023-10-11 11:11", MAYA, "Split split_duration out of format_duration", {
        "wellkept/format.py": WK_FORMAT, "tests/test_format.py": WK_TEST_FORMAT_V3,
    })
    repo.commit("2023-11-06 10:48", DANIEL, "Reject empty durations with a clear error", {
        "wellkept/parse.py": WK_PARSE_V3,
        "tests/test_parse.py": wk_test_parse(WK_PARSE_CASES, True, '("", 0), ("   ", 0), ' + WK_PARSE_ERRORS),
    })
    repo.commit("2023-12-04 14:25", MAYA, "Export Unit and UNITS from the package", {
        "wellkept/__init__.py": wk_init("0.2.0", (*core, "parse", "format", "units")),
    })
    full = (*core, "parse", "format", "units")
    repo.commit("2024-01-15 10:00", MAYA, "Release 1.0.0", {
        "CHANGELOG.md": wk_changelog(3), "pyproject.toml": wk_pyproject("1.0.0"),
        "wellkept/__init__.py": wk_init("1.0.0", full),
    })
    repo.tag("v1.0.0", "2024-01-15 10:10", MAYA, "wellkept 1.0.0")
    repo.commit("2024-02-12 16:20", PRIYA, "Explain the release process in CONTRIBUTING", {
        "CONTRIBUTING.md": wk_contributing(True),
    })
    repo.commit("2024-03-18 09:37", DANIEL, "Add weeks as a unit", {
        "wellkept/units.py": WK_UNITS, "tests/test_units.py": WK_TEST_UNITS_V3,
        "tests/test_format.py": WK_TEST_FORMAT, "docs/usage.md": WK_DOCS_USAGE,
    })
    repo.commit("2024-04-22 19:12", TOMASZ, "Cache pip downloads in CI", {".github/workflows/ci.yml": wk_ci(3)})
    repo.commit("2024-05-27 11:05", PRIYA, "Add a FAQ page to the docs", {
        "docs/faq.md": WK_DOCS_FAQ, "mkdocs.yml": wk_mkdocs(4),
    })
    repo.commit("2024-07-08 15:55", DANIEL, "Allow spaces between a number and its unit", {
        "wellkept/parse.py": WK_PARSE,
        "tests/test_parse.py": wk_test_parse(
            WK_PARSE_CASES + ', ("1H30M", 5400), ("1 h", 3600), ("1w 1d", 691200)',
            True, '("", 0), ("   ", 0), ' + WK_PARSE_ERRORS,
        ),
    })
    repo.commit("2024-09-02 10:30", MAYA, "Release 1.1.0", {
        "CHANGELOG.md": wk_changelog(4), "pyproject.toml": wk_pyproject("1.1.0"),
        "wellkept/__init__.py": wk_init("1.1.0", full),
    })
    repo.tag("v1.1.0", "2024-09-02 10:40", MAYA, "wellkept 1.1.0")
    repo.commit("2024-10-14 20:15", TOMASZ, "Show the CI status badge in the README", {"README.md": wk_readme(4)})
    repo.commit("2024-12-02 09:30", PRIYA, "Say which Python versions are supported", {"README.md": wk_readme(5)})


# ---------------------------------------------------------------------------
# undocumented_script: one maintainer, complex code, no docs, no tests
# ---------------------------------------------------------------------------

GARY = Person("Gary Holt", "gary.holt@mailbox.example", "-0600")

US_README = "photosync - copies photos off the camera card into dated folders\n"

US_HEADER_V1 = """\
import os
import sys
import shutil
from datetime import datetime

EXTS = [".jpg", ".jpeg", ".png", ".mov", ".mp4"]
"""
US_HEADER_V2 = """\
import os
import sys
import shutil
import hashlib
from datetime import datetime

EXTS = [".jpg", ".jpeg", ".png", ".mov", ".mp4"]
"""
US_HEADER_V3 = """\
#!/usr/bin/env python3
import os
import sys
import shutil
import hashlib
from datetime import datetime

from exifutil import read_exif_date, date_from_name

HIDDEN = (".", "_")
EXTS = [".jpg", ".jpeg", ".png", ".heic", ".mov", ".mp4"]
"""

US_TARGET_DIR = """\
def target_dir(dst, when, by):
    if when is None:
        return os.path.join(dst, "unsorted")
    if by == "year":
        return os.path.join(dst, str(when.year))
    elif by == "month":
        return os.path.join(dst, str(when.year), "%02d" % when.month)
    else:
        return os.path.join(dst, str(when.year), "%02d" % when.month, "%02d" % when.day)
"""

US_FILE_HASH = """\
def file_hash(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        while True:
            chunk = f.read(65536)
            if not chunk:
                break
            h.update(chunk)
    return h.hexdigest()
"""

US_PICK_NAME = """\
def pick_name(folder, name, src_path):
    base, ext = os.path.splitext(name)
    candidate = os.path.join(folder, name)
    n = 1
    while os.path.exists(candidate):
        if os.path.getsize(candidate) == os.path.getsize(src_path):
            if file_hash(candidate) == file_hash(src_path):
                return None
        candidate = os.path.join(folder, "%s_%d%s" % (base, n, ext))
        n += 1
        if n > 999:
            raise Exception("too many duplicates of " + name)
    return candidate
"""
US_PICK_NAME_V1 = edit(
    US_PICK_NAME,
    '        if n > 999:\n            raise Exception("too many duplicates of " + name)\n',
    "",
)

US_PARSE_ARGS = """\
def parse_args(argv):
    opts = {"src": None, "dst": None, "dry": False, "verbose": 0, "mode": "copy", "by": "month"}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "-n" or a == "--dry-run":
            opts["dry"] = True
        elif a == "-v":
            opts["verbose"] += 1
        elif a == "--move":
            opts["mode"] = "move"
        elif a == "--by":
            if i + 1 < len(argv) and argv[i + 1] in ("day", "month", "year"):
                opts["by"] = argv[i + 1]
                i += 1
            else:
                print("bad --by, use day, month or year")
                sys.exit(2)
        elif a.startswith("-"):
            print("unknown option " + a)
            sys.exit(2)
        else:
            if opts["src"] is None:
                opts["src"] = a
            elif opts["dst"] is None:
                opts["dst"] = a
            else:
                print("too many arguments")
                sys.exit(2)
        i += 1
    if opts["src"] is None or opts["dst"] is None:
        print("usage: photosync.py [-n] [-v] [--move] [--by day|month|year] SRC DST")
        sys.exit(2)
    return opts
"""
US_PARSE_ARGS_V1 = """\
def parse_args(argv):
    opts = {"src": None, "dst": None, "dry": False, "verbose": 0, "mode": "copy", "by": "month"}
    for a in argv:
        if a == "-n" or a == "--dry-run":
            opts["dry"] = True
        elif a == "-v":
            opts["verbose"] += 1
        elif opts["src"] is None:
            opts["src"] = a
        else:
            opts["dst"] = a
    if opts["src"] is None or opts["dst"] is None:
        print("usage: photosync.py [-n] [-v] SRC DST")
        sys.exit(2)
    return opts
"""

US_SYNC = """\
def sync_folder(opts):
    copied = 0
    skipped = 0
    dupes = 0
    errors = 0
    for root, dirs, files in os.walk(opts["src"]):
        for d in list(dirs):
            if d.startswith(HIDDEN):
                dirs.remove(d)
        for name in sorted(files):
            if name.startswith(HIDDEN):
                skipped += 1
                continue
            ext = os.path.splitext(name)[1].lower()
            if ext not in EXTS:
                if opts["verbose"] > 1:
                    print("skip " + name)
                skipped += 1
                continue
            path = os.path.join(root, name)
            try:
                when = read_exif_date(path)
            except Exception:
                when = None
            if when is None:
                when = date_from_name(name)
            if when is None and ext in (".mov", ".mp4"):
                when = datetime.fromtimestamp(os.path.getmtime(path))
            folder = target_dir(opts["dst"], when, opts["by"])
            dest = pick_name(folder, name, path)
            if dest is None:
                dupes += 1
                continue
            if opts["verbose"]:
                print("%s %s -> %s" % (opts["mode"], path, dest))
            if not opts["dry"]:
                try:
                    if not os.path.isdir(folder):
                        os.makedirs(folder)
                    if opts["mode"] == "move":
                        shutil.move(path, dest)
                    else:
                        shutil.copy2(path, dest)
                    copied += 1
                except OSError as e:
                    print("error: %s" % e)
                    errors += 1
            else:
                copied += 1
    return copied, skipped, dupes, errors
"""
US_SYNC_V1 = """\
def sync_folder(src, dst):
    copied = 0
    skipped = 0
    for root, dirs, files in os.walk(src):
        for name in files:
            ext = os.path.splitext(name)[1].lower()
            if ext not in EXTS:
                skipped += 1
                continue
            path = os.path.join(root, name)
            when = datetime.fromtimestamp(os.path.getmtime(path))
            folder = target_dir(dst, when, "month")
            if not os.path.isdir(folder):
                os.makedirs(folder)
            shutil.copy2(path, os.path.join(folder, name))
            copied += 1
    return copied, skipped
"""
US_SYNC_V2 = """\
def sync_folder(src, dst):
    copied = 0
    skipped = 0
    dupes = 0
    for root, dirs, files in os.walk(src):
        for name in sorted(files):
            ext = os.path.splitext(name)[1].lower()
            if ext not in EXTS:
                skipped += 1
                continue
            path = os.path.join(root, name)
            try:
                when = read_exif_date(path)
            except Exception:
                when = None
            if when is None:
                when = datetime.fromtimestamp(os.path.getmtime(path))
            folder = target_dir(dst, when, "month")
            dest = pick_name(folder, name, path)
            if dest is None:
                dupes += 1
                continue
            if not os.path.isdir(folder):
                os.makedirs(folder)
            shutil.copy2(path, dest)
            copied += 1
    return copied, skipped, dupes
"""
US_SYNC_V3 = """\
def sync_folder(opts):
    copied = 0
    skipped = 0
    dupes = 0
    for root, dirs, files in os.walk(opts["src"]):
        for name in sorted(files):
            ext = os.path.splitext(name)[1].lower()
            if ext not in EXTS:
                if opts["verbose"] > 1:
                    print("skip " + name)
                skipped += 1
                continue
            path = os.path.join(root, name)
            try:
                when = read_exif_date(path)
            except Exception:
                when = None
            if when is None:
                when = datetime.fromtimestamp(os.path.getmtime(path))
            folder = target_dir(opts["dst"], when, "month")
            dest = pick_name(folder, name, path)
            if dest is None:
                dupes += 1
                continue
            if opts["verbose"]:
                print("copy %s -> %s" % (path, dest))
            if not opts["dry"]:
                if not os.path.isdir(folder):
                    os.makedirs(folder)
                shutil.copy2(path, dest)
            copied += 1
    return copied, skipped, dupes, 0
"""

US_MAIN_V1 = """\
if __name__ == "__main__":
    copied, skipped = sync_folder(sys.argv[1], sys.argv[2])
    print("%d copied, %d skipped" % (copied, skipped))
"""
US_MAIN_V2 = """\
if __name__ == "__main__":
    copied, skipped, dupes = sync_folder(sys.argv[1], sys.argv[2])
    print("%d copied, %d skipped, %d duplicates" % (copied, skipped, dupes))
"""
US_MAIN_V3 = """\
def main():
    opts = parse_args(sys.argv[1:])
    copied, skipped, dupes, errors = sync_folder(opts)
    print("%d copied, %d skipped, %d duplicates, %d errors" % (copied, skipped, dupes, errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
"""
US_MAIN = """\
def main():
    opts = parse_args(sys.argv[1:])
    if not os.path.isdir(opts["src"]):
        print("no such folder: " + opts["src"])
        return 1
    copied, skipped, dupes, errors = sync_folder(opts)
    if copied + skipped + dupes == 0:
        print("nothing to do")
        return 0
    print("%d copied, %d skipped, %d duplicates, %d errors" % (copied, skipped, dupes, errors))
    if errors:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
"""

US_EXIF_READ = r'''
def read_exif_date(path):
    with open(path, "rb") as f:
        data = f.read(65536)
    if data[:2] != b"\xff\xd8":
        return None
    i = 2
    while i < len(data) - 4:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        size = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker == 0xE1 and data[i + 4:i + 10] == b"Exif\x00\x00":
            tiff = data[i + 10:i + 2 + size]
            endian = "<" if tiff[:2] == b"II" else ">"
            offset = struct.unpack(endian + "I", tiff[4:8])[0]
            count = struct.unpack(endian + "H", tiff[offset:offset + 2])[0]
            for n in range(count):
                entry = tiff[offset + 2 + n * 12:offset + 14 + n * 12]
                tag, kind, num, value = struct.unpack(endian + "HHII", entry)
                if tag == 0x0132 or tag == 0x9003:
                    if kind == 2 and num >= 19:
                        raw = tiff[value:value + 19].decode("ascii", "replace")
                        try:
                            return datetime.strptime(raw, "%Y:%m:%d %H:%M:%S")
                        except ValueError:
                            return None
            return None
        elif marker == 0xDA:
            break
        i += 2 + size
    return None
'''
US_EXIF_NAME = """
def date_from_name(name):
    digits = ""
    best = None
    for ch in name:
        if ch.isdigit():
            digits += ch
            if len(digits) == 8:
                best = digits
        else:
            if len(digits) >= 8 and best is None:
                best = digits[:8]
            digits = ""
    if best is None:
        return None
    year, month, day = int(best[:4]), int(best[4:6]), int(best[6:8])
    if year < 1990 or year > 2100:
        return None
    if month < 1 or month > 12 or day < 1 or day > 31:
        return None
    try:
        return datetime(year, month, day)
    except ValueError:
        return None
"""
US_EXIF_HEADER = "import struct\nfrom datetime import datetime\n"


def build_undocumented_script(repo: Builder) -> None:
    """Eight commits by one author, the last one eighteen months before 2025-01-01."""
    repo.commit("2022-11-20 22:14", GARY, "first version", {
        "README.md": US_README,
        "photosync.py": module(US_HEADER_V1, US_TARGET_DIR, US_SYNC_V1, US_MAIN_V1),
    })
    repo.commit("2022-12-03 23:40", GARY, "handle duplicates", {
        "photosync.py": module(US_HEADER_V2, US_TARGET_DIR, US_FILE_HASH, US_PICK_NAME_V1, US_SYNC_V1, US_MAIN_V1),
    })
    repo.commit("2023-01-14 21:05", GARY, "read exif dates", {
        "exifutil.py": module(US_EXIF_HEADER, US_EXIF_READ),
        "photosync.py": module(
            edit(US_HEADER_V2, "from datetime import datetime\n",
                 "from datetime import datetime\n\nfrom exifutil import read_exif_date\n"),
            US_TARGET_DIR, US_FILE_HASH, US_PICK_NAME_V1, US_SYNC_V2, US_MAIN_V2,
        ),
    })
    header_v2b = edit(US_HEADER_V2, "from datetime import datetime\n",
                      "from datetime import datetime\n\nfrom exifutil import read_exif_date\n")
    repo.commit("2023-02-02 23:58", GARY, "fix", {
        "photosync.py": module(header_v2b, US_TARGET_DIR, US_FILE_HASH, US_PICK_NAME, US_SYNC_V2, US_MAIN_V2),
    })
    repo.commit("2023-03-19 20:30", GARY, "dry run option", {
        "photosync.py": module(
            header_v2b, US_PARSE_ARGS_V1, US_TARGET_DIR, US_FILE_HASH, US_PICK_NAME, US_SYNC_V3, US_MAIN_V3
        ),
    })
    repo.commit("2023-04-30 22:47", GARY, "skip hidden files, dates from file names", {
        "exifutil.py": module(US_EXIF_HEADER, US_EXIF_READ, US_EXIF_NAME),
        "photosync.py": module(
            US_HEADER_V3, US_PARSE_ARGS_V1, US_TARGET_DIR, US_FILE_HASH, US_PICK_NAME,
            edit(US_SYNC_V3, "        for name in sorted(files):\n",
                 "        for d in list(dirs):\n            if d.startswith(HIDDEN):\n                dirs.remove(d)\n"
                 "        for name in sorted(files):\n            if name.startswith(HIDDEN):\n"
                 "                skipped += 1\n                continue\n"),
            US_MAIN_V3,
        ),
    }, executable=("photosync.py",))
    repo.commit("2023-06-11 23:15", GARY, "wip move mode", {
        "photosync.py": module(US_HEADER_V3, US_PARSE_ARGS, US_TARGET_DIR, US_FILE_HASH, US_PICK_NAME, US_SYNC,
                               US_MAIN_V3),
    })
    repo.commit("2023-07-01 21:20", GARY, "fix crash on empty dir", {
        "photosync.py": module(US_HEADER_V3, US_PARSE_ARGS, US_TARGET_DIR, US_FILE_HASH, US_PICK_NAME, US_SYNC,
                               US_MAIN),
    })


# ---------------------------------------------------------------------------
# team_project: partial docs, some tests, renames, merges, a bot, a .mailmap
# ---------------------------------------------------------------------------

ALICE = Person("Alice Martin", "alice@pipekit.dev", "+0100")
BOB = Person("Bob Chen", "bob.chen@example.com", "-0800")
CARLA = Person("Carla Souza", "carla@example.org", "-0300")
CARLA_OLD = Person("Carla S", "c.souza@oldjob.example", "-0300")
DMITRI = Person("Dmitri Volkov", "dmitri@example.net", "+0300")
EMEKA = Person("Emeka Obi", "emeka.obi@example.com", "+0100")
DEPENDABOT = Person("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
GITHUB = Person("GitHub", "noreply@github.com")

TP_MAILMAP = "Carla Souza <carla@example.org> Carla S <c.souza@oldjob.example>\n"

TP_GITIGNORE = "__pycache__/\n*.egg-info/\n.venv/\n.pytest_cache/\n"


def tp_pyproject(version: str, cli: bool) -> str:
    """The ``pyproject.toml`` of pipekit; ``cli`` adds the console script."""
    scripts = '\n[project.scripts]\npipekit = "pipekit.cli:main"\n' if cli else ""
    return f"""\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "pipekit"
version = "{version}"
description = "Small composable data pipelines."
readme = "README.md"
license = {{text = "Apache-2.0"}}
requires-python = ">=3.9"
{scripts}
[tool.setuptools]
packages = ["pipekit"]
"""


def tp_readme(cli: bool) -> str:
    """The README of pipekit; ``cli`` adds the command-line section."""
    text = """\
# pipekit

Small composable data pipelines: a `Pipeline` is a list of steps, each a
function from a record (a dict) to a record, or `None` to drop it.

```python
from pipekit import Pipeline
from pipekit.steps import require

pipeline = Pipeline().add("require", require("id"))
kept = list(pipeline.run([{"id": 1}, {"name": "no id"}]))
```

Install with `pip install -e .` and run the tests with `pytest`.
"""
    if cli:
        text += """
## Command line

```bash
pipekit [--skip-invalid] records.jsonl[.gz] id name
```

prints the records of a JSON-lines file that have non-empty `id` and `name` fields.
"""
    return text + "\nLicensed under the Apache License 2.0 (see LICENSE).\n"


def tp_ci(checkout: str, setup: str) -> str:
    """The CI workflow with the given action versions."""
    return f"""\
name: tests
on: [push, pull_request]
jobs:
  pytest:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@{checkout}
      - uses: actions/setup-python@{setup}
        with:
          python-version: "3.11"
      - run: pip install -r requirements-dev.txt -e .
      - run: pytest
"""


TP_DEPENDABOT = """\
version: 2
updates:
  - package-ecosystem: pip
    directory: /
    schedule:
      interval: monthly
  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: monthly
"""


def tp_bump(package: str, old: str, new: str, kind: str) -> str:
    """A dependabot commit message."""
    return (
        f"Bump {package} from {old} to {new}\n\n"
        f"Bumps {package} from {old} to {new}.\n\n---\nupdated-dependencies:\n"
        f"- dependency-name: {package}\n  dependency-type: direct:{kind}\n...\n\n"
        "Signed-off-by: dependabot[bot] <support@github.com>"
    )


def tp_init(version: str, with_retry: bool) -> str:
    """``pipekit/__init__.py``."""
    retry = "from pipekit.retry import retry\n" if with_retry else ""
    names = '"Pipeline", "Step", "retry"' if with_retry else '"Pipeline", "Step"'
    return (
        f'"""pipekit: small composable data pipelines."""\n\nfrom pipekit.pipeline import Pipeline, Step\n{retry}'
        f'\n__all__ = [{names}]\n__version__ = "{version}"\n'
    )


TP_PIPELINE_V1 = '''\
"""Pipelines: ordered steps applied to a stream of records."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Step:
    """One named transformation of records."""

    name: str
    func: object

    def __call__(self, record):
        return self.func(record)


@dataclass
class Pipeline:
    steps: list = field(default_factory=list)

    def add(self, name, func):
        """Append a step and return the pipeline, for chaining."""
        self.steps.append(Step(name, func))
        return self

    def run(self, records):
        for record in records:
            current = record
            for step in self.steps:
                current = step(current)
                if current is None:
                    break
            if current is not None:
                yield current
'''
TP_PIPELINE_V2 = '''\
"""Pipelines: ordered steps applied to a stream of records."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Step:
    """One named transformation of records."""

    name: str
    func: object

    def __call__(self, record):
        return self.func(record)


@dataclass
class Pipeline:
    """An ordered list of steps.

    A step that returns None drops the record; ``stats`` counts the records
    each step dropped.
    """

    steps: list = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    def add(self, name, func):
        """Append a step and return the pipeline, for chaining."""
        self.steps.append(Step(name, func))
        return self

    def run(self, records):
        """Apply every step to every record, lazily, and yield the records kept."""
        for record in records:
            result = self._apply(record)
            if result is not None:
                yield result

    def _apply(self, record):
        current = record
        for step in self.steps:
            current = step(current)
            if current is None:
                self.stats[step.name] = self.stats.get(step.name, 0) + 1
                return None
        return current

    def dropped(self):
        """Return the number of records dropped by all steps."""
        return sum(self.stats.values())
'''
TP_PIPELINE = edit(
    TP_PIPELINE_V2,
    '''        """Apply every step to every record, lazily, and yield the records kept."""
''',
    '''        """Apply every step to every record, lazily, and yield the records kept."""
        if not self.steps:
            yield from records
            return
''',
)

TP_UTILS_V1 = '''\
def chunked(iterable, size):
    """Yield lists of at most ``size`` items from ``iterable``."""
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def flatten(record):
    flat = {}
    for key, value in record.items():
        if isinstance(value, dict):
            for inner_key, inner_value in flatten(value).items():
                flat[key + "." + inner_key] = inner_value
        else:
            flat[key] = value
    return flat
'''
TP_SLUGIFY_V1 = '''
def slugify(text):
    """Lower-case ``text`` and replace runs of other characters than a-z and 0-9 with ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
'''
TP_SLUGIFY = '''
def slugify(text):
    """Lower-case ``text`` and replace runs of other characters than a-z and 0-9 with ``-``.

    Accents are removed first, so ``"Crème brûlée"`` becomes ``"creme-brulee"``.
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
'''
TP_PARSE_BOOL = '''
_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off", ""}


def parse_bool(value):
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"not a boolean: {value!r}")
'''
TP_DEDUPE = '''
def dedupe(records, key):
    """Yield the records whose ``key`` field was not seen before, keeping the first."""
    seen = set()
    for record in records:
        marker = record.get(key)
        if marker not in seen:
            seen.add(marker)
            yield record
'''
TP_UTILS_V2 = module("import re", TP_UTILS_V1, TP_SLUGIFY_V1)
TP_FLATTEN_SEP = ("def flatten(record):", "def flatten(record, sep=\".\"):")
TP_HELPERS_V3 = edit(
    edit(edit(TP_UTILS_V2, *TP_FLATTEN_SEP), "flatten(value).items()", "flatten(value, sep).items()"),
    'flat[key + "." + inner_key]', "flat[key + sep + inner_key]",
)
TP_HELPERS_V4 = module(TP_HELPERS_V3, TP_PARSE_BOOL)
TP_CHUNK_CHECK = (
    '''    """Yield lists of at most ``size`` items from ``iterable``."""
    chunk = []''',
    '''    """Yield lists of at most ``size`` items from ``iterable``.

    Raises:
        ValueError: ``size`` is not positive.
    """
    if size < 1:
        raise ValueError("size must be positive")
    chunk = []''',
)
TP_HELPERS_V5 = edit(TP_HELPERS_V4, *TP_CHUNK_CHECK)
TP_HELPERS_V6 = module(TP_HELPERS_V5, TP_DEDUPE)
TP_HELPERS = edit(edit(TP_HELPERS_V6, TP_SLUGIFY_V1.strip("\n"), TP_SLUGIFY.strip("\n")),
                  "import re\n", "import re\nimport unicodedata\n")

TP_STEPS_V1 = '''\
"""Ready-made steps for pipekit pipelines."""


def rename_field(old, new):
    """Return a step that renames the field ``old`` to ``new``."""

    def step(record):
        if old in record:
            record = dict(record)
            record[new] = record.pop(old)
        return record

    return step


def drop_empty(record):
    """Drop records whose values are all None or empty strings."""
    if any(value not in (None, "") for value in record.values()):
        return record
    return None
'''
TP_STEPS_V2 = TP_STEPS_V1 + '''

def require(*fields):
    """Return a step that drops the records missing any of ``fields``."""

    def check(record):
        for name in fields:
            if record.get(name) in (None, ""):
                return None
        return record

    return check


def cast(field, kind):
    """Return a step converting ``field`` with ``kind``; records that fail to convert are dropped."""

    def step(record):
        try:
            value = kind(record[field])
        except (KeyError, TypeError, ValueError):
            return None
        return {**record, field: value}

    return step
'''
TP_STEPS_V3 = edit(
    TP_STEPS_V2, '"""Ready-made steps for pipekit pipelines."""\n',
    '"""Ready-made steps for pipekit pipelines."""\n\nfrom pipekit.helpers import flatten\n',
) + '''

def flatten_record(record):
    return flatten(record)
'''
TP_STEPS = edit(
    TP_STEPS_V3, "from pipekit.helpers import flatten\n", "from pipekit.helpers import chunked, flatten\n"
) + '''

def batch(records, size):
    """Group records into lists of ``size`` records (the last one may be shorter)."""
    return chunked(records, size)
'''

TP_RETRY = '''\
"""Retrying flaky steps."""

from __future__ import annotations

import functools
import time


def retry(times=3, delay=0.1, exceptions=(Exception,), max_delay=5.0):
    """Retry the decorated function up to ``times`` times.

    The delay doubles after each failure, up to ``max_delay`` seconds.

    Args:
        times: Total number of attempts, at least 1.
        delay: Seconds to wait after the first failure.
        exceptions: Exception types that trigger a retry; others propagate at once.
        max_delay: Upper bound of the wait between two attempts.
    """

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            wait = delay
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == times:
                        raise
                    time.sleep(wait)
                    wait = min(wait * 2, max_delay)
            return None

        return wrapper

    return decorator
'''
TP_RETRY_V2 = edit(
    edit(edit(TP_RETRY, "exceptions=(Exception,), max_delay=5.0)", "exceptions=(Exception,))"),
         "    The delay doubles after each failure, up to ``max_delay`` seconds.\n",
         "    The delay doubles after each failure.\n"),
    "        max_delay: Upper bound of the wait between two attempts.\n", "",
)
TP_RETRY_V2 = edit(TP_RETRY_V2, "wait = min(wait * 2, max_delay)", "wait *= 2")
TP_RETRY_V1 = edit(
    edit(edit(TP_RETRY_V2, "delay=0.1, exceptions=(Exception,))", "delay=0.1)"),
         "        exceptions: Exception types that trigger a retry; others propagate at once.\n", ""),
    "except exceptions:", "except Exception:",
)

TP_TEST_RETRY_V1 = '''\
import pytest

from pipekit.retry import retry


def test_retry_returns_the_first_success(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    calls = []

    @retry(times=3)
    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise OSError("try again")
        return "ok"

    assert flaky() == "ok"
    assert len(calls) == 3


def test_retry_gives_up(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)

    @retry(times=2)
    def broken():
        raise OSError("down")

    with pytest.raises(OSError):
        broken()
'''
TP_TEST_RETRY_V2 = TP_TEST_RETRY_V1 + '''

def test_retry_lets_other_exceptions_through(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    calls = []

    @retry(times=3, exceptions=(OSError,))
    def wrong():
        calls.append(1)
        raise KeyError("no")

    with pytest.raises(KeyError):
        wrong()
    assert len(calls) == 1
'''
TP_TEST_RETRY = TP_TEST_RETRY_V2 + '''

def test_retry_caps_the_delay(monkeypatch):
    waits = []
    monkeypatch.setattr("time.sleep", waits.append)

    @retry(times=5, delay=1.0, max_delay=3.0)
    def broken():
        raise OSError("down")

    with pytest.raises(OSError):
        broken()
    assert waits == [1.0, 2.0, 3.0, 3.0]
'''

TP_TEST_PIPELINE_V1 = '''\
from pipekit.pipeline import Pipeline


def test_empty_pipeline_passes_records_through():
    assert list(Pipeline().run([{"a": 1}])) == [{"a": 1}]


def test_steps_run_in_order():
    pipeline = Pipeline().add("double", lambda r: {"n": r["n"] * 2}).add("inc", lambda r: {"n": r["n"] + 1})
    assert list(pipeline.run([{"n": 1}, {"n": 5}])) == [{"n": 3}, {"n": 11}]


def test_a_step_returning_none_drops_the_record():
    pipeline = Pipeline().add("odd", lambda r: r if r["n"] % 2 else None)
    assert list(pipeline.run([{"n": n} for n in range(5)])) == [{"n": 1}, {"n": 3}]
'''
TP_TEST_PIPELINE = TP_TEST_PIPELINE_V1 + '''

def test_dropped_records_are_counted_per_step():
    pipeline = Pipeline().add("odd", lambda r: r if r["n"] % 2 else None)
    list(pipeline.run([{"n": n} for n in range(5)]))
    assert pipeline.stats == {"odd": 3}
    assert pipeline.dropped() == 3
'''

TP_TEST_UTILS = '''\
from pipekit.utils import chunked, flatten


def test_chunked():
    assert list(chunked(range(5), 2)) == [[0, 1], [2, 3], [4]]


def test_flatten():
    assert flatten({"a": {"b": 1, "c": {"d": 2}}, "e": 3}) == {"a.b": 1, "a.c.d": 2, "e": 3}
'''
TP_TEST_HELPERS_V1 = edit(TP_TEST_UTILS, "from pipekit.utils import", "from pipekit.helpers import")
TP_TEST_HELPERS_V2 = edit(TP_TEST_HELPERS_V1, "import chunked, flatten", "import chunked, flatten, parse_bool") + '''

def test_parse_bool():
    assert [parse_bool(v) for v in ("yes", "0", " True ", False)] == [True, False, True, False]
'''
TP_TEST_HELPERS_V3 = "import pytest\n\n" + TP_TEST_HELPERS_V2 + '''

def test_chunked_rejects_a_zero_size():
    with pytest.raises(ValueError):
        list(chunked([1], 0))
'''
TP_TEST_HELPERS_V4 = edit(TP_TEST_HELPERS_V3, "import chunked, flatten, parse_bool",
                          "import chunked, dedupe, flatten, parse_bool") + '''

def test_dedupe_keeps_the_first_record():
    records = [{"id": 1, "v": "a"}, {"id": 2}, {"id": 1, "v": "b"}]
    assert list(dedupe(records, "id")) == [{"id": 1, "v": "a"}, {"id": 2}]
'''
TP_TEST_HELPERS = edit(TP_TEST_HELPERS_V4, "import chunked, dedupe, flatten, parse_bool",
                       "import chunked, dedupe, flatten, parse_bool, slugify") + '''

def test_slugify_removes_accents():
    assert slugify("Crème Brûlée, 2 parts") == "creme-brulee-2-parts"
'''

TP_RUN_PIPELINE = '''\
"""Run a pipeline over a JSON-lines file and print the kept records."""

import json
import sys

from pipekit.pipeline import Pipeline
from pipekit.steps import drop_empty, require


def build_pipeline(required):
    pipeline = Pipeline()
    pipeline.add("drop_empty", drop_empty)
    if required:
        pipeline.add("require", require(*required))
    return pipeline


def read_records(stream):
    for line in stream:
        line = line.strip()
        if line:
            yield json.loads(line)


def main(argv=None):
    """Entry point: ``run_pipeline FILE [FIELD...]``."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: run_pipeline FILE [FIELD...]", file=sys.stderr)
        return 2
    pipeline = build_pipeline(argv[1:])
    with open(argv[0], encoding="utf-8") as stream:
        for record in pipeline.run(read_records(stream)):
            print(json.dumps(record, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''
TP_CLI_V2 = edit(
    edit(
        TP_RUN_PIPELINE,
        '''def read_records(stream):
    for line in stream:
        line = line.strip()
        if line:
            yield json.loads(line)
''',
        '''def read_records(stream, skip_invalid=False):
    """Yield the JSON records of ``stream``, one per non-blank line."""
    for line in stream:
        line = line.strip()
        if not line:
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError:
            if not skip_invalid:
                raise
''',
    ),
    '''    """Entry point: ``run_pipeline FILE [FIELD...]``."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: run_pipeline FILE [FIELD...]", file=sys.stderr)
        return 2
    pipeline = build_pipeline(argv[1:])
    with open(argv[0], encoding="utf-8") as stream:
        for record in pipeline.run(read_records(stream)):''',
    '''    """Entry point: ``pipekit [--skip-invalid] FILE [FIELD...]``."""
    argv = sys.argv[1:] if argv is None else list(argv)
    skip_invalid = "--skip-invalid" in argv
    if skip_invalid:
        argv.remove("--skip-invalid")
    if not argv:
        print("usage: pipekit [--skip-invalid] FILE [FIELD...]", file=sys.stderr)
        return 2
    pipeline = build_pipeline(argv[1:])
    with open(argv[0], encoding="utf-8") as stream:
        for record in pipeline.run(read_records(stream, skip_invalid)):''',
)
TP_CLI_V2 = edit(TP_CLI_V2, '"""Run a pipeline over', '"""Command line: run a pipeline over')
TP_CLI = edit(
    edit(edit(TP_CLI_V2, "import json\n", "import gzip\nimport json\n"),
         '    with open(argv[0], encoding="utf-8") as stream:', "    with open_input(argv[0]) as stream:"),
    "\n\ndef main(argv=None):",
    '''

def open_input(path):
    if path.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def main(argv=None):''',
)

TP_GUIDE_BODY = """
pipekit runs records (plain dicts) through a list of steps. A step is any
function that takes a record and returns a record, or None to drop it.

Building a pipeline
-------------------

    from pipekit import Pipeline
    from pipekit.steps import drop_empty, rename_field

    pipeline = Pipeline()
    pipeline.add("drop_empty", drop_empty)
    pipeline.add("rename", rename_field("mail", "email"))

Running it
----------

Pipeline.run takes any iterable of records and yields the records kept. It
is lazy: nothing happens until you iterate over the result.

    for record in pipeline.run(records):
        print(record)
"""
TP_GUIDE_TXT = "pipekit user guide\n==================\n" + TP_GUIDE_BODY
TP_GUIDE_MD_V1 = "# pipekit user guide\n" + TP_GUIDE_BODY
TP_GUIDE_MD = TP_GUIDE_MD_V1 + """
Inspecting drops
----------------

After a run, `pipeline.stats` maps each step name to the number of records it
dropped, and `pipeline.dropped()` gives the total.

Retrying
--------

Steps that call flaky services can be wrapped with `pipekit.retry`:

    @retry(times=5, delay=0.5)
    def enrich(record):
        ...
"""

TP_EXPORT_HELPER = '''\
"""Export pipeline output as CSV (kept from the old repository)."""

import csv
import json
import sys


def export(lines, out):
    rows = [json.loads(line) for line in lines if line.strip()]
    fields = sorted({key for row in rows for key in row})
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    export(sys.stdin, sys.stdout)
'''
TP_DONNEES = '''\
"""Sample records (« données ») for the guide's examples."""

RECORDS = [
    {"nom": "Zoë", "ville": "Besançon", "âge": "34"},
    {"nom": "Ørjan", "ville": "Tromsø", "âge": ""},
]


def exemples():
    return [dict(record) for record in RECORDS]
'''
TP_LEGACY_REPORT = '''\
# Old report script from the Python 2 days, kept for reference.
import sys


def report(path):
    total = 0
    for line in open(path):
        total += 1
    print "records:", total


if __name__ == "__main__":
    report(sys.argv[1])
'''
TP_LATIN1_LABELS = '''\
# -*- coding: latin-1 -*-
"""Column labels for the French export (this file is saved as Latin-1)."""

LABELS = {
    "name": "Nom complet",
    "city": "Ville de résidence",
    "age": "Âge",
    "created": "Créé le",
}


def label(field):
    """Return the French label of ``field``, or the field name itself."""
    return LABELS.get(field, field)
'''


def build_team_project(repo: Builder) -> None:
    """Forty commits by five people and a bot: renames, two merges, a .mailmap, two tags."""
    repo.commit("2023-05-02 09:14", ALICE, "Initial commit", {
        ".gitignore": TP_GITIGNORE, "LICENSE": APACHE_LICENSE, "README.md": tp_readme(False),
        "pyproject.toml": tp_pyproject("0.1.0.dev0", False), "pipekit/__init__.py": tp_init("0.1.0.dev0", False),
        "pipekit/pipeline.py": TP_PIPELINE_V1,
    })
    repo.commit("2023-05-04 16:30", ALICE, "Add utils module with chunked and flatten", {
        "pipekit/utils.py": TP_UTILS_V1,
    })
    repo.commit("2023-05-09 10:02", BOB, "Add tests for Pipeline", {"tests/test_pipeline.py": TP_TEST_PIPELINE_V1})
    repo.commit("2023-05-15 14:47", CARLA_OLD, "Add steps module", {"pipekit/steps.py": TP_STEPS_V1})
    repo.commit("2023-05-22 11:20", BOB, "Add CI workflow and dependabot config", {
        ".github/workflows/ci.yml": tp_ci("v3", "v4"), ".github/dependabot.yml": TP_DEPENDABOT,
        "requirements-dev.txt": "pytest==7.3.1\n",
    })
    repo.commit("2023-06-01 17:55", ALICE, "Add a user guide", {"docs/guide.txt": TP_GUIDE_TXT})
    repo.commit("2023-06-12 19:10", CARLA_OLD, "Add require and cast steps", {"pipekit/steps.py": TP_STEPS_V2})
    repo.commit("2023-06-20 13:33", DMITRI, "Add tests for utils", {"tests/test_utils.py": TP_TEST_UTILS})
    repo.commit("2023-07-03 10:45", ALICE, "Add run_pipeline script", {"scripts/run_pipeline.py": TP_RUN_PIPELINE})
    repo.commit("2023-07-18 09:05", BOB, "Count dropped records per step", {
        "pipekit/pipeline.py": TP_PIPELINE_V2, "tests/test_pipeline.py": TP_TEST_PIPELINE,
    })
    repo.commit("2023-08-01 15:00", ALICE, "Prepare 0.1.0", {
        "pyproject.toml": tp_pyproject("0.1.0", False), "pipekit/__init__.py": tp_init("0.1.0", False),
    })
    repo.tag("v0.1.0", "2023-08-01 15:00", ALICE)
    repo.commit("2023-08-21 18:40", EMEKA, "Add slugify to utils", {"pipekit/utils.py": TP_UTILS_V2})
    repo.commit("2023-09-05 06:12", DEPENDABOT, tp_bump("pytest", "7.3.1", "7.4.0", "development"), {
        "requirements-dev.txt": "pytest==7.4.0\n",
    }, committer=GITHUB)
    repo.commit("2023-09-18 11:25", ALICE, "Rename utils to helpers", {
        "tests/test_helpers.py": TP_TEST_HELPERS_V1,
    }, renames={"pipekit/utils.py": "pipekit/helpers.py", "tests/test_utils.py": "tests/test_helpers.py"})
    repo.commit("2023-10-02 20:18", CARLA, "Add a separator to helpers.flatten and a flatten step", {
        "pipekit/helpers.py": TP_HELPERS_V3, "pipekit/steps.py": TP_STEPS_V3,
    })
    repo.commit("2023-10-16 12:07", EMEKA, "Add parse_bool helper", {
        "pipekit/helpers.py": TP_HELPERS_V4, "tests/test_helpers.py": TP_TEST_HELPERS_V2,
    })
    repo.commit("2023-10-30 06:30", DEPENDABOT, tp_bump("actions/checkout", "3", "4", "production"), {
        ".github/workflows/ci.yml": tp_ci("v4", "v4"),
    }, committer=GITHUB)
    repo.branch("feature/retry")
    repo.commit("2023-11-06 21:40", DMITRI, "Add a retry decorator", {"pipekit/retry.py": TP_RETRY_V1})
    repo.commit("2023-11-08 22:15", DMITRI, "Test retry", {"tests/test_retry.py": TP_TEST_RETRY_V1})
    repo.switch("main")
    repo.commit("2023-11-07 10:30", ALICE, "Convert the guide to Markdown", {
        "docs/guide.md": TP_GUIDE_MD_V1,
    }, renames={"docs/guide.txt": "docs/guide.md"})
    repo.merge("feature/retry", "2023-11-13 09:50", ALICE,
               "Merge pull request #14 from dvolkov/feature-retry\n\nAdd a retry decorator", committer=GITHUB)
    repo.commit("2023-11-20 19:02", DMITRI, "Export retry from the package", {
        "pipekit/__init__.py": tp_init("0.1.0", True),
    })
    repo.commit("2023-12-04 08:45", BOB, "Document drop statistics and retry in the guide", {
        "docs/guide.md": TP_GUIDE_MD,
    })
    repo.commit("2024-01-08 13:30", EMEKA, "Make chunked reject sizes below one", {
        "pipekit/helpers.py": TP_HELPERS_V5, "tests/test_helpers.py": TP_TEST_HELPERS_V3,
    })
    repo.commit("2024-01-22 17:12", CARLA, "Move run_pipeline into the package as pipekit.cli", {
        "pyproject.toml": tp_pyproject("0.1.0", True),
    }, renames={"scripts/run_pipeline.py": "pipekit/cli.py"})
    repo.branch("feature/cli-options")
    repo.commit("2024-02-05 18:20", CARLA, "Add --skip-invalid to the command line", {"pipekit/cli.py": TP_CLI_V2})
    repo.commit("2024-02-09 21:48", CARLA_OLD, "Read gzip-compressed input", {"pipekit/cli.py": TP_CLI})
    repo.switch("main")
    repo.commit("2024-02-07 10:10", BOB, "Add contrib scripts from the old repository", {
        "contrib/export helper.py": TP_EXPORT_HELPER, "contrib/données.py": TP_DONNEES,
        "contrib/legacy_report.py": TP_LEGACY_REPORT, "contrib/latin1_labels.py": TP_LATIN1_LABELS.encode("latin-1"),
    })
    repo.merge("feature/cli-options", "2024-02-14 11:00", BOB, "Merge branch 'feature/cli-options'")
    repo.commit("2024-03-04 09:30", ALICE, "Add a .mailmap for Carla's old address", {".mailmap": TP_MAILMAP})
    repo.commit("2024-03-11 14:00", ALICE, "Release 0.2.0", {
        "pyproject.toml": tp_pyproject("0.2.0", True), "pipekit/__init__.py": tp_init("0.2.0", True),
    })
    repo.tag("v0.2.0", "2024-03-11 14:05", ALICE, "pipekit 0.2.0")
    repo.commit("2024-04-08 06:20", DEPENDABOT, tp_bump("actions/setup-python", "4", "5", "production"), {
        ".github/workflows/ci.yml": tp_ci("v4", "v5"),
    }, committer=GITHUB)
    repo.commit("2024-04-29 20:35", DMITRI, "Retry only on the given exception types", {
        "pipekit/retry.py": TP_RETRY_V2, "tests/test_retry.py": TP_TEST_RETRY_V2,
    })
    repo.commit("2024-05-20 15:15", EMEKA, "Add helpers.dedupe", {
        "pipekit/helpers.py": TP_HELPERS_V6, "tests/test_helpers.py": TP_TEST_HELPERS_V4,
    })
    repo.commit("2024-06-17 10:40", BOB, "Skip the step loop for empty pipelines", {"pipekit/pipeline.py": TP_PIPELINE})
    repo.commit("2024-07-15 06:05", DEPENDABOT, tp_bump("pytest", "7.4.0", "8.2.2", "development"), {
        "requirements-dev.txt": "pytest==8.2.2\n",
    }, committer=GITHUB)
    repo.commit("2024-08-05 19:25", CARLA, "Add the batch step", {"pipekit/steps.py": TP_STEPS})
    repo.commit("2024-09-02 11:50", ALICE, "Document the command line in the README", {"README.md": tp_readme(True)})
    repo.commit("2024-09-23 22:10", DMITRI, "Cap the retry delay", {
        "pipekit/retry.py": TP_RETRY, "tests/test_retry.py": TP_TEST_RETRY,
    })
    repo.commit("2024-10-21 12:30", EMEKA, "Remove accents in slugify", {
        "pipekit/helpers.py": TP_HELPERS, "tests/test_helpers.py": TP_TEST_HELPERS,
    })


SAMPLES: dict[str, Callable[[Builder], None]] = {
    "well_kept": build_well_kept,
    "undocumented_script": build_undocumented_script,
    "team_project": build_team_project,
}


def export(name: str, workdir: Path) -> bytes:
    """Build the sample ``name`` in a new folder under ``workdir`` and return its fast-export stream.

    Args:
        name: A key of :data:`SAMPLES`.
        workdir: An existing folder; ``workdir/name`` must not exist yet.

    Returns:
        The stream, as written to ``sample_repos/NAME.fi``.
    """
    repo = Builder(workdir / name)
    SAMPLES[name](repo)
    return git(repo.root, *EXPORT_ARGS)


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check`` compare) the streams; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"samples to build: {', '.join(SAMPLES)}")
    parser.add_argument("--check", action="store_true", help="fail if a stream differs from a fresh build")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(SAMPLES))
    if unknown:
        parser.error(f"unknown sample(s): {', '.join(unknown)}")
    stale = []
    with tempfile.TemporaryDirectory(prefix="oshealth-samples-") as tmp:
        for name in args.names or list(SAMPLES):
            stream = export(name, Path(tmp))
            target = HERE / f"{name}.fi"
            if args.check:
                if not target.is_file() or target.read_bytes() != stream:
                    stale.append(name)
            else:
                target.write_bytes(stream)
    for name in stale:
        print(f"{name}.fi is out of date: run python sample_repos/build.py {name}", file=sys.stderr)
    return 1 if stale else 0


APACHE_LICENSE = """\
                                 Apache License
                           Version 2.0, January 2004
                        http://www.apache.org/licenses/

   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION

   1. Definitions.

      "License" shall mean the terms and conditions for use, reproduction,
      and distribution as defined by Sections 1 through 9 of this document.

      "Licensor" shall mean the copyright owner or entity authorized by
      the copyright owner that is granting the License.

      "Legal Entity" shall mean the union of the acting entity and all
      other entities that control, are controlled by, or are under common
      control with that entity. For the purposes of this definition,
      "control" means (i) the power, direct or indirect, to cause the
      direction or management of such entity, whether by contract or
      otherwise, or (ii) ownership of fifty percent (50%) or more of the
      outstanding shares, or (iii) beneficial ownership of such entity.

      "You" (or "Your") shall mean an individual or Legal Entity
      exercising permissions granted by this License.

      "Source" form shall mean the preferred form for making modifications,
      including but not limited to software source code, documentation
      source, and configuration files.

      "Object" form shall mean any form resulting from mechanical
      transformation or translation of a Source form, including but
      not limited to compiled object code, generated documentation,
      and conversions to other media types.

      "Work" shall mean the work of authorship, whether in Source or
      Object form, made available under the License, as indicated by a
      copyright notice that is included in or attached to the work
      (an example is provided in the Appendix below).

      "Derivative Works" shall mean any work, whether in Source or Object
      form, that is based on (or derived from) the Work and for which the
      editorial revisions, annotations, elaborations, or other modifications
      represent, as a whole, an original work of authorship. For the purposes
      of this License, Derivative Works shall not include works that remain
      separable from, or merely link (or bind by name) to the interfaces of,
      the Work and Derivative Works thereof.

      "Contribution" shall mean any work of authorship, including
      the original version of the Work and any modifications or additions
      to that Work or Derivative Works thereof, that is intentionally
      submitted to Licensor for inclusion in the Work by the copyright owner
      or by an individual or Legal Entity authorized to submit on behalf of
      the copyright owner. For the purposes of this definition, "submitted"
      means any form of electronic, verbal, or written communication sent
      to the Licensor or its representatives, including but not limited to
      communication on electronic mailing lists, source code control systems,
      and issue tracking systems that are managed by, or on behalf of, the
      Licensor for the purpose of discussing and improving the Work, but
      excluding communication that is conspicuously marked or otherwise
      designated in writing by the copyright owner as "Not a Contribution."

      "Contributor" shall mean Licensor and any individual or Legal Entity
      on behalf of whom a Contribution has been received by Licensor and
      subsequently incorporated within the Work.

   2. Grant of Copyright License. Subject to the terms and conditions of
      this License, each Contributor hereby grants to You a perpetual,
      worldwide, non-exclusive, no-charge, royalty-free, irrevocable
      copyright license to reproduce, prepare Derivative Works of,
      publicly display, publicly perform, sublicense, and distribute the
      Work and such Derivative Works in Source or Object form.

   3. Grant of Patent License. Subject to the terms and conditions of
      this License, each Contributor hereby grants to You a perpetual,
      worldwide, non-exclusive, no-charge, royalty-free, irrevocable
      (except as stated in this section) patent license to make, have made,
      use, offer to sell, sell, import, and otherwise transfer the Work,
      where such license applies only to those patent claims licensable
      by such Contributor that are necessarily infringed by their
      Contribution(s) alone or by combination of their Contribution(s)
      with the Work to which such Contribution(s) was submitted. If You
      institute patent litigation against any entity (including a
      cross-claim or counterclaim in a lawsuit) alleging that the Work
      or a Contribution incorporated within the Work constitutes direct
      or contributory patent infringement, then any patent licenses
      granted to You under this License for that Work shall terminate
      as of the date such litigation is filed.

   4. Redistribution. You may reproduce and distribute copies of the
      Work or Derivative Works thereof in any medium, with or without
      modifications, and in Source or Object form, provided that You
      meet the following conditions:

      (a) You must give any other recipients of the Work or
          Derivative Works a copy of this License; and

      (b) You must cause any modified files to carry prominent notices
          stating that You changed the files; and

      (c) You must retain, in the Source form of any Derivative Works
          that You distribute, all copyright, patent, trademark, and
          attribution notices from the Source form of the Work,
          excluding those notices that do not pertain to any part of
          the Derivative Works; and

      (d) If the Work includes a "NOTICE" text file as part of its
          distribution, then any Derivative Works that You distribute must
          include a readable copy of the attribution notices contained
          within such NOTICE file, excluding those notices that do not
          pertain to any part of the Derivative Works, in at least one
          of the following places: within a NOTICE text file distributed
          as part of the Derivative Works; within the Source form or
          documentation, if provided along with the Derivative Works; or,
          within a display generated by the Derivative Works, if and
          wherever such third-party notices normally appear. The contents
          of the NOTICE file are for informational purposes only and
          do not modify the License. You may add Your own attribution
          notices within Derivative Works that You distribute, alongside
          or as an addendum to the NOTICE text from the Work, provided
          that such additional attribution notices cannot be construed
          as modifying the License.

      You may add Your own copyright statement to Your modifications and
      may provide additional or different license terms and conditions
      for use, reproduction, or distribution of Your modifications, or
      for any such Derivative Works as a whole, provided Your use,
      reproduction, and distribution of the Work otherwise complies with
      the conditions stated in this License.

   5. Submission of Contributions. Unless You explicitly state otherwise,
      any Contribution intentionally submitted for inclusion in the Work
      by You to the Licensor shall be under the terms and conditions of
      this License, without any additional terms or conditions.
      Notwithstanding the above, nothing herein shall supersede or modify
      the terms of any separate license agreement you may have executed
      with Licensor regarding such Contributions.

   6. Trademarks. This License does not grant permission to use the trade
      names, trademarks, service marks, or product names of the Licensor,
      except as required for reasonable and customary use in describing the
      origin of the Work and reproducing the content of the NOTICE file.

   7. Disclaimer of Warranty. Unless required by applicable law or
      agreed to in writing, Licensor provides the Work (and each
      Contributor provides its Contributions) on an "AS IS" BASIS,
      WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or
      implied, including, without limitation, any warranties or conditions
      of TITLE, NON-INFRINGEMENT, MERCHANTABILITY, or FITNESS FOR A
      PARTICULAR PURPOSE. You are solely responsible for determining the
      appropriateness of using or redistributing the Work and assume any
      risks associated with Your exercise of permissions under this License.

   8. Limitation of Liability. In no event and under no legal theory,
      whether in tort (including negligence), contract, or otherwise,
      unless required by applicable law (such as deliberate and grossly
      negligent acts) or agreed to in writing, shall any Contributor be
      liable to You for damages, including any direct, indirect, special,
      incidental, or consequential damages of any character arising as a
      result of this License or out of the use or inability to use the
      Work (including but not limited to damages for loss of goodwill,
      work stoppage, computer failure or malfunction, or any and all
      other commercial damages or losses), even if such Contributor
      has been advised of the possibility of such damages.

   9. Accepting Warranty or Additional Liability. While redistributing
      the Work or Derivative Works thereof, You may choose to offer,
      and charge a fee for, acceptance of support, warranty, indemnity,
      or other liability obligations and/or rights consistent with this
      License. However, in accepting such obligations, You may act only
      on Your own behalf and on Your sole responsibility, not on behalf
      of any other Contributor, and only if You agree to indemnify,
      defend, and hold each Contributor harmless for any liability
      incurred by, or claims asserted against, such Contributor by reason
      of your accepting any such warranty or additional liability.

   END OF TERMS AND CONDITIONS

   APPENDIX: How to apply the Apache License to your work.

      To apply the Apache License to your work, attach the following
      boilerplate notice, with the fields enclosed by brackets "[]"
      replaced with your own identifying information. (Don't include
      the brackets!)  The text should be enclosed in the appropriate
      comment syntax for the file format. We also recommend that a
      file or class name and description of purpose be included on the
      same "printed page" as the copyright notice for easier
      identification within third-party archives.

   Copyright [yyyy] [name of copyright owner]

   Licensed under the Apache License, Version 2.0 (the "License");
   you may not use this file except in compliance with the License.
   You may obtain a copy of the License at

       http://www.apache.org/licenses/LICENSE-2.0

   Unless required by applicable law or agreed to in writing, software
   distributed under the License is distributed on an "AS IS" BASIS,
   WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
   See the License for the specific language governing permissions and
   limitations under the License.
"""


if __name__ == "__main__":
    sys.exit(main())
