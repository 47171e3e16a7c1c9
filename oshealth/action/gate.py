"""The oshealth command each mode runs, the history it needs, and the reports it leaves.

The gate runs as a subprocess of the same Python (``python -m oshealth``):
the action then reads the reports the command wrote, like any user of the
command line would, and the command's exit code is the gate's verdict
(0 passed, 1 failed, 2 bad input, 3 internal error).

GitHub's ``actions/checkout`` fetches one commit by default. The pull-request
gate needs both ends of the change and their merge base, and the audit's and
release gate's history checks need the whole history and its tags; when the
clone lacks them the action says which ``fetch-depth`` to set instead of
letting a command fail on a missing commit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oshealth.action.settings import Mode
from oshealth.errors import GitError, OshealthError
from oshealth.git import GitRepository

#: How the gate is started: this Python, running oshealth's command line.
DEFAULT_COMMAND: tuple[str, ...] = (sys.executable, "-m", "oshealth")
#: The file-name stem of each mode's reports (``diff.json``, ``report.md``...).
REPORT_STEMS = {Mode.PR: "diff", Mode.AUDIT: "report", Mode.RELEASE: "release"}
_SUFFIXES = {"json": ".json", "markdown": ".md", "sarif": ".sarif", "terminal": ".txt"}
#: The formats each mode writes (the release gate has no SARIF).
FORMATS = {
    Mode.PR: ("terminal", "json", "markdown", "sarif"),
    Mode.AUDIT: ("terminal", "json", "markdown", "sarif"),
    Mode.RELEASE: ("terminal", "json", "markdown"),
}


@dataclass(frozen=True)
class GateRequest:
    """One run of a gate.

    Attributes:
        mode: ``pr``, ``audit`` or ``release``.
        report_dir: The folder the reports are written into.
        base: ``pr``: the base commit.
        head: ``pr``: the head commit.
        labels: ``pr``: the pull request's labels (for the changelog rule's skip label).
        fail_under: ``audit``: the score gate.
        since: ``release``: the tag to compare from.
        version: ``release``: the version being released.
    """

    mode: Mode
    report_dir: Path
    base: str = ""
    head: str = ""
    labels: tuple[str, ...] = ()
    fail_under: float | None = None
    since: str = ""
    version: str = ""


@dataclass(frozen=True)
class GateResult:
    """What a gate run left behind.

    Attributes:
        exit_code: The command's exit code.
        stdout: Its standard output.
        stderr: Its standard error.
        reports: Each format's report file that exists (``json``, ``markdown``, ``sarif``, ``terminal``).
        data: The JSON report, or an empty dict when there is none.
    """

    exit_code: int
    stdout: str
    stderr: str
    reports: Mapping[str, Path] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool | None:
        """The gate's verdict from the JSON report (``ready`` for a release), or None without one."""
        value = self.data.get("ready", self.data.get("passed"))
        return value if isinstance(value, bool) else None

    @property
    def score(self) -> float | None:
        """The overall score: the audit's, or the head's in a diff; None when there is none."""
        scores = self.data.get("scores")
        value = scores.get("head") if isinstance(scores, Mapping) else self.data.get("score")
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def report_paths(request: GateRequest) -> dict[str, Path]:
    """Where the command writes each of the mode's formats."""
    stem = REPORT_STEMS[request.mode]
    return {name: request.report_dir / f"{stem}{_SUFFIXES[name]}" for name in FORMATS[request.mode]}


