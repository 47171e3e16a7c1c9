"""Files analysed on several processes give exactly what one process gives."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from oshealth import config as config_module
from oshealth import facts, parallel
from oshealth.analysis import pyfile
from oshealth.audit import run_audit
from oshealth.cli import run
from oshealth.facts import RepoFacts
from oshealth.git import GitRepository
from oshealth.incremental import CollectStats
from tests.gitrepo import RepoBuilder

# an elif chain and a long sum nest thousands of levels deep: analysed on a big-stack thread (source.run_deep)
DEEP = "def f(x):\n    if x == 0:\n        return 0\n" + "".join(
    f"    elif x == {i}:\n        return {i}\n" for i in range(1, 3000)
) + "TOTAL = " + " + ".join(["1"] * 5000) + "\n"


def module(i: int) -> str:
    """A module of about 8 kB with documented and undocumented functions and a class."""
    body = "".join(
        f"\n\ndef f{j}(a, b):\n" + ('    """Doc."""\n' if j % 3 else "") + f"    if a > {j}:\n"
        f"        return [x for x in range(a) if x % {j + 2}]\n    return a or b\n"
        for j in range(40)
    )
    return f'"""Module {i}."""\n' + body + f"\n\nclass C{i}:\n    def method(self):\n        return {i}\n"


def build(builder: RepoBuilder) -> Path:
    """A repository with more source than :data:`parallel.PARALLEL_MIN_BYTES`, bad files among it."""
    files: dict[str, str | bytes] = {f"pkg/mod{i:02d}.py": module(i) for i in range(40)}
    files.update({
        "pkg/__init__.py": '"""Package."""\n',
        "pkg/deep.py": DEEP,
        "pkg/py2.py": "print 'hello'\n",
        "pkg/latin.py": b"# -*- coding: latin-1 -*-\n" + b'"""caf\xe9."""\n',
        "pkg/broken_utf8.py": b'"""\xff\xfe bad."""\n',
        "pkg/binary.py": b"\x00\x01\x02",
        "pkg/empty.py": "",
        "tests/test_mod.py": "def test_one():\n    assert 1\n\n\nclass TestTwo:\n    def test_a(self):\n        pass\n",
    })
    builder.commit(files)
    return builder.root


def collect(root: Path, jobs: int | None) -> tuple[RepoFacts, CollectStats]:
    """Collect facts without a cache on ``jobs`` processes."""
    repo = GitRepository(root)
    stats = CollectStats()
    return facts.collect(repo, config_module.load(repo.root), jobs=jobs, stats=stats), stats


def test_parallel_facts_equal_serial_facts(builder: RepoBuilder) -> None:
    root = build(builder)
    serial, one = collect(root, 1)
    spread, two = collect(root, 2)
    assert (one.workers, two.workers) == (0, 2)
    assert spread == serial
    deep = next(f for f in spread.python_files if f.path == "pkg/deep.py")
    assert deep.error is None and deep.complexity is not None  # the deep-stack thread works in a worker too
    errors = {f.path: f.error for f in spread.python_files if f.error}
    assert sorted(errors) == ["pkg/binary.py", "pkg/broken_utf8.py", "pkg/py2.py"]
    assert [f.path for f in spread.python_files] == sorted(f.path for f in spread.python_files)


def test_parallel_report_equals_serial_report_byte_for_byte(builder: RepoBuilder, tmp_path: Path) -> None:
    root = build(builder)
    reports = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}.json"
        assert run(["audit", str(root), "-f", "json", "-o", str(out), "--no-cache", "--jobs", jobs]) == 0
        reports.append(out.read_bytes())
    assert reports[0] == reports[1]


def test_progress_counts_files_and_commits_from_the_pool(builder: RepoBuilder) -> None:
    root = build(builder)
    messages: list[str] = []
    run_audit(root, progress=messages.append, use_cache=False, jobs=2)
    files = [m for m in messages if m.startswith("files: ")]
    assert files[-1] == "files: 48/48" and len(files) >= 2  # one message per finished chunk
    assert [int(m.split()[1].split("/")[0]) for m in files] == sorted(int(m.split()[1].split("/")[0]) for m in files)
    assert "commits: 1" in messages


def test_a_little_source_is_analysed_in_process(builder: RepoBuilder) -> None:
    builder.commit({f"m{i}.py": f"X = {i}\n" for i in range(30)})
    found, stats = collect(builder.root, 4)
    assert stats.workers == 0 and len(found.python_files) == 30
    assert parallel.workers_for([("a.py", b"x" * parallel.PARALLEL_MIN_BYTES)], 4) == 0  # one file: no pool
    two = [("a.py", b"x" * parallel.PARALLEL_MIN_BYTES), ("b.py", b"")]
    assert (parallel.workers_for(two, 4), parallel.workers_for(two, 1), parallel.workers_for(two, None) >= 0) == (
        2, 0, True
    )


def test_results_come_back_in_input_order_and_in_batches() -> None:
    files = [(f"m{i}.py", (module(i) if i % 5 == 0 else f"X = {i}\n").encode()) for i in range(90)]
    batches: list[list[str]] = []
    records = parallel.analyse_files(files, 2, lambda batch: batches.append([r.path for r in batch]))
    assert [r.path for r in records] == [path for path, _ in files]
    assert records == [pyfile.analyse(path, data) for path, data in files]
    assert sorted(p for batch in batches for p in batch) == sorted(p for p, _ in files)
    assert all(len(batch) <= parallel.CHUNK_FILES for batch in batches)


def test_chunks_start_with_the_largest_files() -> None:
    tasks = [(0, "a.py", b"x" * 10), (1, "b.py", b"x" * 300_000), (2, "c.py", b"x" * 20), (3, "d.py", b"")]
    assert [[t[0] for t in chunk] for chunk in parallel._chunks(tasks, sort=True)] == [[1], [2, 0, 3]]
    assert [[t[0] for t in chunk] for chunk in parallel._chunks(tasks, sort=False)] == [[0], [1], [2, 3]]


def workers_of(pid: int) -> list[int]:
    """The worker processes (``spawn`` children) of a process, from /proc."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    found = []
    for child in children:
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(int(child))
        except OSError:
            pass
    return found


