"""The ``oshealth`` command line: a thin layer over :mod:`oshealth.audit`.

Exit codes:
    0  the audit ran and the gate (if any) passed;
    1  the gate failed: the overall score is below ``--fail-under``;
    2  bad input or usage: not a directory, not a git repository, bad config, broken plugin;
    3  internal error (a bug in oshealth: please report it);
    130  interrupted.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from oshealth import __version__, cachefile, collector, registry
from oshealth.audit import Outcome, ReportSink, audit_outputs
from oshealth.errors import GitError, UsageError
from oshealth.gate.command import diff as diff_command
from oshealth.git import GitRepository
from oshealth.output import BackgroundWriter, plan_outputs, write_atomic

EXIT_OK, EXIT_GATE, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

app = typer.Typer(
    name="oshealth",
    help="Audit a git repository's documentation, tests, complexity and contributor spread.\n\n"
    "Exit codes: 0 ok; 1 gate failed (score below --fail-under, a diff rule or the release check failed); "
    "2 bad input or usage; "
    "3 internal error; 130 interrupted.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


class OutputFormat(StrEnum):
    """Formats ``oshealth audit`` can write."""

    TERMINAL = "terminal"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    SARIF = "sarif"
    BADGE = "badge"
    SHIELDS = "shields"


def _version_callback(value: bool) -> None:
    """Print the version and stop, for ``--version``."""
    if value:
        typer.echo(f"oshealth {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version_callback, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Audit a git repository's health: documentation, tests, complexity, contributors."""


@app.command()
def audit(
    path: Annotated[Path, typer.Argument(help="A directory inside the git work tree to audit.")] = Path("."),
    output_format: Annotated[
        list[OutputFormat] | None, typer.Option("--format", "-f", help="Output format (repeatable).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file (atomically).")
    ] = None,
    output_dir: Annotated[
        Path | None, typer.Option("--output-dir", help="Write every format's report into this folder.")
    ] = None,
    fail_under: Annotated[
        float | None, typer.Option("--fail-under", min=0, max=10, help="Exit 1 when the score is below this.")
    ] = None,
    select: Annotated[list[str] | None, typer.Option("--select", help="Run only this check (repeatable).")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Skip this check (repeatable).")] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Glob of paths to leave out (repeatable).")
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show progress on stderr (only on a terminal).")] = True,
    cache: Annotated[
        bool, typer.Option("--cache/--no-cache", help="Reuse and store results in the repository's cache.")
    ] = True,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Processes analysing files (default: every core).")
    ] = None,
) -> int:
    """Audit the repository at PATH and print or write its scorecard."""
    formats = list(dict.fromkeys(f.value for f in output_format or [OutputFormat.TERMINAL]))
    targets = plan_outputs(formats, output, output_dir)
    overrides: dict[str, Any] = {"fail-under": fail_under, "select": select, "ignore": ignore, "exclude": exclude}
    options = {"use_cache": cache, "jobs": jobs}
    to_screen, texts = _screen_and_texts(targets)
    arguments: dict[str, Any] = {"want_report": to_screen, "display_path": str(path), **options}
    arguments["overrides"] = {k: v for k, v in overrides.items() if v}
    writer = BackgroundWriter()
    try:
        outcome = _audit_with_progress(path, texts, _report_writer(targets, writer), progress, arguments)
    except BaseException:
        with contextlib.suppress(Exception):
            writer.wait()  # the audit's own error is the one to tell
        raise
    writer.wait()  # every file written, or what failed raised, before the exit code is chosen
    if outcome.report is not None:
        from rich.console import Console  # loaded for the screen only: a run writing files does without it

        from oshealth.render import terminal

        Console(highlight=False).print(terminal.renderable(outcome.report))
    return EXIT_GATE if outcome.gate_failed else EXIT_OK


