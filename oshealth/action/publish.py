"""The sticky pull-request comment: posted by the gate's run, or relayed by a later trusted run.

A pull request from a fork runs with a read-only token: the gate's run cannot
comment, so it says so in a notice and leaves the report in the job summary.
To comment anyway without running the fork's code with a write token, the
gate's run uploads its report folder as an artifact; a ``workflow_run``
workflow (which runs the base repository's code with a write token) downloads
it and runs the action in ``comment`` mode, which only posts the report.

The report folder comes from an untrusted run, so ``comment`` mode checks
it: the record's head commit must be the head commit of the workflow run
that produced it, and the pull request it names must still point at that
commit, so a crafted record cannot aim the comment at another pull request.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from oshealth.action.comment import ApiError, GitHubApi, pull_request_head, upsert_comment
from oshealth.action.context import GitHubContext
from oshealth.action.gate import GateRequest, GateResult, report_paths
from oshealth.action.settings import Inputs, Mode
from oshealth.action.workflow import Workflow
from oshealth.errors import UsageError

#: The hidden marker of the pull-request gate's comment.
DIFF_MARKER = "<!-- oshealth-diff -->"
#: The record of the pull request a ``pr`` run reported on, in its report folder.
RECORD_NAME = "oshealth-pr.json"
_TITLE = "oshealth"
_FORK_HELP = (
    "A pull request from a fork gets a read-only token; see the workflow_run pattern in oshealth's "
    "docs/github-action.md to comment on such pull requests safely."
)


def write_pull_request_record(request: GateRequest, context: GitHubContext) -> Path:
    """Write the record ``comment`` mode needs next to the reports (number, base and head)."""
    pr = context.pull_request
    record = {"format": 1, "number": pr.number if pr else None, "base": request.base, "head": request.head}
    path = request.report_dir / RECORD_NAME
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return path


def comment_on_pull_request(
    inputs: Inputs, context: GitHubContext, workflow: Workflow, result: GateResult
) -> tuple[str, str]:
    """Post or update the sticky comment of the gate's pull request.

    Returns:
        The comment's address (``""`` when none was posted) and a note for the summary.
    """
    pr = context.pull_request
    markdown_path = result.reports.get("markdown")
    if pr is None or markdown_path is None:
        return "", ""
    markdown = markdown_path.read_text(encoding="utf-8")
    return _post(inputs, context, workflow, pr.number, markdown)


def _post(inputs: Inputs, context: GitHubContext, workflow: Workflow, number: int, markdown: str) -> tuple[str, str]:
    """Upsert the comment; a failure becomes a notice (read-only token) or a warning, never an error."""
    if not inputs.token:
        workflow.notice("no token was given, so the pull request gets no comment; the report is in the job summary",
                        _TITLE)
        return "", ""
    api = GitHubApi(context.api_url, inputs.token)
    try:
        done = upsert_comment(api, context.repository, number, DIFF_MARKER, markdown)
    except ApiError as exc:
        if exc.read_only:
            workflow.notice(f"the token cannot comment on pull request {number} ({exc}); the report is in the "
                            f"job summary. {_FORK_HELP}", _TITLE)
            return "", "_No pull-request comment: the token is read-only (a pull request from a fork?)._"
        workflow.warning(f"the pull-request comment failed: {exc}; the report is in the job summary", _TITLE)
        return "", "_The pull-request comment failed; see the warning in the log._"
    workflow.log(f"oshealth: {done.action} the pull-request comment {done.url}")
    note = "_The pull-request comment was cut to fit GitHub's limit._" if done.cut else ""
    return done.url, note


def relay_comment(inputs: Inputs, context: GitHubContext, workflow: Workflow) -> int:
    """``comment`` mode: post the report of an earlier ``pr`` run, after checking it names the right pull request.

    Returns:
        0: whatever happens to the comment, the gate was decided by the earlier run.

    Raises:
        UsageError: No report folder, or it lacks the record or the Markdown report.
    """
    folder = inputs.report_dir
    if folder is None:
        raise UsageError("mode comment needs the report-dir input: the folder an earlier pr run wrote")
    record = _read_record(folder / RECORD_NAME)
    markdown_path = report_paths(GateRequest(Mode.PR, folder))["markdown"]
    if not markdown_path.is_file():
        raise UsageError(f"mode comment: {markdown_path} is missing")
    number, head = record["number"], record["head"]
    if not _report_is_current(inputs, context, workflow, number, head):
        return 0
    markdown = markdown_path.read_text(encoding="utf-8")
    url, note = _post(inputs, context, workflow, number, markdown)
    workflow.add_summary("\n\n".join(part for part in (markdown.rstrip("\n"), note) if part) + "\n")
    workflow.set_output("comment-url", url)
    return 0


def _report_is_current(inputs: Inputs, context: GitHubContext, workflow: Workflow, number: int, head: str) -> bool:
    """Whether the report is of the workflow run's head commit, which the pull request still points at.

    Each refusal is logged: a warning when the record contradicts the run, a notice when the pull request has
    simply moved on (a newer run will post its own report).
    """
    run = context.event.get("workflow_run")
    run_head = run.get("head_sha") if isinstance(run, dict) else None
    if context.event_name == "workflow_run" and run_head != head:
        workflow.warning(f"the report is of commit {head[:12]}, not of the workflow run's head "
                         f"{str(run_head)[:12]}: no comment", _TITLE)
        return False
    if not inputs.token:
        return True  # nothing can be posted anyway: _post says so
    try:
        current = pull_request_head(GitHubApi(context.api_url, inputs.token), context.repository, number)
    except ApiError as exc:
        workflow.warning(f"cannot read pull request {number}: {exc}; no comment", _TITLE)
        return False
    if current != head:
        workflow.notice(f"pull request {number} has moved on to {current[:12]}; the report is of "
                        f"{head[:12]}, so it is not posted", _TITLE)
        return False
    return True


def _read_record(path: Path) -> dict[str, Any]:
    """The pull-request record of a ``pr`` run, validated.

    Raises:
        UsageError: It is missing or malformed.
    """
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"mode comment: cannot read {path}: {exc}") from exc
    number = record.get("number") if isinstance(record, dict) else None
    head = record.get("head") if isinstance(record, dict) else None
    if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
        raise UsageError(f"mode comment: {path} has no pull request number")
    if not isinstance(head, str) or not head:
        raise UsageError(f"mode comment: {path} has no head commit")
    return {"number": number, "head": head}
