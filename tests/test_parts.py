"""Findings in blocks and per-file parts: the same results as plain lists, reused only when their inputs are."""

from __future__ import annotations

import contextlib
import pickle
import sqlite3
import zlib
from itertools import chain
from pathlib import Path

from oshealth import parts
from oshealth.cache import Cache
from oshealth.findinglist import FindingBlock, FindingList, blocks_of
from oshealth.models import CheckResult, Finding, Severity, Status

RAW = [
    Finding("b", "x.py", 3),
    Finding("a", "x.py", 1),
    Finding("same", "x.py", 9),
    Finding("n", "y.py", 2, Severity.NOTE),
    Finding("e", "y.py", 5, Severity.ERROR),
]
LOOSE = [Finding("same", "x.py", 4), Finding("repo-wide", None, None), Finding("z", "z.cfg", 1, Severity.NOTE)]


def normalized(findings: list[Finding]) -> tuple[Finding, ...]:
    """Findings as the engine leaves them."""
    return tuple(CheckResult(Status.PASS, 1.0, "", {}, findings).normalized("check").findings)


def test_blocks_cut_findings_by_severity_and_path_in_report_order() -> None:
    blocks = blocks_of(normalized(RAW))
    assert [(b.rank, b.path, len(b)) for b in blocks] == [(0, "y.py", 1), (1, "x.py", 3), (2, "y.py", 1)]
    assert [f.message for f in blocks[1]] == ["a", "b", "same"]


def test_loose_findings_merge_into_blocks_as_one_normalised_list() -> None:
    listed = FindingList(blocks_of(normalized(RAW)), LOOSE)
    merged = CheckResult(Status.PASS, 1.0, "", {}, listed).normalized("check").findings
    assert isinstance(merged, FindingList)
    assert merged == normalized(RAW + LOOSE)
    assert [f.message for f in merged][:5] == ["e", "repo-wide", "a", "b", "same"]
    # the second "same" of x.py is counted after the first, in line order: their fingerprints differ
    same = [f.fingerprint for f in merged if f.message == "same"]
    assert len(set(same)) == 2 and same[0] == normalized([Finding("same", "x.py", 4)])[0].fingerprint


def test_a_pickled_list_is_equal_and_decodes_a_block_only_when_read() -> None:
    listed = CheckResult(Status.PASS, 1.0, "", {}, FindingList(blocks_of(normalized(RAW)))).normalized("c").findings
    copy = pickle.loads(pickle.dumps(listed))
    assert isinstance(copy, FindingList) and isinstance(listed, FindingList)
    assert all(block._findings is None for block in copy.blocks)
    assert len(copy) == 5 and copy.severity_counts() == {Severity.ERROR: 1, Severity.WARNING: 3, Severity.NOTE: 1}
    assert all(block._findings is None for block in copy.blocks)
    assert copy == listed and list(copy) == list(listed)
    assert copy.blocks[1].key == FindingBlock.of(list(listed.blocks[1])).key


def test_parts_without_a_memo_are_worked_out_every_time() -> None:
    calls: list[str] = []

    def work(path: str) -> parts.FileWork[int]:
        def compute() -> tuple[int, list[Finding]]:
            calls.append(path)
            return len(path), [Finding("undocumented", path, 1)]
        return (path, "blob-" + path, compute)

    first = parts.per_file("check", "s", [work("a.py"), work("bb.py")])
    assert [p.value for p in first] == [4, 5] and calls == ["a.py", "bb.py"]
    assert [f.path for p in first for b in p.blocks for f in b] == ["a.py", "bb.py"]


def test_a_memo_reuses_the_parts_of_unchanged_inputs_only(tmp_path: Path) -> None:
    calls: list[str] = []

    def work(path: str, blob: str) -> parts.FileWork[str]:
        def compute() -> tuple[str, list[Finding]]:
            calls.append(path)
            return blob, [Finding(f"finding of {blob}", path, 2)]
        return (path, blob, compute)

    def run(items: list[parts.FileWork[str]], settings: str = "s") -> list[parts.FilePart[str]]:
        cache = Cache(tmp_path / "cache.sqlite")
        try:
            with parts.using(parts.Memo(cache, "context")):
                return parts.per_file("check", settings, items)
        finally:
            cache.close()

    cold = run([work("a.py", "1"), work("b.py", "2"), work("c.py", "")])
    assert calls == ["a.py", "b.py", "c.py"]
    calls.clear()
    again = run([work("a.py", "1"), work("b.py", "3"), work("c.py", "")])
    assert calls == ["b.py", "c.py"]  # an empty identity is never stored
    assert again[0].value == cold[0].value == "1" and again[1].value == "3"
    assert list(again[0].blocks[0]) == list(cold[0].blocks[0])
    calls.clear()
    run([work("a.py", "1")], settings="other")
    assert calls == ["a.py"]