def _screen_and_texts(targets: dict[str, Path | None]) -> tuple[bool, list[str]]:
    """Whether the terminal report goes to the screen, and the formats to render as text.

    The terminal report on screen is drawn from the report itself, with the
    console's colours and width, so it is the one format not rendered as text.

    Args:
        targets: Each format's file, or None for stdout.

    Returns:
        Whether the terminal report is for the screen, and every other format, in order.
    """
    to_screen = "terminal" in targets and targets["terminal"] is None
    return to_screen, [name for name in targets if not (name == "terminal" and to_screen)]


def _audit_with_progress(
    path: Path, formats: list[str], sink: ReportSink, progress: bool, arguments: dict[str, Any]
) -> Outcome:
    """Run the audit, with a spinner and stage counts on stderr when it is a terminal."""
    if not (progress and _may_be_terminal()):
        return audit_outputs(path, formats, sink, **arguments)
    from rich.console import Console  # loaded only when a spinner may be drawn (about 20 ms of imports)
    from rich.markup import escape

    err = Console(stderr=True)
    if not err.is_terminal:
        return audit_outputs(path, formats, sink, **arguments)
    with err.status("auditing...") as status:
        return audit_outputs(path, formats, sink, progress=lambda msg: status.update(escape(msg)), **arguments)


def _may_be_terminal() -> bool:
    """Whether rich might find stderr to be a terminal: it is a tty, or rich's variables say to treat it as one."""
    return sys.stderr.isatty() or any(os.environ.get(name) for name in ("FORCE_COLOR", "TTY_COMPATIBLE"))


def _report_writer(targets: dict[str, Path | None], writer: BackgroundWriter | None = None) -> ReportSink:
    """Where each rendered report goes: its file (written atomically, by ``writer`` if given), else stdout."""

    def write(name: str, data: bytes) -> None:
        """Write one report (its UTF-8 bytes)."""
        target = targets[name]
        if target is not None and writer is not None:
            writer.write(target, data)
        elif target is not None:
            write_atomic(target, data)
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()

    return write


class ChecksFormat(StrEnum):
    """Formats ``oshealth checks`` can write."""

    TEXT = "text"
    MARKDOWN = "markdown"


@app.command("checks")
def list_checks(
    output_format: Annotated[
        ChecksFormat,
        typer.Option("--format", "-f", help="text: one line per check; markdown: the full reference (docs/checks.md)."),
    ] = ChecksFormat.TEXT,
) -> int:
    """List the installed checks: id, category, weight and what each measures."""
    classes = registry.discover()
    if output_format is ChecksFormat.MARKDOWN:
        from oshealth import checkdocs  # the reference's writers, loaded for this command only

        _report_writer({"markdown": None})("markdown", checkdocs.markdown_reference(classes).encode("utf-8"))
        return EXIT_OK
    for check_id, cls in classes.items():
        typer.echo(f"{check_id:22} {cls.category:14} {cls.weight:>4g}  {cls.summary()}")
    return EXIT_OK


@app.command()
def explain(check_id: Annotated[str, typer.Argument(help="The id of a check (see `oshealth checks`).")]) -> int:
    """Show a check's full documentation: what it measures, how it scores, how to fix."""
    classes = registry.discover()
    if check_id not in classes:
        raise UsageError(f"unknown check {check_id!r}; known: {', '.join(classes)}")
    from oshealth import checkdocs

    typer.echo(checkdocs.explain_text(classes[check_id]), nl=False)
    return EXIT_OK


class ReleaseFormat(StrEnum):
    """Formats ``oshealth release-check`` can write."""

    TERMINAL = "terminal"
    JSON = "json"
    MARKDOWN = "markdown"