def running(pid: int) -> bool:
    """Whether a process exists and has not exited (a zombie has)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def slow(builder: RepoBuilder) -> Path:
    """A repository whose analysis keeps two workers busy for a few seconds (deeply nested files)."""
    builder.commit({f"deep{i:02d}.py": DEEP + f"VARIANT = {i}\n" for i in range(20)})
    return builder.root


def start_pool(root: Path, out: Path) -> tuple[subprocess.Popen[bytes], list[int]]:
    """Start an audit on two processes and wait until its workers run."""
    command = [sys.executable, "-m", "oshealth", "audit", str(root), "--no-cache", "--jobs", "2", "-f", "json",
               "-o", str(out)]
    proc = subprocess.Popen(command, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while len(workers_of(proc.pid)) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    return proc, workers_of(proc.pid)


def gone(pids: list[int]) -> bool:
    """Wait up to 30 s for the processes to end; whether they did (those left are killed: no leak)."""
    deadline = time.monotonic() + 30
    while any(running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [p for p in pids if running(p)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return not left


def test_an_interrupt_stops_the_workers(builder: RepoBuilder, tmp_path: Path) -> None:
    proc, workers = start_pool(slow(builder), tmp_path / "report.json")
    assert len(workers) == 2
    os.kill(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and b"Traceback" not in err, err
    assert err.decode().splitlines()[-1] == "oshealth: error: interrupted"
    assert gone(workers) and not (tmp_path / "report.json").exists()


def test_workers_end_when_the_audit_is_killed(builder: RepoBuilder, tmp_path: Path) -> None:
    proc, workers = start_pool(slow(builder), tmp_path / "report.json")
    assert len(workers) == 2
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=60) == -signal.SIGKILL
    assert gone(workers)  # they would otherwise wait for work forever
