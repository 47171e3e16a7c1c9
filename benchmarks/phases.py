#!/usr/bin/env python3
"""Where one ``oshealth audit`` spends its time: wall-clock seconds per phase and per check.

Usage (from the repository to audit; every argument goes to ``oshealth``)::

    python /path/to/benchmarks/phases.py audit . --no-cache -f json -f html --output-dir out

The audit runs as usual in this process, with a timer around each phase of
the collection (Python files, history, docstring style, release history,
documents), the checks (each one), and the writing of the reports; the
seconds go to stderr, largest first. Phases that an oshealth version does not
have are left out. Worker processes are not timed one by one: the Python
files phase is the wall time the main process waits for them.
"""

from __future__ import annotations

import functools
import importlib
import sys
import time
from collections.abc import Callable
from typing import Any

PHASES = [
    ("oshealth.facts", "collect"),
    ("oshealth.facts", "_analyse_python"),
    ("oshealth.incremental", "read_history"),
    ("oshealth.history", "read_history"),
    ("oshealth.history", "read"),
    ("oshealth.incremental", "docstyle"),
    ("oshealth.facts", "_release_history"),
    ("oshealth.facts", "_read_documents"),
    ("oshealth.engine", "run"),
    ("oshealth.cli", "_write_reports"),
    ("oshealth.audit", "_render"),
    ("oshealth.audit", "_reuse"),
    ("oshealth.reportcache", "state"),
]
seconds: dict[str, float] = {}


def timed(label: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func``, adding its wall time to ``seconds[label]``."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            seconds[label] = seconds.get(label, 0.0) + time.perf_counter() - start

    return wrapper


def instrument() -> None:
    """Put the timers in place (on the module attributes the callers look up)."""
    for module_name, name in PHASES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        if hasattr(module, name):
            setattr(module, name, timed(f"{module_name}.{name}", getattr(module, name)))
    render: Any = importlib.import_module("oshealth.render")
    for fmt in getattr(render, "FORMATS", {}).values():
        module = importlib.import_module(f"oshealth.render.{fmt.module}")
        module.render = timed(f"render {fmt.name}", module.render)
    engine: Any = importlib.import_module("oshealth.engine")
    if hasattr(engine, "evaluate"):
        original = engine.evaluate

        def evaluate(check: Any, facts: Any) -> Any:
            return timed(f"check {check.id}", original)(check, facts)

        engine.evaluate = evaluate


def main(argv: list[str]) -> int:
    """Run ``oshealth`` with ``argv`` under the timers and print them."""
    instrument()
    from oshealth import cli

    start = time.perf_counter()
    code = 0
    try:
        cli.main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    seconds["total"] = time.perf_counter() - start
    for label, value in sorted(seconds.items(), key=lambda item: -item[1]):
        print(f"{value:8.2f} s  {label}", file=sys.stderr)
    return code


if __name__ == "__main__":  # the worker processes import this file as __mp_main__: they must not run it
    sys.exit(main(sys.argv[1:]))
