"""Docstring style facts: pydocstyle's rules, run by ruff (or pydocstyle) once over the files.

ruff's ``D`` rules are the default engine: they implement pydocstyle's rules
and conventions, and pydocstyle itself is deprecated and far slower. The
engine runs as one subprocess per chunk of paths (never one per file), with
every configuration file ignored and the convention passed explicitly, so the
result equals ``ruff check --isolated --select D`` (or ``pydocstyle
--convention=...``) by hand on the same files.

A file's record depends only on its path, its bytes, the convention and the
engine's version, plus (for ruff) whether its parent folders are packages:
ruff treats a module under a ``_private`` package as private, which changes
the D1xx results. That is what a cache key must hold.
"""

from __future__ import annotations

import configparser
import importlib.metadata
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oshealth.analysis import source

ENGINES = ("ruff", "pydocstyle")
CONVENTIONS = ("pep257", "numpy", "google")
DEFAULT_ENGINE = "ruff"
#: The convention pydocstyle applies when nothing is configured.
DEFAULT_CONVENTION = "pep257"
#: Longest command line built (Windows' limit is 32767 characters).
MAX_COMMAND_CHARS = 30_000 if os.name == "nt" else 200_000
#: ruff's code for a file it cannot read; selected so such files are reported, not skipped.
RUFF_IO_ERROR = "E902"
_PYDOCSTYLE_ERROR = re.compile(r"^\s+(D\d{3}): (.*)$")
_PYDOCSTYLE_BAD_FILE = "WARNING: Error in file "
#: ruff's configuration files in its order of precedence (pyproject.toml only with [tool.ruff]).
RUFF_SETTINGS = (".ruff.toml", "ruff.toml", "pyproject.toml")
#: pydocstyle's configuration files in its order of precedence (``PROJECT_CONFIG_FILES``).
PYDOCSTYLE_SETTINGS = (
    "setup.cfg", "tox.ini", ".pydocstyle", ".pydocstyle.ini", ".pydocstylerc", ".pydocstylerc.ini", "pyproject.toml",
    ".pep257",
)


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


@dataclass(frozen=True)
class DocstyleFacts:
    """Docstring style of every Python file, as one engine and convention judge it.

    Attributes:
        engine: ``ruff`` or ``pydocstyle``.
        engine_version: The engine's package version.
        convention: ``pep257``, ``numpy`` or ``google``.
        convention_source: Where the convention came from (an option, a file, the default).
        files: Each file handed to the engine, by repository-relative path, sorted.
        error: Why the engine could not run at all, else None.
    """

    engine: str
    engine_version: str
    convention: str
    convention_source: str
    files: Mapping[str, FileStyle] = field(default_factory=dict)
    error: str | None = None


