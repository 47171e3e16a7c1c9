"""oshealth's own code stays as clean as it asks others to be: lint, types, docstrings, complexity.

The tools run on this checkout's sources (not on an audited repository), with
the settings in ``pyproject.toml``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from radon.complexity import cc_visit
from radon.visitors import Class, Function

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("oshealth", "checks")
#: The highest cyclomatic complexity (radon's) a function of the engine or a check may have: rank A and B up to 10.
MOST_COMPLEX = 10


def _tool(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``python -m TOOL ARGS`` in the checkout, output captured."""
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_ruff_finds_nothing_in_the_sources_tests_and_benchmarks() -> None:
    done = _tool("ruff", "check", "--no-cache", *SOURCES, "tests", "benchmarks")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_finds_nothing(tmp_path: Path) -> None:
    done = _tool("mypy", "--cache-dir", str(tmp_path / "mypy"), *SOURCES)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_module_class_and_function_has_a_docstring() -> None:
    done = _tool("interrogate", "--fail-under", "100", "-v", *SOURCES)
    assert done.returncode == 0, done.stdout + done.stderr


def _functions(blocks: list[Function | Class]) -> list[Function]:
    """Every function in radon's blocks, methods and closures included (radon nests them)."""
    found: list[Function] = []
    for block in blocks:
        inner = block.methods if isinstance(block, Class) else block.closures
        found += ([block] if isinstance(block, Function) else []) + _functions(list(inner))
    return found


def test_no_function_is_more_complex_than_rank_b() -> None:
    functions = [
        (path.relative_to(ROOT), function)
        for source in SOURCES
        for path in sorted((ROOT / source).rglob("*.py"))
        for function in _functions(cc_visit(path.read_text(encoding="utf-8")))
    ]
    too_complex = [f"{path}:{f.lineno} {f.fullname} {f.complexity}"
                   for path, f in functions if f.complexity > MOST_COMPLEX]
    assert len(functions) > 900 and too_complex == []
