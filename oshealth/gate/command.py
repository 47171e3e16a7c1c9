"""The ``oshealth diff`` command (registered on the CLI's app in :mod:`oshealth.cli`)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from oshealth.output import plan_outputs, write_atomic

EXIT_OK, EXIT_GATE = 0, 1


class DiffFormat(StrEnum):
    """Formats ``oshealth diff`` can write."""

    TERMINAL = "terminal"
    JSON = "json"
    MARKDOWN = "markdown"
    SARIF = "sarif"


def plan(formats: list[str], output: Path | None, output_dir: Path | None) -> dict[str, Path | None]:
    """Where each format goes: stdout (None), ``--output``, or its ``diff.*`` file in ``--output-dir``.

    Raises:
        UsageError: An ambiguous combination, or a missing folder.
    """
    from oshealth.gate.render import FILENAMES

    return plan_outputs(formats, output, output_dir, FILENAMES)


def diff(
    base: Annotated[str, typer.Argument(help="The branch, tag or commit the change is compared with.")],
    head: Annotated[str, typer.Argument(help="The revision holding the change.")] = "HEAD",
    path: Annotated[Path, typer.Option("--path", "-C", help="A directory inside the git work tree.")] = Path("."),
    output_format: Annotated[
        list[DiffFormat] | None, typer.Option("--format", "-f", help="Output format (repeatable).")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
    output_dir: Annotated[
        Path | None, typer.Option("--output-dir", help="Write every format's report (diff.*) into this folder.")
    ] = None,
    label: Annotated[
        list[str] | None, typer.Option("--label", help="A pull-request label (repeatable; skip labels skip rule 4).")
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show progress on stderr (only on a terminal).")] = True,
    cache: Annotated[
        bool, typer.Option("--cache/--no-cache", help="Let rule 6 (scores) reuse and store results in the cache.")
    ] = True,
) -> int:
    """Gate the change BASE...HEAD: docstrings, complexity, tests, changelog, docs, scores; exit 1 when it fails."""
    from rich.console import Console  # loaded for this command only: every other command starts without it
    from rich.markup import escape

    from oshealth.gate.render import render  # griffe loads only for this command
    from oshealth.gate.run import run_diff

    formats = list(dict.fromkeys(f.value for f in output_format or [DiffFormat.TERMINAL]))
    targets = plan(formats, output, output_dir)
    err = Console(stderr=True)
    if progress and err.is_terminal:
        with err.status("oshealth diff...") as status:
            report = run_diff(path, base, head, labels=label or (), display_path=str(path), use_cache=cache,
                              progress=lambda msg: status.update(escape(msg)))
    else:
        report = run_diff(path, base, head, labels=label or (), display_path=str(path), use_cache=cache)
    for name, target in targets.items():
        text = render(report, name)
        if target is None:
            sys.stdout.write(text)
        else:
            write_atomic(target, text)
    return EXIT_OK if report.passed else EXIT_GATE
