"""The docstring engines' shared records and process handling, and the ruff engine.

Each engine runs with every configuration file ignored and the convention
passed explicitly, one subprocess per chunk of paths (never one per file).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

#: ruff's code for a file it cannot read; selected so such files are reported, not skipped.
RUFF_IO_ERROR = "E902"
_D_RULE = re.compile(r"D\d{3}")


@dataclass(frozen=True)
class Violation:
    """One diagnostic of the engine.

    Attributes:
        code: The rule code (``D100``...), ``invalid-syntax`` or ``E902``.
        line: 1-based line.
        column: 1-based column (None for pydocstyle, which gives none).
        message: The engine's message.
    """

    code: str
    line: int
    column: int | None
    message: str


@dataclass(frozen=True)
class FileStyle:
    """The engine's verdict on one file.

    Attributes:
        violations: D rule violations, in the engine's order by line.
        errors: Diagnostics that are not D rules: syntax errors, unreadable file.
    """

    violations: tuple[Violation, ...] = ()
    errors: tuple[Violation, ...] = ()


class EngineError(Exception):
    """The engine could not run or its output could not be read."""



def chunks(paths: Sequence[str], budget: int) -> Iterator[list[str]]:
    """Split ``paths`` into runs whose total length (one separator each) fits ``budget``.

    Args:
        paths: The paths, in order.
        budget: Characters allowed per run for the paths.

    Yields:
        Consecutive non-empty slices of ``paths``; a path longer than the budget runs alone.
    """
    chunk: list[str] = []
    used = 0
    for path in paths:
        if chunk and used + len(path) + 1 > budget:
            yield chunk
            chunk, used = [], 0
        chunk.append(path)
        used += len(path) + 1
    if chunk:
        yield chunk


def execute(command: list[str], root: Path) -> subprocess.CompletedProcess[bytes]:
    """Run an engine's command in the work tree, with plain UTF-8 output.

    Args:
        command: The command and its arguments.
        root: The working directory.

    Returns:
        The finished process, whatever its exit status.

    Raises:
        EngineError: The command could not be started.
    """
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    try:
        return subprocess.run(command, cwd=root, env=env, stdin=subprocess.DEVNULL, capture_output=True, check=False)
    except OSError as exc:
        raise EngineError(f"cannot run {Path(command[0]).name}: {exc.strerror or exc}") from exc


def last_line(stderr: bytes) -> str:
    """Give the last non-blank line of an error output, for a one-line message.

    Args:
        stderr: The process's standard error.

    Returns:
        That line, or ``no message``.
    """
    lines = [line for line in stderr.decode("utf-8", errors="replace").splitlines() if line.strip()]
    return lines[-1].strip() if lines else "no message"


def _beside_interpreter() -> str | None:
    """The ruff binary in the interpreter's folder, if there is one.

    ``ruff.find_ruff_bin`` looks first in the interpreter's scripts folder,
    which is the interpreter's own folder in a virtual environment or a
    standard installation; looking there first spares importing ``sysconfig``
    (11 ms of every run that judges a file).
    """
    beside = os.path.join(os.path.dirname(sys.executable), "ruff")
    if sys.platform != "win32" and os.path.isfile(beside) and os.access(beside, os.X_OK):
        return beside
    return None


def _ruff_binary() -> str:
    """Locate the ruff binary installed with the ``ruff`` package.

    Returns:
        Its path.

    Raises:
        EngineError: ruff or its binary is missing.
    """
    beside = _beside_interpreter()
    if beside is not None:
        return beside
    try:
        import ruff

        return str(ruff.find_ruff_bin())
    except (ImportError, FileNotFoundError) as exc:
        raise EngineError(f"ruff's binary was not found: {exc}") from exc


def run_ruff(root: Path, paths: list[str], convention: str, budget: int) -> dict[str, FileStyle]:
    """Run ``ruff check --isolated --select D`` over ``paths``, in as few processes as fit.

    Args:
        root: The work tree.
        paths: Repository-relative files, sorted.
        convention: The pydocstyle convention to pass.
        budget: Characters of paths allowed per command line.

    Returns:
        Each path with diagnostics, by repository-relative path.

    Raises:
        EngineError: ruff failed or printed what cannot be read.
    """
    base = [_ruff_binary(), "check", "--isolated", "--no-cache", "--exit-zero", "--output-format", "json",
            "--select", f"D,{RUFF_IO_ERROR}", "--config", f'lint.pydocstyle.convention="{convention}"', "--"]
    by_name = _ruff_names(root, paths)
    found: dict[str, list[Violation]] = {}
    for chunk in chunks(paths, budget):
        done = execute(base + chunk, root)
        if done.returncode != 0:
            raise EngineError(f"ruff failed (exit {done.returncode}): {last_line(done.stderr)}")
        for filename, violation in _parse_ruff(done.stdout):
            path = by_name.get(filename) or _relative(root, filename)
            found.setdefault(path, []).append(violation)
    return {path: split(items) for path, items in found.items()}


def _ruff_names(root: Path, paths: list[str]) -> dict[str, str]:
    """Map the absolute names ruff prints back to repository-relative paths.

    Args:
        root: The work tree.
        paths: Repository-relative files.

    Returns:
        Normalised absolute name (real and as given) to relative path.
    """
    # ruff prints absolute names under the real (symlink-free) working directory
    names: dict[str, str] = {}
    for base in {os.path.realpath(root), os.path.abspath(root)}:
        names.update({os.path.normpath(os.path.join(base, p)): p for p in paths})
    return names


def _relative(root: Path, filename: str) -> str:
    """Make an absolute name ruff printed relative to the real work tree.

    Args:
        root: The work tree.
        filename: The absolute name.

    Returns:
        The POSIX-style relative path.
    """
    return Path(os.path.relpath(filename, os.path.realpath(root))).as_posix()


def _parse_ruff(stdout: bytes) -> Iterator[tuple[str, Violation]]:
    """Read ruff's JSON diagnostics.

    Args:
        stdout: ruff's output with ``--output-format json``.

    Yields:
        ``(normalised file name, violation)`` per diagnostic.

    Raises:
        EngineError: The output is not the JSON ruff writes.
    """
    try:
        records = json.loads(stdout.decode("utf-8"))
        for record in records:
            code = record.get("code") or "invalid-syntax"
            where = record.get("location") or {}
            violation = Violation(code, int(where.get("row") or 1), int(where.get("column") or 1), record["message"])
            yield os.path.normpath(record["filename"]), violation
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise EngineError(f"cannot read ruff's JSON output: {exc}") from exc


def split(items: Sequence[Violation]) -> FileStyle:
    """Sort a file's diagnostics and part D rules from other errors.

    Args:
        items: The file's diagnostics.

    Returns:
        The file's verdict.
    """
    ordered = sorted(items, key=lambda v: (v.line, v.column or 0, v.code, v.message))
    return FileStyle(
        tuple(v for v in ordered if _D_RULE.fullmatch(v.code)),
        tuple(v for v in ordered if not _D_RULE.fullmatch(v.code)),
    )
