"""The entry point: read the run, run the gate, report back to GitHub.

Exit codes are the gate's: 0 passed (or ``fail-on-gate: false``), 1 the gate
failed, 2 bad input (an invalid input, a clone too shallow for the mode), 3 an
internal error. Trouble with the pull-request comment (a read-only token, an
outage) never fails the step: it becomes a notice or a warning, and the
report is still in the job summary.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from oshealth.action import annotate
from oshealth.action.context import GitHubContext, read_context
from oshealth.action.gate import DEFAULT_COMMAND, GateRequest, GateResult, check_history, run_gate
from oshealth.action.publish import comment_on_pull_request, relay_comment, write_pull_request_record
from oshealth.action.settings import Inputs, Mode, read_inputs
from oshealth.action.workflow import Workflow
from oshealth.errors import OshealthError, UsageError
from oshealth.git import GitRepository

EXIT_OK, EXIT_GATE, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
_TITLE = "oshealth"


def main(
    environ: Mapping[str, str] | None = None,
    *,
    command: Sequence[str] = DEFAULT_COMMAND,
    stream: TextIO | None = None,
    cwd: Path | None = None,
) -> int:
    """Run the action.

    Args:
        environ: The environment (default: the process's).
        command: How oshealth is started for the gate.
        stream: The log (default: standard output).
        cwd: The folder inside the repository (default: the current one).

    Returns:
        The exit code.
    """
    env = dict(os.environ if environ is None else environ)
    workflow = Workflow(None, None, stream)
    try:
        inputs, context = read_inputs(env), read_context(env)
        workflow = Workflow(context.output_path, context.summary_path, stream)
        folder = (cwd or Path.cwd()).resolve()
        if inputs.mode is Mode.COMMENT:
            return relay_comment(inputs, context, workflow)
        return _run_gate_mode(inputs, context, workflow, env, folder, command)
    except OshealthError as exc:
        workflow.error(str(exc), _TITLE)
        workflow.add_summary(f"## oshealth\n\n❌ {_plain(str(exc))}\n")
        workflow.set_output("passed", "false")
        workflow.set_output("exit-code", str(EXIT_USAGE))
        return EXIT_USAGE
    except Exception as exc:  # the last line of defence: one annotation, never a traceback
        logging.getLogger(__name__).debug("internal error", exc_info=True)
        workflow.error(f"internal error: {type(exc).__name__}: {exc}", _TITLE)
        return EXIT_INTERNAL


def _run_gate_mode(
    inputs: Inputs, context: GitHubContext, workflow: Workflow, env: dict[str, str], cwd: Path,
    command: Sequence[str],
) -> int:
    """Run the gate of ``pr``, ``audit`` or ``release`` mode and publish its results."""
    request = gate_request(inputs, context, cwd)
    notes = _history_notes(workflow, request, cwd)
    result = run_gate(request, cwd, _gate_environment(env, inputs, cwd), command)
    _log_output(workflow, result)
    if result.exit_code not in (EXIT_OK, EXIT_GATE) or result.passed is None:
        return _gate_broke(workflow, request, result)
    selection = annotate.select(
        annotate.from_report(result.data, _workspace_prefix(cwd, context.workspace)), inputs.max_annotations
    )
    annotate.write(workflow, selection)
    notes.append(annotate.summary_note(selection))
    comment_url, note = _pull_request_comment(inputs, context, workflow, request, result)
    if note is not None:
        notes.append(note)
    _publish(workflow, inputs, request, result, notes, comment_url, cwd)
    return EXIT_GATE if result.exit_code == EXIT_GATE and inputs.fail_on_gate else EXIT_OK


def _history_notes(workflow: Workflow, request: GateRequest, cwd: Path) -> list[str]:
    """Check that the clone holds the history the mode needs; a shortfall the gate survives is a warning.

    Args:
        workflow: Where the warning goes.
        request: What the gate will run.
        cwd: The folder inside the repository.

    Returns:
        The summary notes so far: the warning, if any.

    Raises:
        UsageError: The clone lacks history the mode cannot do without.
    """
    problem = check_history(cwd, request)
    if problem is None:
        return []
    if problem.fatal:
        raise UsageError(problem.message)
    workflow.warning(problem.message, _TITLE)
    return [f"⚠️ {_plain(problem.message)}"]


def _pull_request_comment(
    inputs: Inputs, context: GitHubContext, workflow: Workflow, request: GateRequest, result: GateResult,
) -> tuple[str, str | None]:
    """In ``pr`` mode on a pull request: keep its record for the comment relay and comment if asked.

    Args:
        inputs: The action's inputs.
        context: The run.
        workflow: Where notices and warnings go.
        request: What the gate ran.
        result: What it found.

    Returns:
        The comment's URL (``""`` without one) and the summary note about it (None without a comment).
    """
    if request.mode is not Mode.PR or context.pull_request is None:
        return "", None
    write_pull_request_record(request, context)
    if not inputs.comment:
        return "", None
    return comment_on_pull_request(inputs, context, workflow, result)


def gate_request(inputs: Inputs, context: GitHubContext, cwd: Path) -> GateRequest:
    """What to run: the mode (``auto`` resolved), the report folder and the mode's arguments.

    Raises:
        UsageError: ``pr`` mode without a pull request and without base and head inputs.
    """
    mode = inputs.mode
    if mode is Mode.AUTO:
        mode = Mode.PR if context.pull_request is not None else Mode.AUDIT
    report_dir = _report_dir(inputs, context, cwd)
    if mode is not Mode.PR:
        return GateRequest(mode, report_dir, fail_under=inputs.fail_under, since=inputs.since, version=inputs.version)
    base, head = _revisions(inputs, context)
    pr = context.pull_request
    labels = tuple(dict.fromkeys((*(pr.labels if pr else ()), *inputs.labels)))
    return GateRequest(mode, report_dir, base=base, head=head, labels=labels)


def _report_dir(inputs: Inputs, context: GitHubContext, cwd: Path) -> Path:
    """The report folder: the input, else one in the runner's temporary folder, else ``oshealth-report``.

    Args:
        inputs: The action's inputs.
        context: The run.
        cwd: The folder inside the repository, which a relative folder is taken from.

    Returns:
        The absolute folder.
    """
    report_dir = inputs.output_dir or (context.temp_dir / "oshealth" if context.temp_dir else Path("oshealth-report"))
    return report_dir if report_dir.is_absolute() else cwd / report_dir


def _revisions(inputs: Inputs, context: GitHubContext) -> tuple[str, str]:
    """The base and head of ``pr`` mode: the inputs, else the pull request's commits.

    Args:
        inputs: The action's inputs.
        context: The run.

    Returns:
        The base and the head revision.

    Raises:
        UsageError: One is missing, or one looks like an option.
    """
    pr = context.pull_request
    base = inputs.base or (pr.base_sha if pr else "")
    head = inputs.head or (pr.head_sha if pr else "")
    if not base or not head:
        raise UsageError(
            f"mode pr needs a pull_request event (this is {context.event_name or 'not a GitHub run'}) "
            "or the base and head inputs"
        )
    for name, value in (("base", base), ("head", head)):
        if value.startswith("-"):
            raise UsageError(f"input {name}: {value!r} is not a revision")
    return base, head


def _gate_environment(env: Mapping[str, str], inputs: Inputs, cwd: Path) -> dict[str, str]:
    """The gate's environment: the action's, with ``OSHEALTH_CONFIG`` for the config input.

    Raises:
        UsageError: The config input names no file.
    """
    result = {key: value for key, value in env.items() if key != "INPUT_TOKEN"}  # the gate needs no token
    if inputs.config is not None:
        config = inputs.config if inputs.config.is_absolute() else cwd / inputs.config
        if not config.is_file():
            raise UsageError(f"input config: {inputs.config} is not a file")
        result["OSHEALTH_CONFIG"] = str(config)
    return result


def _log_output(workflow: Workflow, result: GateResult) -> None:
    """Show the command's output and its terminal report in the log, workflow commands disabled."""
    text = result.reports.get("terminal")
    with workflow.commands_stopped():
        for chunk in (result.stdout, text.read_text(encoding="utf-8", errors="replace") if text else "",
                      result.stderr):
            if chunk.strip():
                workflow.log(chunk)


def _gate_broke(workflow: Workflow, request: GateRequest, result: GateResult) -> int:
    """Report a gate that could not decide (bad input, internal error, no report) and return its code."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    detail = lines[-1].removeprefix("oshealth: error: ") if lines else "no report was written"
    code = result.exit_code if result.exit_code not in (EXIT_OK, EXIT_GATE) else EXIT_INTERNAL
    message = f"oshealth ({request.mode.value}) could not run: {detail} (exit {result.exit_code})"
    workflow.error(message, _TITLE)
    workflow.add_summary(f"## oshealth\n\n❌ {_plain(message)}\n")
    workflow.set_output("passed", "false")
    workflow.set_output("exit-code", str(result.exit_code))
    return code


def _publish(
    workflow: Workflow,
    inputs: Inputs,
    request: GateRequest,
    result: GateResult,
    notes: list[str],
    comment_url: str,
    cwd: Path,
) -> None:
    """Write the job summary and the step outputs; copy the SARIF file where asked."""
    markdown_path = result.reports.get("markdown")
    markdown = markdown_path.read_text(encoding="utf-8") if markdown_path else "## oshealth\n"
    workflow.add_summary("\n\n".join([markdown.rstrip("\n"), *[note for note in notes if note]]) + "\n")
    sarif = _copy_sarif(inputs, result, cwd)
    score = result.score
    outputs = {
        "mode": request.mode.value,
        "passed": "true" if result.passed else "false",
        "score": "" if score is None else f"{score:g}",
        "exit-code": str(result.exit_code),
        "report-dir": str(request.report_dir),
        "json-report": str(result.reports.get("json", "")),
        "markdown-report": str(markdown_path or ""),
        "sarif-file": str(sarif or ""),
        "comment-url": comment_url,
    }
    for name, value in outputs.items():
        workflow.set_output(name, value)


def _copy_sarif(inputs: Inputs, result: GateResult, cwd: Path) -> Path | None:
    """Copy the SARIF report to the ``sarif`` input's path, if both exist.

    Args:
        inputs: The action's inputs.
        result: What the gate wrote.
        cwd: The folder inside the repository, which a relative path is taken from.

    Returns:
        Where the SARIF file is now (the copy, else the report), or None without one.
    """
    sarif = result.reports.get("sarif")
    if sarif is None or inputs.sarif is None:
        return sarif
    target = inputs.sarif if inputs.sarif.is_absolute() else cwd / inputs.sarif
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(sarif, target)
    return target


def _workspace_prefix(cwd: Path, workspace: Path | None) -> str:
    """The repository root relative to the workspace, as a path prefix (``""`` when they coincide)."""
    if workspace is None:
        return ""
    root = GitRepository(cwd).root
    try:
        relative = root.relative_to(workspace.resolve())
    except ValueError:
        return ""
    return "" if str(relative) == "." else f"{relative.as_posix()}/"


def _plain(text: str) -> str:
    """Text for the summary, inert as Markdown (it may quote repository names); `quoted` parts as code."""
    from oshealth.render.markdown import inline

    return inline(text)