@app.command("release-check")
def release_check(
    path: Annotated[Path, typer.Argument(help="A directory inside the git work tree.")] = Path("."),
    since: Annotated[
        str | None, typer.Option("--since", help="The last release (default: the highest version tag before HEAD).")
    ] = None,
    version: Annotated[
        str | None,
        typer.Option("--version", help="Version to release (default: pyproject.toml's, __version__, or HEAD's tag)."),
    ] = None,
    output_format: Annotated[
        list[ReleaseFormat] | None, typer.Option("--format", "-f", help="Output format (repeatable).")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
    output_dir: Annotated[
        Path | None, typer.Option("--output-dir", help="Write every format's report (release.*) into this folder.")
    ] = None,
) -> int:
    """Check that HEAD is ready to release with its documentation (rules: [tool.oshealth.release]).

    Exit codes: 0 ready; 1 not ready; 2 bad input (no release tag and no --since, unknown revision, bad version).
    """
    from oshealth.release import gate, render  # griffe loads only for this command

    formats = list(dict.fromkeys(f.value for f in output_format or [ReleaseFormat.TERMINAL]))
    targets = render.plan(formats, output, output_dir)
    report = gate.check(path, since=since, version=version, display_path=str(path))
    for name, target in targets.items():
        text = render.renderer(name)(report)
        if target is None:
            sys.stdout.write(text)
        else:
            write_atomic(target, text)
    return EXIT_OK if report.ready else EXIT_GATE


app.command("diff")(diff_command)

cache_app = typer.Typer(
    help="The cache of per-file results and history (<git dir>/oshealth, or $OSHEALTH_CACHE_DIR).",
    no_args_is_help=True,
)
app.add_typer(cache_app, name="cache")


@cache_app.command("clear")
def cache_clear(
    path: Annotated[Path, typer.Argument(help="A directory inside the git work tree.")] = Path("."),
) -> int:
    """Empty the cache of the repository at PATH (all of $OSHEALTH_CACHE_DIR's when that is set)."""
    directory = cachefile.cache_dir(GitRepository(path).common_dir)
    size = cachefile.clear(directory)
    database = directory / cachefile.DB_NAME
    typer.echo(f"cleared {database} ({size:,} bytes)" if size else f"no cache at {database}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``oshealth`` command; exits with a documented code."""
    collector.tune()
    configure_logging()
    sys.exit(run(argv))


def configure_logging() -> None:
    """Log to stderr at the level of ``OSHEALTH_LOG`` (default WARNING)."""
    level = os.environ.get("OSHEALTH_LOG", "WARNING").upper()
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if level != "DEBUG":
        # griffe logs every alias it cannot resolve in the audited code as an ERROR: data about the
        # repository, not a failure of the run (seen on click 8.1.8: six lines per release check)
        logging.getLogger("griffe").setLevel(logging.CRITICAL)


def run(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code instead of exiting."""
    try:
        result = app(args=argv, standalone_mode=False, prog_name="oshealth")
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.TyperException as exc:  # bad option or argument: typer prints usage and the problem
        return _usage_problem(exc)
    except (typer.Abort, KeyboardInterrupt):
        return _fail("interrupted", EXIT_INTERRUPTED)
    except (UsageError, GitError) as exc:  # git failures come from the repository given: bad input
        return _fail(str(exc), EXIT_USAGE)
    except Exception as exc:  # the last line of defence: one line, never a traceback
        logging.getLogger(__name__).debug("internal error", exc_info=True)
        return _fail(f"internal error: {type(exc).__name__}: {exc} (set OSHEALTH_LOG=debug for details)", EXIT_INTERNAL)
    if result == EXIT_INTERRUPTED:  # typer returns ^C as a silent 130 (no command returns it)
        return _fail("interrupted", EXIT_INTERRUPTED)
    return int(result or 0)


def _usage_problem(exc: typer.TyperException) -> int:
    """Show typer's usage message for a bad option or argument; the exit code is 2."""
    show = getattr(exc, "show", None)
    if callable(show):
        show()
        return EXIT_USAGE
    return _fail(str(exc), EXIT_USAGE)


def _fail(message: str, code: int) -> int:
    """Write a one-line error to stderr and return ``code``."""
    sys.stderr.write(f"oshealth: error: {message}\n")
    return code
