"""The action's inputs, read from ``INPUT_*`` variables and validated.

``action.yml`` passes each input to the entry point as an environment
variable (``INPUT_MODE``, ``INPUT_FAIL_UNDER``...) rather than on the command
line, so that no input value is ever pasted into a shell script (GitHub's
advice against script injection). Booleans accept what ``@actions/core``'s
``getBooleanInput`` accepts: ``true``, ``True``, ``TRUE`` and the same for
false.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from oshealth.errors import UsageError


class Mode(StrEnum):
    """What the action runs."""

    AUTO = "auto"
    PR = "pr"
    AUDIT = "audit"
    RELEASE = "release"
    COMMENT = "comment"


_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})


@dataclass(frozen=True)
class Inputs:
    """The action's validated inputs.

    Attributes:
        mode: ``pr`` (the pull-request gate, ``oshealth diff``), ``audit``, ``release``
            (``oshealth release-check``), ``comment`` (post the report of an earlier run,
            for the ``workflow_run`` pattern) or ``auto`` (``pr`` on pull-request events, else ``audit``).
        config: A TOML file with oshealth's settings, instead of the repository's own.
        fail_under: ``audit``: fail when the overall score is below this.
        fail_on_gate: Whether a failed gate fails the step (else it is only reported).
        base: ``pr``: the base revision, instead of the pull request's base commit.
        head: ``pr``: the head revision, instead of the pull request's head commit.
        labels: Extra labels for the gate (the pull request's labels are always passed).
        since: ``release``: the tag to compare from.
        version: ``release``: the version being released.
        comment: Whether to post (or update) the sticky pull-request comment.
        token: The GitHub token for the comment.
        sarif: Where to copy the SARIF file, or None.
        output_dir: Where the reports go, or None for the runner's temporary folder.
        report_dir: ``comment``: the folder of reports an earlier ``pr`` run wrote.
        max_annotations: Most line annotations per severity (GitHub shows 10 of each per step).
    """

    mode: Mode = Mode.AUTO
    config: Path | None = None
    fail_under: float | None = None
    fail_on_gate: bool = True
    base: str = ""
    head: str = ""
    labels: tuple[str, ...] = ()
    since: str = ""
    version: str = ""
    comment: bool = True
    token: str = ""
    sarif: Path | None = None
    output_dir: Path | None = None
    report_dir: Path | None = None
    max_annotations: int = 10


def read_inputs(environ: Mapping[str, str]) -> Inputs:
    """Read and validate the inputs from ``INPUT_*`` variables.

    Args:
        environ: The process environment.

    Returns:
        The inputs; unset or empty variables take the defaults.

    Raises:
        UsageError: A value is not valid (unknown mode, not a number, not a boolean...).
    """

    def get(name: str) -> str:
        """The trimmed value of ``INPUT_<NAME>``, or ``""``."""
        return environ.get(f"INPUT_{name.upper().replace('-', '_')}", "").strip()

    return Inputs(
        mode=_mode(get("mode")),
        config=_path(get("config")),
        fail_under=_score(get("fail-under")),
        fail_on_gate=_boolean("fail-on-gate", get("fail-on-gate"), True),
        base=get("base"),
        head=get("head"),
        labels=_lines(get("labels")),
        since=get("since"),
        version=get("version"),
        comment=_boolean("comment", get("comment"), True),
        token=get("token"),
        sarif=_path(get("sarif")),
        output_dir=_path(get("output-dir")),
        report_dir=_path(get("report-dir")),
        max_annotations=_count("max-annotations", get("max-annotations"), 10),
    )


def _mode(value: str) -> Mode:
    """The mode input; empty means ``auto``."""
    try:
        return Mode(value or "auto")
    except ValueError:
        known = ", ".join(mode.value for mode in Mode)
        raise UsageError(f"input mode: {value!r} is not one of {known}") from None


def _boolean(name: str, value: str, default: bool) -> bool:
    """A YAML 1.2 core-schema boolean, as ``getBooleanInput`` reads it."""
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise UsageError(f"input {name}: {value!r} is not a boolean (true or false)")


def _score(value: str) -> float | None:
    """The fail-under input: a number from 0 to 10, or empty."""
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise UsageError(f"input fail-under: {value!r} is not a number") from None
    if not 0 <= number <= 10:
        raise UsageError(f"input fail-under: {value} is not between 0 and 10")
    return number


def _count(name: str, value: str, default: int) -> int:
    """A non-negative whole number, or the default when empty."""
    if not value:
        return default
    if not value.isdigit():
        raise UsageError(f"input {name}: {value!r} is not a whole number")
    return int(value)


def _lines(value: str) -> tuple[str, ...]:
    """A list input: one item per line or comma, blanks dropped."""
    items = (item.strip() for line in value.splitlines() for item in line.split(","))
    return tuple(dict.fromkeys(item for item in items if item))


def _path(value: str) -> Path | None:
    """A path input, or None when empty."""
    return Path(value) if value else None
