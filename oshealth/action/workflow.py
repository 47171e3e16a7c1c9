"""Talking to the Actions runner: workflow commands, step outputs, the job summary.

The formats follow GitHub's documentation ("Workflow commands for GitHub
Actions") and the reference implementation in ``@actions/core``:

- a workflow command is one line, ``::name key=value,key=value::message``.
  The message escapes ``%``, CR and LF (``%25``, ``%0D``, ``%0A``); property
  values escape ``:`` and ``,`` as well (``%3A``, ``%2C``), since those
  separate properties;
- step outputs are appended to the file named by ``GITHUB_OUTPUT`` as
  ``name<<DELIMITER`` / value / ``DELIMITER``, with a random delimiter that
  the value cannot contain, so multi-line values are safe;
- the job summary is Markdown appended to ``GITHUB_STEP_SUMMARY``; GitHub
  refuses a step summary over 1 MiB, so the text is cut on a line boundary
  below that, with a note saying so.

Text from the audited repository can reach the log (the terminal report
names its files); a line of it starting with ``::`` would be read as a
command. :meth:`Workflow.commands_stopped` wraps such output in
``::stop-commands::`` with a random token.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

#: GitHub's limit on one step's summary, in bytes.
SUMMARY_LIMIT = 1024 * 1024
_CUT_NOTE = "\n\n_The summary was cut to fit GitHub's 1 MiB limit; the full report is in the JSON file._\n"

PropertyValue = str | int | None


def escape_data(text: str) -> str:
    """Escape a workflow command's message (``%``, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (``%``, CR, LF, ``:``, ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, properties: Mapping[str, PropertyValue] | None = None) -> str:
    """One workflow command line (without its line end).

    Args:
        name: The command: ``error``, ``warning``, ``notice``, ``group``...
        message: Its message, escaped here.
        properties: ``file``, ``line``, ``title``...; None values are left out.

    Returns:
        The line, for example ``::error file=a.py,line=3,title=x::message``.
    """
    pairs = [f"{key}={escape_property(str(value))}" for key, value in (properties or {}).items() if value is not None]
    head = f"::{name} {','.join(pairs)}" if pairs else f"::{name}"
    return f"{head}::{escape_data(message)}"


def cut_utf8(text: str, limit: int, note: str) -> str:
    """``text`` if its UTF-8 form fits in ``limit`` bytes, else its longest whole-line prefix plus ``note``.

    Args:
        text: The text to fit.
        limit: Bytes available.
        note: Appended when the text is cut; its bytes count against the limit.

    Returns:
        Text whose UTF-8 encoding is at most ``limit`` bytes.
    """
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    room = max(0, limit - len(note.encode("utf-8")))
    head = data[:room].decode("utf-8", errors="ignore")  # never half a character
    if "\n" in head:
        head = head[: head.rindex("\n")]
    return (head + note).encode("utf-8")[:limit].decode("utf-8", errors="ignore")


class Workflow:
    """Where the action reports: the log (stdout), the outputs file and the summary file."""

    def __init__(self, output_path: Path | None, summary_path: Path | None, stream: TextIO | None = None) -> None:
        """Open no file yet: each output and summary line is appended when written.

        Args:
            output_path: ``GITHUB_OUTPUT``, or None outside Actions (outputs then go nowhere).
            summary_path: ``GITHUB_STEP_SUMMARY``, or None outside Actions.
            stream: The log; standard output by default.
        """
        self.output_path = output_path
        self.summary_path = summary_path
        self.stream = stream if stream is not None else sys.stdout

    def emit(self, name: str, message: str, properties: Mapping[str, PropertyValue] | None = None) -> None:
        """Write one workflow command to the log."""
        self.stream.write(command(name, message, properties) + "\n")
        self.stream.flush()

    def notice(self, message: str, title: str | None = None) -> None:
        """A notice annotation (shown on the run's page, never fails anything)."""
        self.emit("notice", message, {"title": title})

    def warning(self, message: str, title: str | None = None) -> None:
        """A warning annotation."""
        self.emit("warning", message, {"title": title})

    def error(self, message: str, title: str | None = None) -> None:
        """An error annotation (it does not by itself fail the step: the exit code does)."""
        self.emit("error", message, {"title": title})

    def log(self, text: str) -> None:
        """Plain text to the log."""
        self.stream.write(text if text.endswith("\n") else text + "\n")
        self.stream.flush()

    @contextmanager
    def commands_stopped(self) -> Iterator[None]:
        """Stop the runner from reading workflow commands in what is logged inside the block."""
        token = secrets.token_hex(16)
        self.log(f"::stop-commands::{token}")
        try:
            yield
        finally:
            self.log(f"::{token}::")

    def set_output(self, name: str, value: str) -> None:
        """Append a step output, multi-line safe (heredoc with a random delimiter)."""
        if self.output_path is None:
            return
        delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
        while delimiter in value:  # astronomically unlikely, but the format breaks if it happens
            delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
        with self.output_path.open("a", encoding="utf-8", newline="\n") as handle:
            handle.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")

    def add_summary(self, markdown: str) -> bool:
        """Append Markdown to the job summary, cut so the whole summary stays within 1 MiB.

        Returns:
            True when the text had to be cut (or there is no summary file).
        """
        if self.summary_path is None:
            return True
        used = self.summary_path.stat().st_size if self.summary_path.exists() else 0
        text = markdown if markdown.endswith("\n") else markdown + "\n"
        fitted = cut_utf8(text, max(0, SUMMARY_LIMIT - used), _CUT_NOTE)
        with self.summary_path.open("a", encoding="utf-8", newline="\n") as handle:
            handle.write(fitted)
        return fitted != text