def test_texts_are_rendered_once_per_block_and_kind(tmp_path: Path) -> None:
    blocks = blocks_of(normalized(RAW))
    rendered: list[str] = []

    def render(block: FindingBlock) -> str:
        rendered.append(block.path)
        return f"{block.path}:{len(block)}"

    assert parts.texts("kind", blocks, render) == ["y.py:1", "x.py:3", "y.py:1"]
    rendered.clear()
    for expected in (["y.py", "x.py", "y.py"], []):
        cache = Cache(tmp_path / "cache.sqlite")
        with parts.using(parts.Memo(cache, "context")):
            assert parts.texts("kind", blocks, render) == ["y.py:1", "x.py:3", "y.py:1"]
        cache.close()
        assert rendered == expected
        rendered.clear()


def test_scored_and_inconclusive_results_keep_a_finding_list_undecoded() -> None:
    stored = pickle.loads(pickle.dumps(FindingList(blocks_of(normalized(RAW)))))
    for result in (CheckResult.scored(5.0, "r", findings=stored), CheckResult.inconclusive("r", findings=stored)):
        assert result.findings is stored
    assert all(block._findings is None for block in stored.blocks)
    assert CheckResult.scored(5.0, "r", findings=list(RAW)).findings == tuple(RAW)


def test_parts_are_stored_uncompressed_and_a_damaged_one_is_worked_out_again(tmp_path: Path) -> None:
    calls: list[str] = []

    def compute() -> tuple[str, list[Finding]]:
        calls.append("a.py")
        return "value " * 50, [Finding("undocumented", "a.py", 1)]

    def run() -> list[parts.FilePart[str]]:
        cache = Cache(tmp_path / "cache.sqlite")
        try:
            with parts.using(parts.Memo(cache, "context")):
                return parts.per_file("check", "s", [("a.py", "blob", compute)])
        finally:
            cache.close()

    first = run()
    with sqlite3.connect(tmp_path / "cache.sqlite") as db:
        (stored,) = db.execute("SELECT value FROM entries WHERE kind = 'part'").fetchone()
    assert pickle.loads(zlib.decompress(stored)).value == "value " * 50
    assert len(stored) > len(pickle.dumps(first[0], protocol=pickle.HIGHEST_PROTOCOL))  # level 0: not compressed
    with contextlib.closing(sqlite3.connect(tmp_path / "cache.sqlite")) as db, db:
        rows = db.execute("SELECT kind, key, value FROM entries WHERE kind IN ('part', 'parts')").fetchall()
        assert sorted(kind for kind, _, _ in rows) == ["part", "parts"]  # the part, and its run
        for kind, key, value in rows:  # both damaged: neither is read
            damaged = value[:40] + bytes([value[40] ^ 0xFF]) + value[41:]
            db.execute("UPDATE entries SET value = ? WHERE kind = ? AND key = ?", (damaged, kind, key))
    assert run()[0].value == first[0].value and calls == ["a.py", "a.py"]


def test_joined_runs_are_read_whole_and_only_the_changed_run_is_made_again(tmp_path: Path) -> None:
    def blocks(changed: str) -> list[FindingBlock]:
        found = [Finding(f"finding {n}" + (changed if n == 150 else ""), f"f{n:03}.py", 1) for n in range(300)]
        return blocks_of(normalized(found))

    rendered: list[str] = []

    def render(block: FindingBlock) -> str:
        rendered.append(block.path)
        first: Finding = block[0]
        return first.message

    def run(items: list[FindingBlock]) -> str:
        store = Cache(tmp_path / "cache.sqlite")
        try:
            with parts.using(parts.Memo(store, "context")):
                return parts.joined("kind", items, render, ", ")
        finally:
            store.close()

    first, second = blocks(""), blocks(" changed")
    assert run(first) == ", ".join(f.message for f in normalized(list(chain.from_iterable(first))))
    assert len(rendered) == 300
    rendered.clear()
    assert run(first) == parts.joined("kind", first, render, ", ") and len(rendered) == 300  # the second: no memo
    rendered.clear()
    assert run(second) == ", ".join(block[0].message for block in second)
    assert rendered == ["f150.py"]  # the other blocks of its run read as texts, the other runs whole
    runs = parts._runs(second)
    assert 3 <= len(runs) < 60 and [b for run in runs for b in run] == second
