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

The repository's own convention is read in :mod:`~oshealth.analysis.docstyle_config`;
the engines run in :mod:`~oshealth.analysis.docstyle_engines` (ruff) and
:mod:`~oshealth.analysis.docstyle_pydocstyle`.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from oshealth.analysis import docstyle_engines, docstyle_pydocstyle
from oshealth.analysis.docstyle_config import (
    CONVENTIONS,
    DEFAULT_CONVENTION,
    PYDOCSTYLE_SETTINGS,
    RUFF_SETTINGS,
    Setting,
    checked,
    detect_convention,
)
from oshealth.analysis.docstyle_engines import RUFF_IO_ERROR, EngineError, FileStyle, Violation

__all__ = [
    "CONVENTIONS", "DEFAULT_CONVENTION", "DEFAULT_ENGINE", "ENGINES", "MAX_COMMAND_CHARS", "PYDOCSTYLE_SETTINGS",
    "RUFF_IO_ERROR", "RUFF_SETTINGS", "DocstyleFacts", "EngineError", "FileStyle", "Violation", "chunks", "collect",
    "detect_convention",
]

ENGINES = ("ruff", "pydocstyle")
DEFAULT_ENGINE = "ruff"
#: Longest command line built (Windows' limit is 32767 characters).
MAX_COMMAND_CHARS = 30_000 if os.name == "nt" else 200_000


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
        identities: By path, a digest of everything a file's verdict depends on (its
            bytes, the engine and its version, the convention, the packages above it),
            when the verdicts were cached; a part worked out from a verdict is stored under it.
    """

    engine: str
    engine_version: str
    convention: str
    convention_source: str
    files: Mapping[str, FileStyle] = field(default_factory=dict)
    error: str | None = None
    identities: Mapping[str, str] = field(default_factory=dict, compare=False)


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
    if engine not in ENGINES:
        wanted = str(options.get("convention", ""))
        return DocstyleFacts(engine, "", wanted, "", error=f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    convention, origin, problem = _convention(root, files, engine, options)
    version = _version(engine)
    if problem:
        return DocstyleFacts(engine, version or "", convention, origin, error=f"{origin}: {problem}")
    if version is None:
        hint = "pip install 'oshealth[pydocstyle]'" if engine == "pydocstyle" else "reinstall oshealth"
        return DocstyleFacts(engine, "", convention, origin, error=f"{engine} is not installed ({hint})")
    return _judge(root, paths, DocstyleFacts(engine, version, convention, origin))


def _convention(root: Path, files: Sequence[str], engine: str, options: Mapping[str, Any]) -> Setting:
    """Choose the convention: the check's option, else the repository's settings, else the default.

    Args:
        root: The work tree.
        files: Every file of the work tree.
        engine: The engine that will run.
        options: The check's options.

    Returns:
        ``(convention, where, problem)`` as :func:`detect_convention` gives it.
    """
    wanted = str(options.get("convention", ""))
    if wanted:
        return checked(wanted, "check option 'convention'")
    return detect_convention(root, files, engine) or (DEFAULT_CONVENTION, "default", None)


def _judge(root: Path, paths: Sequence[str], facts: DocstyleFacts) -> DocstyleFacts:
    """Run the engine of ``facts`` over ``paths`` and record its verdicts.

    Args:
        root: The work tree.
        paths: Repository-relative Python files to check.
        facts: The facts so far (engine, version, convention), without files.

    Returns:
        ``facts`` with every path's verdict, or with the engine's failure as ``error``.
    """
    ordered = sorted(set(paths))
    if not ordered:
        return facts
    runner = docstyle_engines.run_ruff if facts.engine == "ruff" else docstyle_pydocstyle.run
    try:
        results = runner(root, ordered, facts.convention, MAX_COMMAND_CHARS)
    except EngineError as exc:
        return replace(facts, error=str(exc))
    return replace(facts, files={p: results.get(p, FileStyle()) for p in ordered})


def _version(engine: str) -> str | None:
    """Find the installed version of an engine.

    Args:
        engine: ``ruff`` or ``pydocstyle``.

    Returns:
        The package version, or None when the engine cannot be imported.
    """
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

    Returns:
        Consecutive non-empty slices of ``paths``.
    """
    return docstyle_engines.chunks(paths, MAX_COMMAND_CHARS if budget is None else budget)
