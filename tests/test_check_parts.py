"""complexity and docstring-style by parts: a re-audit after one change works out that file's part only.

Each test collects real facts with a real cache (as a cached audit does),
evaluates the checks with the parts memo in force, changes one file, and
evaluates again: the changed file's part is worked out, the others are read
(their records' heavy facts and their style verdicts never loaded), and the
results equal those of a run without any cache.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import pytest
from oshealth.checks.complexity import Complexity
from oshealth.checks.docstring_style import DocstringStyle

from oshealth import cachefile, facts, incremental, parts
from oshealth import config as config_module
from oshealth.analysis import complexity_tally, docstyle, docstyle_tally
from oshealth.cache import Cache
from oshealth.cli import run
from oshealth.facts import RepoFacts
from oshealth.git import GitRepository
from oshealth.models import Check, CheckResult
from tests.gitrepo import RepoBuilder

T = TypeVar("T")

BRANCHY = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(12))
FILES = {
    "pkg/__init__.py": '"""The package."""\n',
    "pkg/branchy.py": f'"""Branches."""\n\n\ndef pick(x):\n    """pick one"""\n{BRANCHY}    return -1\n',
    "pkg/plain.py": "def bare(y):\n    return y\n\n\nclass Box:\n    def get(self):\n        return 1\n",
    "pkg/broken.py": "def broken(:\n",
    "tests/test_box.py": "def test_box():\n    assert 1 + 1 == 2\n",
}
CHANGED = "pkg/plain.py"
OPTIONS: dict[str, Any] = {"checks": {"docstring-style": {"exclude-tests": True}}}


def collect(root: Path, cache: Cache | None, overrides: dict[str, Any] | None = None) -> RepoFacts:
    """The facts an audit collects, with or without the cache."""
    repo = GitRepository(root)
    return facts.collect(repo, config_module.load(repo.root, overrides), cache=cache, jobs=1)


def evaluate(check: Check, found: RepoFacts, cache: Cache | None) -> CheckResult:
    """The check's normalised result, with the parts memo in force when there is a cache."""
    memo = None if cache is None else parts.Memo(cache, incremental.settings_digest({"check": dict(check.options)}))
    with parts.using(memo):
        return check.evaluate(found).normalized(check.id)


def counted(module: Any, name: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths whose part ``module.name`` works out from now on, in call order."""
    calls: list[str] = []
    real: Callable[..., Any] = getattr(module, name)

    def counting(record: Any, *args: Any) -> Any:
        calls.append(record.path)
        return real(record, *args)

    monkeypatch.setattr(module, name, counting)
    return calls


class WatchedVerdicts(Mapping[str, T]):
    """The engine's verdicts, noting each one read."""

    def __init__(self, verdicts: Mapping[str, T]) -> None:
        """Watch ``verdicts``."""
        self.verdicts = verdicts
        self.read: list[str] = []

    def __getitem__(self, path: str) -> T:
        """A verdict, noted."""
        self.read.append(path)
        return self.verdicts[path]

    def __iter__(self) -> Iterator[str]:
        """The paths (reading no verdict)."""
        return iter(self.verdicts)

    def __len__(self) -> int:
        """How many verdicts."""
        return len(self.verdicts)

    def __contains__(self, path: object) -> bool:
        """Whether there is a verdict on ``path`` (reading none)."""
        return path in self.verdicts


def watched(found: RepoFacts) -> tuple[RepoFacts, WatchedVerdicts[docstyle.FileStyle]]:
    """The facts with their style verdicts watched."""
    assert found.docstyle is not None
    verdicts = WatchedVerdicts(found.docstyle.files)
    return replace(found, docstyle=replace(found.docstyle, files=verdicts)), verdicts


def heavy_loaded(found: RepoFacts) -> list[str]:
    """The files whose docstring or complexity facts were decoded."""
    return sorted(f.path for f in found.python_files if {"doc_nodes", "complexity"} & set(vars(f)))


def test_a_re_audit_after_one_change_works_out_that_files_parts_only(
    builder: RepoBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builder.commit(FILES)
    cache = Cache(tmp_path / "cache.sqlite")
    checks = (Complexity(), DocstringStyle({"exclude-tests": True}))
    first = [evaluate(check, collect(builder.root, cache, OPTIONS), cache) for check in checks]
    assert first == [evaluate(check, collect(builder.root, None, OPTIONS), None) for check in checks]
    builder.commit({CHANGED: FILES[CHANGED] + "\n\ndef more(z):\n    return z\n"})

    again, verdicts = watched(collect(builder.root, cache, OPTIONS))
    assert heavy_loaded(again) == [CHANGED]  # analysed again; the others read from the cache, not decoded
    figured = counted(complexity_tally, "file_figures", monkeypatch)
    styled = counted(docstyle_tally, "file_figures", monkeypatch)
    results = [evaluate(check, again, cache) for check in checks]
    assert figured == styled == verdicts.read == [CHANGED]
    assert heavy_loaded(again) == [CHANGED]
    monkeypatch.undo()
    assert results == [evaluate(check, collect(builder.root, None, OPTIONS), None) for check in checks]
    assert results != first
    assert results[0].metrics["blocks"] == 6 and results[0].metrics["over_threshold"] == 1
    assert results[1].metrics["test_files_excluded"] == 1 and results[1].metrics["files_not_parsed"] == 1
    cache.close()


def test_parts_are_worked_out_again_for_another_threshold_and_never_kept_without_a_style_identity(
    builder: RepoBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builder.commit(FILES)
    cache = Cache(tmp_path / "cache.sqlite")
    found = collect(builder.root, cache)
    figured = counted(complexity_tally, "file_figures", monkeypatch)
    # the memo's context is the same for both thresholds here: the parts' settings tell them apart
    memo_context = "same"
    with parts.using(parts.Memo(cache, memo_context)):
        loose = Complexity({"max-complexity": 10}).evaluate(found).normalized("complexity")
    with parts.using(parts.Memo(cache, memo_context)):
        strict = Complexity({"max-complexity": 1}).evaluate(found).normalized("complexity")
    assert len(figured) == 2 * 5
    assert (loose.metrics["over_threshold"], strict.metrics["over_threshold"]) == (1, 3)
    assert strict == evaluate(Complexity({"max-complexity": 1}), collect(builder.root, None), None)

    assert found.docstyle is not None
    anonymous = replace(found, docstyle=replace(found.docstyle, identities={}))
    styled = counted(docstyle_tally, "file_figures", monkeypatch)
    for _ in range(2):
        with parts.using(parts.Memo(cache, memo_context)):
            result = DocstringStyle().evaluate(anonymous).normalized("docstring-style")
    assert len(styled) == 2 * 5  # without the verdicts' identities no part is stored
    assert result == evaluate(DocstringStyle(), collect(builder.root, None), None)
    cache.close()


def test_the_audit_after_one_change_equals_an_audit_without_cache(builder: RepoBuilder) -> None:
    builder.commit(FILES)
    out = builder.root.parent / "report.json"

    def audit(*flags: str) -> bytes:
        assert run(["audit", str(builder.root), "-f", "json", "-o", str(out), "--jobs", "1", *flags]) == 0
        return out.read_bytes()

    audit()
    builder.commit({CHANGED: FILES[CHANGED] + "\n\ndef more(z):\n    '''no period'''\n    return z\n"})
    assert cachefile.cache_dir(GitRepository(builder.root).common_dir).exists()
    assert audit() == audit("--no-cache")