def collect(root: Path, paths: Sequence[str], files: Sequence[str], options: Mapping[str, Any]) -> DocstyleFacts:
    """Run the configured engine once over ``paths``.

    Args:
        root: The work tree.
        paths: Repository-relative Python files to check.
        files: Every file of the work tree (to find the repository's own settings).
        options: The docstring-style check's options (``engine``, ``convention``).

    Returns:
        The facts; a failing engine is recorded in ``error``, never raised.
    """
    engine = str(options.get("engine", DEFAULT_ENGINE))
    wanted = str(options.get("convention", ""))
    if engine not in ENGINES:
        return DocstyleFacts(engine, "", wanted, "", error=f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    if wanted:
        convention, origin, problem = _checked(wanted, "check option 'convention'")
    else:
        convention, origin, problem = detect_convention(root, files, engine) or (DEFAULT_CONVENTION, "default", None)
    version = _version(engine)
    if problem:
        return DocstyleFacts(engine, version or "", convention, origin, error=f"{origin}: {problem}")
    if version is None:
        hint = "pip install 'oshealth[pydocstyle]'" if engine == "pydocstyle" else "reinstall oshealth"
        return DocstyleFacts(engine, "", convention, origin, error=f"{engine} is not installed ({hint})")
    ordered = sorted(set(paths))
    if not ordered:
        return DocstyleFacts(engine, version, convention, origin)
    runner = _run_ruff if engine == "ruff" else _run_pydocstyle
    try:
        results = runner(root, ordered, convention)
    except EngineError as exc:
        return DocstyleFacts(engine, version, convention, origin, error=str(exc))
    return DocstyleFacts(engine, version, convention, origin, {p: results.get(p, FileStyle()) for p in ordered})


def detect_convention(root: Path, files: Sequence[str], engine: str) -> tuple[str, str, str | None] | None:
    """Find the convention set in the repository's own ruff or pydocstyle settings.

    Only the root folder's files count. Each tool's settings are read as the
    tool reads them: its first configuration file (in its order of precedence)
    decides, whether or not it sets a convention. The settings of ``engine``
    win over the other tool's.

    Args:
        root: The work tree.
        files: Every file of the work tree (untracked ignored files do not count).
        engine: The engine that will run.

    Returns:
        ``(convention, where, problem)``, where ``problem`` says why the value is
        not a known convention (else None); or None when nothing is set.
    """
    present = set(files)
    finders = [_ruff_setting, _pydocstyle_setting]
    if engine == "pydocstyle":
        finders.reverse()
    for finder in finders:
        found = finder(root, present)
        if found:
            return found
    return None


def _checked(value: object, where: str) -> tuple[str, str, str | None]:
    text = str(value)
    problem = None if text in CONVENTIONS else f"unknown convention {text!r} (known: {', '.join(CONVENTIONS)})"
    return text, where, problem


def _read_toml(path: Path) -> dict[str, Any] | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None  # a broken file configures nothing; the tool would reject it too


def _table(table: Any, *keys: str) -> dict[str, Any] | None:
    for key in keys:
        table = table.get(key) if isinstance(table, dict) else None
    return table if isinstance(table, dict) else None


def _ruff_setting(root: Path, present: set[str]) -> tuple[str, str, str | None] | None:
    for name in RUFF_SETTINGS:
        table = _read_toml(root / name) if name in present else None
        prefix = "tool.ruff." if name == "pyproject.toml" else ""
        if prefix and table is not None:
            table = _table(table, "tool", "ruff")
        if table is None:
            continue
        for keys in (("lint", "pydocstyle"), ("pydocstyle",)):
            section = _table(table, *keys)
            if section is not None and "convention" in section:
                return _checked(section["convention"], f"{name} [{prefix}{'.'.join(keys)}]")
        return None
    return None


def _pydocstyle_setting(root: Path, present: set[str]) -> tuple[str, str, str | None] | None:
    for name in PYDOCSTYLE_SETTINGS:
        found = _pydocstyle_section(root / name) if name in present else None
        if found is None:
            continue
        section, label = found
        return _checked(section["convention"], f"{name} [{label}]") if "convention" in section else None
    return None


def _pydocstyle_section(path: Path) -> tuple[Mapping[str, Any], str] | None:
    if path.name.endswith(".toml"):
        table = _read_toml(path) or {}
        for name in ("pydocstyle", "pep257"):
            section = _table(table, "tool", name)
            if section is not None:
                return section, f"tool.{name}"
        return None
    parser = configparser.RawConfigParser(inline_comment_prefixes=("#", ";"))
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return None
    for name in ("pydocstyle", "pep257"):
        if parser.has_section(name):
            return dict(parser.items(name)), name
    return None


class EngineError(Exception):
    """The engine could not run or its output could not be read."""


def _version(engine: str) -> str | None:
    try:
        if importlib.util.find_spec(engine) is None:
            return None
        return importlib.metadata.version(engine)
    except (ImportError, ValueError):  # ValueError: blocked in sys.modules
        return None


def chunks(paths: Sequence[str], budget: int | None = None) -> Iterator[list[str]]:
    """Split ``paths`` into runs whose total length (one separator each) fits ``budget``.

    Args:
        paths: The paths, in order.
        budget: Characters allowed per run for the paths (default :data:`MAX_COMMAND_CHARS`).

    Yields:
        Consecutive non-empty slices of ``paths``.
    """
    budget = MAX_COMMAND_CHARS if budget is None else budget
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


def _execute(command: list[str], root: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    try:
        return subprocess.run(command, cwd=root, env=env, stdin=subprocess.DEVNULL, capture_output=True, check=False)
    except OSError as exc:
        raise EngineError(f"cannot run {Path(command[0]).name}: {exc.strerror or exc}") from exc


def _tail(stderr: bytes) -> str:
    lines = [line for line in stderr.decode("utf-8", errors="replace").splitlines() if line.strip()]
    return lines[-1].strip() if lines else "no message"


def _run_ruff(root: Path, paths: list[str], convention: str) -> dict[str, FileStyle]:
    try:
        import ruff

        binary = str(ruff.find_ruff_bin())
    except (ImportError, FileNotFoundError) as exc:
        raise EngineError(f"ruff's binary was not found: {exc}") from exc
    base = [binary, "check", "--isolated", "--no-cache", "--exit-zero", "--output-format", "json",
            "--select", f"D,{RUFF_IO_ERROR}", "--config", f'lint.pydocstyle.convention="{convention}"', "--"]
    by_name = _ruff_names(root, paths)
    found: dict[str, list[Violation]] = {}
    for chunk in chunks(paths):
        done = _execute(base + chunk, root)
        if done.returncode != 0:
            raise EngineError(f"ruff failed (exit {done.returncode}): {_tail(done.stderr)}")
        for filename, violation in _parse_ruff(done.stdout):
            path = by_name.get(filename) or _relative(root, filename)
            found.setdefault(path, []).append(violation)
    return {path: _split(items) for path, items in found.items()}


def _ruff_names(root: Path, paths: list[str]) -> dict[str, str]:
    # ruff prints absolute names under the real (symlink-free) working directory
    names: dict[str, str] = {}
    for base in {os.path.realpath(root), os.path.abspath(root)}:
        names.update({os.path.normpath(os.path.join(base, p)): p for p in paths})
    return names


def _relative(root: Path, filename: str) -> str:
    return Path(os.path.relpath(filename, os.path.realpath(root))).as_posix()


def _parse_ruff(stdout: bytes) -> Iterator[tuple[str, Violation]]:
    try:
        records = json.loads(stdout.decode("utf-8"))
        for record in records:
            code = record.get("code") or "invalid-syntax"
            where = record.get("location") or {}
            violation = Violation(code, int(where.get("row") or 1), int(where.get("column") or 1), record["message"])
            yield os.path.normpath(record["filename"]), violation
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise EngineError(f"cannot read ruff's JSON output: {exc}") from exc


def _split(items: Sequence[Violation]) -> FileStyle:
    ordered = sorted(items, key=lambda v: (v.line, v.column or 0, v.code, v.message))
    return FileStyle(
        tuple(v for v in ordered if re.fullmatch(r"D\d{3}", v.code)),
        tuple(v for v in ordered if not re.fullmatch(r"D\d{3}", v.code)),
    )


def _run_pydocstyle(root: Path, paths: list[str], convention: str) -> dict[str, FileStyle]:
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
        for chunk in chunks(readable):
            done = _execute(base + chunk, root)
            stderr = done.stderr.decode("utf-8", errors="replace")
            if done.returncode not in (0, 1) or "Traceback (most recent call last)" in stderr:
                raise EngineError(f"pydocstyle failed (exit {done.returncode}): {_tail(done.stderr)}")
            for path, violation in _parse_pydocstyle(done.stdout.decode("utf-8", errors="replace"), stderr, chunk):
                found.setdefault(path, []).append(violation)
    return {path: _split(items) for path, items in found.items()}


def _undecodable(full: Path) -> str | None:
    try:
        data = full.read_bytes()
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    return source.decode(data)[1]


def _parse_pydocstyle(stdout: str, stderr: str, paths: list[str]) -> Iterator[tuple[str, Violation]]:
    # headers are "<path>:<line> <definition>:"; cut at each ":<digits> " and
    # look the head up, so that names holding ":" or spaces are read right
    known = set(paths)
    current: tuple[str, int] | None = None
    for line in stdout.splitlines():
        match = _PYDOCSTYLE_ERROR.match(line)
        if match and current:
            yield current[0], Violation(match[1], current[1], None, match[2])
            continue
        heads = ((line[: m.start()], int(m[1])) for m in re.finditer(r":(\d+) ", line))
        current = next((head for head in heads if head[0] in known), None)
    for line in stderr.splitlines():
        if not line.startswith(_PYDOCSTYLE_BAD_FILE):
            continue
        rest = line[len(_PYDOCSTYLE_BAD_FILE) :]
        cut = next((m.start() for m in re.finditer(": ", rest) if rest[: m.start()] in known), None)
        if cut is not None:
            yield rest[:cut], Violation("invalid-syntax", 1, None, rest[cut + 2 :])