def build_command(request: GateRequest, prefix: Sequence[str] = DEFAULT_COMMAND) -> list[str]:
    """The command line of the gate.

    Args:
        request: What to run.
        prefix: How oshealth is started (tests give a stand-in).

    Returns:
        The full argument list.
    """
    outputs = [arg for name in FORMATS[request.mode] for arg in ("--format", name)]
    outputs += ["--output-dir", str(request.report_dir)]
    if request.mode is Mode.PR:
        labels = [arg for label in request.labels for arg in ("--label", label)]
        return [*prefix, "diff", *outputs, *labels, "--", request.base, request.head]
    if request.mode is Mode.RELEASE:
        extra = (["--since", request.since] if request.since else []) + (
            ["--version", request.version] if request.version else []
        )
        return [*prefix, "release-check", *outputs, *extra]
    gate = ["--fail-under", f"{request.fail_under:g}"] if request.fail_under is not None else []
    return [*prefix, "audit", *outputs, *gate, "--no-progress", "."]


def run_gate(
    request: GateRequest, cwd: Path, env: Mapping[str, str], prefix: Sequence[str] = DEFAULT_COMMAND
) -> GateResult:
    """Run the gate and collect its reports.

    Stale reports of an earlier run are removed first, so that a command that
    fails before writing cannot leave old files to be read as new.

    Args:
        request: What to run.
        cwd: The folder to run in (inside the repository).
        env: The command's environment.
        prefix: How oshealth is started.

    Returns:
        The exit code, the output, and the reports found.
    """
    request.report_dir.mkdir(parents=True, exist_ok=True)
    planned = report_paths(request)
    for path in planned.values():
        path.unlink(missing_ok=True)
    done = subprocess.run(
        build_command(request, prefix), cwd=cwd, env=dict(env), capture_output=True, text=True,
        encoding="utf-8", errors="replace", check=False,
    )
    reports = {name: path for name, path in planned.items() if path.is_file()}
    return GateResult(done.returncode, done.stdout, done.stderr, reports, _load_json(reports.get("json")))


def _load_json(path: Path | None) -> dict[str, Any]:
    """The JSON report, or ``{}`` when it is missing or unreadable."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@dataclass(frozen=True)
class HistoryProblem:
    """The clone lacks history a mode needs.

    Attributes:
        message: What is missing and the ``fetch-depth`` to set.
        fatal: Whether the mode cannot run (else its history checks are only inconclusive).
    """

    message: str
    fatal: bool


def check_history(cwd: Path, request: GateRequest) -> HistoryProblem | None:
    """Whether the clone holds the history the mode needs.

    Args:
        cwd: A folder inside the repository.
        request: The run (its mode, and for ``pr`` its two ends).

    Returns:
        None when the history is enough, else the problem.

    Raises:
        OshealthError: The folder is not inside a git work tree.
    """
    repo = GitRepository(cwd)
    shallow = repo.is_shallow()
    if request.mode is Mode.PR:
        return _pull_request_history(repo, request.base, request.head, shallow)
    if not shallow:
        return None
    if request.mode is Mode.RELEASE:
        return HistoryProblem(
            "the release gate reads the history since the last release tag, but this clone is shallow: "
            "set `fetch-depth: 0` on actions/checkout (it fetches every commit and tag)", fatal=True)
    return HistoryProblem(
        "this clone is shallow, so the history checks (activity, contributor spread, tests with source) are "
        "inconclusive: set `fetch-depth: 0` on actions/checkout for a full audit", fatal=False)


def _pull_request_history(repo: GitRepository, base: str, head: str, shallow: bool) -> HistoryProblem | None:
    """Whether both ends of the pull request and their merge base are in the clone."""
    hint = ("set `fetch-depth: 0` on actions/checkout (or a depth that reaches the merge base of the "
            "pull request and its base branch)")
    for end, sha in (("base", base), ("head", head)):
        try:
            repo.resolve(sha)
        except GitError:
            state = "shallow " if shallow else ""
            return HistoryProblem(f"the {end} commit {sha[:12]} is not in this {state}clone: {hint}", fatal=True)
    try:
        repo.merge_base(base, head)
    except OshealthError:
        why = "the clone is shallow" if shallow else "the histories are unrelated"
        return HistoryProblem(f"no merge base of {base[:12]} and {head[:12]} ({why}): {hint}", fatal=True)
    return None
