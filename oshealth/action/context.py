"""The GitHub run the action is in: variables and the event payload.

On ``pull_request`` (and ``pull_request_target``) events the commits to
compare are the pull request's own: ``pull_request.base.sha`` and
``pull_request.head.sha`` from the payload in ``GITHUB_EVENT_PATH``.
``GITHUB_SHA`` is not used: on these events it names the merge commit
GitHub made for the test run, which is neither end of the change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oshealth.errors import UsageError

PULL_REQUEST_EVENTS = frozenset({"pull_request", "pull_request_target"})


@dataclass(frozen=True)
class PullRequest:
    """The pull request an event is about.

    Attributes:
        number: Its number.
        base_sha: The base branch's commit the pull request was compared with.
        head_sha: The pull request's last commit.
        labels: Its label names, sorted.
        from_fork: Whether its head lives in another repository (its token is then read-only).
    """

    number: int
    base_sha: str
    head_sha: str
    labels: tuple[str, ...]
    from_fork: bool


@dataclass(frozen=True)
class GitHubContext:
    """What the runner tells the action about the run.

    Attributes:
        event_name: ``GITHUB_EVENT_NAME`` (``pull_request``, ``push``...).
        event: The event payload, or an empty dict.
        repository: ``owner/name`` (``GITHUB_REPOSITORY``).
        api_url: The REST API's root (``GITHUB_API_URL``).
        server_url: The web server's root (``GITHUB_SERVER_URL``).
        run_url: This run's page, or ``""``.
        workspace: ``GITHUB_WORKSPACE``, or None outside Actions.
        output_path: ``GITHUB_OUTPUT``, or None.
        summary_path: ``GITHUB_STEP_SUMMARY``, or None.
        temp_dir: ``RUNNER_TEMP``, or None.
        pull_request: The pull request of a pull-request event, else None.
    """

    event_name: str
    event: Mapping[str, Any]
    repository: str
    api_url: str
    server_url: str
    run_url: str
    workspace: Path | None
    output_path: Path | None
    summary_path: Path | None
    temp_dir: Path | None
    pull_request: PullRequest | None


def read_context(environ: Mapping[str, str]) -> GitHubContext:
    """Read the GitHub context from the environment and the event file.

    Args:
        environ: The process environment.

    Returns:
        The context; outside Actions most fields are empty.

    Raises:
        UsageError: The event file cannot be read, or a pull-request event lacks its commits.
    """
    event_name = environ.get("GITHUB_EVENT_NAME", "")
    event = _event(environ.get("GITHUB_EVENT_PATH", ""))
    server = environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    repository = environ.get("GITHUB_REPOSITORY", "")
    run_id = environ.get("GITHUB_RUN_ID", "")
    return GitHubContext(
        event_name=event_name,
        event=event,
        repository=repository,
        api_url=environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/"),
        server_url=server,
        run_url=f"{server}/{repository}/actions/runs/{run_id}" if repository and run_id else "",
        workspace=_optional_path(environ.get("GITHUB_WORKSPACE", "")),
        output_path=_optional_path(environ.get("GITHUB_OUTPUT", "")),
        summary_path=_optional_path(environ.get("GITHUB_STEP_SUMMARY", "")),
        temp_dir=_optional_path(environ.get("RUNNER_TEMP", "")),
        pull_request=pull_request(event) if event_name in PULL_REQUEST_EVENTS else None,
    )


def pull_request(event: Mapping[str, Any]) -> PullRequest:
    """The pull request of a ``pull_request`` event payload.

    Raises:
        UsageError: The payload lacks the pull request's number or commits.
    """
    data = event.get("pull_request")
    if not isinstance(data, Mapping):
        raise UsageError("the event payload has no pull_request object")
    base, head = _sha(data, "base"), _sha(data, "head")
    number = data.get("number", event.get("number"))
    if not isinstance(number, int) or isinstance(number, bool):
        raise UsageError("the event payload has no pull request number")
    labels = sorted({str(label["name"]) for label in data.get("labels") or [] if isinstance(label, Mapping)
                     and isinstance(label.get("name"), str)})
    head_repo = _nested(data, "head", "repo", "full_name")
    base_repo = _nested(data, "base", "repo", "full_name")
    return PullRequest(number, base, head, tuple(labels), bool(head_repo and base_repo and head_repo != base_repo))


def _sha(data: Mapping[str, Any], end: str) -> str:
    """``pull_request.<end>.sha``, checked to be a commit id."""
    sha = _nested(data, end, "sha")
    if not isinstance(sha, str) or len(sha) < 7 or any(c not in "0123456789abcdef" for c in sha):
        raise UsageError(f"the event payload has no valid pull_request.{end}.sha")
    return sha


def _nested(data: Mapping[str, Any], *keys: str) -> Any:
    """``data[k1][k2]...``, or None where a level is missing."""
    value: Any = data
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _event(path: str) -> dict[str, Any]:
    """The event payload, or ``{}`` when there is no event file."""
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"cannot read the event payload {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise UsageError(f"the event payload {path} is not a JSON object")
    return data


def _optional_path(value: str) -> Path | None:
    """A path from a variable, or None when unset."""
    return Path(value) if value else None
