"""Golden files: rendered reports compared with ``tests/golden/``, after scrubbing.

What changes between machines and releases is scrubbed before comparing:
oshealth's version, timestamps, commit ids and the absolute path of the
audited repository. Everything else must match byte for byte.

To accept new output (after a deliberate change to a renderer, a check's
numbers or its documentation), regenerate and review the diff::

    OSHEALTH_REGOLD=1 python -m pytest tests/test_reports_golden.py
    git diff tests/golden
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from oshealth import __version__
from oshealth.cli import run
from tests.gitrepo import BASE_TIME, DAY, GIT_ENV, git, load_sample

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
#: Set to a non-empty value to rewrite the golden files instead of comparing.
REGOLD_ENV = "OSHEALTH_REGOLD"
SAMPLES = ("well_kept", "undocumented_script", "team_project")
#: Every format ``--output-dir`` writes, with its file name.
ALL_FORMATS = {
    "terminal": "report.txt",
    "json": "report.json",
    "markdown": "report.md",
    "sarif": "report.sarif",
    "badge": "badge.svg",
    "shields": "shields.json",
}
_TIMESTAMP = re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)")
_COMMIT = re.compile(r"\b[0-9a-f]{40}\b")


def scrub(text: str, *, root: Path | None = None, commits: Iterable[str] = ()) -> str:
    """Replace what varies between runs with placeholders.

    Args:
        text: A rendered report.
        root: The audited repository's absolute path: becomes ``<ROOT>``.
        commits: Commit ids to replace, in full (``<COMMIT>``) and as the
            12-character short form reports show (``<SHORT-COMMIT>``); any
            other 40-hex id is replaced too.

    Returns:
        The scrubbed text.
    """
    if root is not None:
        for form in sorted({str(root), root.as_posix()}, key=len, reverse=True):
            text = text.replace(form, "<ROOT>")
    for commit in commits:
        text = text.replace(commit, "<COMMIT>").replace(commit[:12], "<SHORT-COMMIT>")
    text = _COMMIT.sub("<COMMIT>", text)
    text = _TIMESTAMP.sub("<DATE>", text)
    version = re.escape(__version__)
    # only where the text names oshealth's version: sample repositories have version numbers of their own
    text = re.sub(rf"\b(oshealth ){version}\b", r"\1<VERSION>", text)
    text = re.sub(rf'("(?:version|semanticVersion)": "){version}"', r'\1<VERSION>"', text)
    return text


def check_golden(name: str, actual: str) -> None:
    """Compare ``actual`` (already scrubbed) with ``tests/golden/NAME``; rewrite it under ``OSHEALTH_REGOLD``."""
    path = GOLDEN_DIR / name
    if os.environ.get(REGOLD_ENV):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    if not path.exists():
        pytest.fail(f"no golden file {path}: create it with {REGOLD_ENV}=1 and review it")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            fromfile=f"golden/{name}", tofile="actual", n=2,
        ))
        pytest.fail(f"{name} differs from its golden file (if intended: {REGOLD_ENV}=1, then review):\n{diff[:6000]}")


@dataclass(frozen=True)
class SampleRun:
    """One sample repository audited by the CLI into every format.

    Attributes:
        root: The rebuilt repository.
        head: Its HEAD commit id.
        outputs: Each format's output, by format name, as written.
    """

    root: Path
    head: str
    outputs: dict[str, str]

    def scrubbed(self, fmt: str) -> str:
        """The output of ``fmt`` with the run's path, commit, version and dates scrubbed."""
        return scrub(self.outputs[fmt], root=self.root, commits=[self.head])


_RUNS: dict[str, SampleRun] = {}


def sample_run(name: str, factory: pytest.TempPathFactory) -> SampleRun:
    """Audit sample ``name`` once per test process with ``oshealth audit -f ... --output-dir``."""
    if name not in _RUNS:
        with pytest.MonkeyPatch.context() as patch:
            for key, value in GIT_ENV.items():
                patch.setenv(key, value)
            patch.setenv("SOURCE_DATE_EPOCH", str(BASE_TIME + 365 * DAY))
            base = factory.mktemp(f"sample-{name}")
            root = load_sample(name, base / name)
            out = base / "reports"
            out.mkdir()
            args = [arg for fmt in ALL_FORMATS for arg in ("-f", fmt)]
            code = run(["audit", str(root), *args, "--output-dir", str(out)])
            assert code == 0, f"audit of {name} exited {code}"
            outputs = {fmt: (out / filename).read_text(encoding="utf-8") for fmt, filename in ALL_FORMATS.items()}
            head = git(root, "rev-parse", "HEAD").strip()
        _RUNS[name] = SampleRun(root, head, outputs)
    return _RUNS[name]
