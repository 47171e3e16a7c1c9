"""The pydocstyle engine: ``pydocstyle --convention=...`` over chunks of files, its report read.

pydocstyle is optional (``oshealth[pydocstyle]``) and deprecated; ruff's ``D``
rules are the default engine. The repository's own pydocstyle settings are
ignored: the convention is passed explicitly.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from oshealth.analysis import source
from oshealth.analysis.docstyle_engines import EngineError, FileStyle, Violation, chunks, execute, last_line, split

_PYDOCSTYLE_ERROR = re.compile(r"^\s+(D\d{3}): (.*)$")
_PYDOCSTYLE_BAD_FILE = "WARNING: Error in file "
_PYDOCSTYLE_HEADER_LINE = re.compile(r":(\d+) ")


def run(root: Path, paths: list[str], convention: str, budget: int) -> dict[str, FileStyle]:
    """Run ``pydocstyle --convention=...`` over ``paths``, with the repository's settings ignored.

    Args:
        root: The work tree.
        paths: Repository-relative files, sorted.
        convention: The convention to pass.
        budget: Characters of paths allowed per command line.

    Returns:
        Each path with diagnostics, by repository-relative path.

    Raises:
        EngineError: pydocstyle failed or crashed.
    """
    found: dict[str, list[Violation]] = {}
    readable = []
    for path in paths:
        problem = _undecodable(root / path)
        if problem:  # pydocstyle crashes on such files instead of reporting them
            found[path] = [Violation("E902", 1, None, problem)]
        else:
            readable.append(path)
    with tempfile.TemporaryDirectory(prefix="oshealth-pydocstyle-") as folder:
        settings = Path(folder, "pydocstyle.ini")
        settings.write_text("[pydocstyle]\n", encoding="utf-8")  # no discovery of the repo's files
        base = [sys.executable, "-m", "pydocstyle", f"--config={settings}", "--match=.*",
                f"--convention={convention}", "--"]
        for chunk in chunks(readable, budget):
            for path, violation in _run_once(base + chunk, root, chunk):
                found.setdefault(path, []).append(violation)
    return {path: split(items) for path, items in found.items()}


def _run_once(command: list[str], root: Path, chunk: list[str]) -> Iterator[tuple[str, Violation]]:
    """Run pydocstyle once and read its report.

    Args:
        command: The full command, ending with ``chunk``.
        root: The work tree.
        chunk: The files this run checks.

    Yields:
        ``(path, violation)`` per diagnostic.

    Raises:
        EngineError: pydocstyle exited abnormally or printed a traceback.
    """
    done = execute(command, root)
    stderr = done.stderr.decode("utf-8", errors="replace")
    if done.returncode not in (0, 1) or "Traceback (most recent call last)" in stderr:
        raise EngineError(f"pydocstyle failed (exit {done.returncode}): {last_line(done.stderr)}")
    yield from _parse_pydocstyle(done.stdout.decode("utf-8", errors="replace"), stderr, chunk)


def _undecodable(full: Path) -> str | None:
    """Say why a file cannot be read as Python source text.

    Args:
        full: The file's absolute path.

    Returns:
        The problem, or None when the file decodes.
    """
    try:
        data = full.read_bytes()
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    return source.decode(data)[1]


def _parse_pydocstyle(stdout: str, stderr: str, paths: list[str]) -> Iterator[tuple[str, Violation]]:
    """Read pydocstyle's report: violations from its output, unparsable files from its warnings.

    Args:
        stdout: pydocstyle's standard output.
        stderr: pydocstyle's standard error.
        paths: The files of the run (names are matched against them).

    Yields:
        ``(path, violation)`` per diagnostic, violations first.
    """
    known = set(paths)
    yield from _pydocstyle_violations(stdout.splitlines(), known)
    yield from _pydocstyle_bad_files(stderr.splitlines(), known)


def _pydocstyle_violations(lines: Iterable[str], known: set[str]) -> Iterator[tuple[str, Violation]]:
    """Read pydocstyle's ``<path>:<line> <definition>:`` headers and the violations under them.

    Args:
        lines: The lines of pydocstyle's standard output.
        known: The files of the run.

    Yields:
        ``(path, violation)`` per violation.
    """
    # cut each header at every ":<digits> " and look the head up, so that
    # names holding ":" or spaces are read right
    current: tuple[str, int] | None = None
    for line in lines:
        match = _PYDOCSTYLE_ERROR.match(line)
        if match and current:
            yield current[0], Violation(match[1], current[1], None, match[2])
            continue
        heads = ((line[: m.start()], int(m[1])) for m in _PYDOCSTYLE_HEADER_LINE.finditer(line))
        current = next((head for head in heads if head[0] in known), None)


def _pydocstyle_bad_files(lines: Iterable[str], known: set[str]) -> Iterator[tuple[str, Violation]]:
    """Read pydocstyle's ``WARNING: Error in file <path>: <reason>`` lines.

    Args:
        lines: The lines of pydocstyle's standard error.
        known: The files of the run.

    Yields:
        ``(path, invalid-syntax violation)`` per file pydocstyle could not parse.
    """
    for line in lines:
        if not line.startswith(_PYDOCSTYLE_BAD_FILE):
            continue
        rest = line[len(_PYDOCSTYLE_BAD_FILE) :]
        cut = next((m.start() for m in re.finditer(": ", rest) if rest[: m.start()] in known), None)
        if cut is not None:
            yield rest[:cut], Violation("invalid-syntax", 1, None, rest[cut + 2 :])
