#!/usr/bin/env python3
"""Benchmark oshealth against the physical floor and against its peers, in one run.

Usage::

    python benchmarks/run.py [options] REPO [REPO ...]

Each REPO (a work tree or a bare repository) is cloned into a temporary
folder, so nothing of it is touched; every command runs in the clone. In
each round, every measurement runs once, in this order (alternation: a slow
spell of the machine hits all of them alike), and the medians over the
rounds are reported:

- ``floor_ast``: one ``ast.parse`` of every ``*.py`` file (a fresh Python,
  as in ``shared/bench/peers.sh``), and ``floor_log``: one ``git log -z
  --name-status -M`` pass over the history (oshealth's own log format).
  The floor is their sum.
- ``cold``: ``oshealth audit --no-cache`` writing every format; ``warm``: the
  same with the cache filled and nothing changed; ``one_change``: the same
  after one Python file was changed and committed (a new blob and a new
  commit each round, undone afterwards).
- ``diff``: ``oshealth diff HEAD~1 HEAD`` on such a small change (an empty
  cache folder each time, as on a CI runner).
- the peers that compute the same things: interrogate, radon cc, radon mi,
  ruff's D rules, and the PyPI ``truckfactor`` package.

Every run is a fresh process with a wall-clock cap (``--cap``; a capped run
counts as the cap and is flagged, so sums including it are lower bounds).
Memory: the peak resident set of the largest process of the run (``wait4``)
and, for oshealth, the peak of the sum of proportional set sizes over its process tree (sampled every
20 ms from ``/proc``, Linux only).

The report prints a Markdown table per repository, then the issue's ratios
with their targets: cold / floor <= 1.5, peers / cold >= 10, warm / cold <=
0.05, one change / cold <= 0.10, peak memory <= 500 MB, and, with several
repositories, each one's diff time over the smallest one's (about 1 when
the cost follows the change, not the repository). ``--json`` keeps every
measurement.

Only the standard library is used; the tools are found in ``--bin`` (default:
the folder of the Python running this script).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

FORMATS = ("terminal", "json", "markdown", "html", "sarif", "badge", "shields")
PEERS = ("interrogate", "radon_cc", "radon_mi", "ruff_D", "truckfactor")
TARGETS = {"cold_over_floor": 1.5, "peers_over_cold": 10.0, "warm_over_cold": 0.05, "change_over_cold": 0.10,
           "peak_mb": 500.0}
AST_FLOOR = (
    "import ast,os\n"
    "n=e=0\n"
    "for d,ds,fs in os.walk('.'):\n"
    "    ds[:]=[x for x in ds if not x.startswith('.')]\n"
    "    for f in fs:\n"
    "        if f.endswith('.py'):\n"
    "            n+=1\n"
    "            try: ast.parse(open(os.path.join(d,f),'rb').read())\n"
    "            except (SyntaxError,ValueError): e+=1\n"
    "print(n,'files',e,'unparsable')\n"
)
LOG_FORMAT = "--format=%x1e%H%x1f%P%x1f%aN%x1f%aE%x1f%at%x1f%s"
CHANGE = (
    '\n\ndef oshealth_benchmark_change_{n}(value):\n    """Return the value unchanged ({n})."""\n    return value\n'
)


@dataclass
class Run:
    """One timed process."""

    wall: float
    cpu: float
    rss_mb: float
    tree_mb: float
    rc: int
    capped: bool


@dataclass
class Measure:
    """The runs of one measurement."""

    name: str
    command: str
    runs: list[Run] = field(default_factory=list)

    @property
    def wall(self) -> float:
        """Median wall-clock seconds."""
        return statistics.median(r.wall for r in self.runs)

    @property
    def capped(self) -> bool:
        """Whether a run hit the cap."""
        return any(r.capped for r in self.runs)

    @property
    def peak_mb(self) -> float:
        """The largest memory figure seen (tree sum when sampled, else the largest process)."""
        return max(max(r.rss_mb, r.tree_mb) for r in self.runs)

    def row(self) -> str:
        """A Markdown table row."""
        walls = [r.wall for r in self.runs]
        wall = f">= {self.wall:.2f} (capped)" if self.capped else f"{self.wall:.2f}"
        tree = max(r.tree_mb for r in self.runs)
        return (f"| {self.name} | {wall} | {min(walls):.2f}-{max(walls):.2f} | "
                f"{statistics.median(r.cpu for r in self.runs):.2f} | {max(r.rss_mb for r in self.runs):.0f} | "
                f"{tree:.0f} | {self.runs[-1].rc} | {len(self.runs)} |")


def _tree_rss_mb(pid: int) -> float:
    """The memory of a process and all its descendants, in MiB (0 where /proc is missing).

    Each process counts its proportional set size (``Pss`` of ``/proc/PID/smaps_rollup``):
    pages shared between processes are split among them. A sum of resident sets would
    count them once per process, and a child between ``fork`` and ``exec`` shares all
    of its parent's pages (a git command started by a 300 MB process looked 300 MB large).

    A child whose command line is still its parent's has not reached ``exec`` yet and
    counts 0: Python starts commands with ``vfork``, whose child runs on its parent's
    very memory until ``exec`` and shows the parent's whole ``Pss`` as its own (a cold
    sympy audit showed three 170 MB copies of itself while its threads started git).
    """
    total, pending, seen = 0.0, [(pid, "")], set()
    while pending:
        current, parent_cmdline = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            cmdline = _cmdline(current)
            if cmdline != parent_cmdline:
                total += _pss_kib(current) * 1024
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    pending.extend((int(child), cmdline) for child in handle.read().split())
        except (OSError, ValueError):
            continue
    return total / 2**20


def _cmdline(pid: int) -> str:
    """A process's command line as ``/proc`` gives it (NUL-separated)."""
    with open(f"/proc/{pid}/cmdline", "rb") as handle:
        return handle.read().decode("utf-8", "replace")


def _pss_kib(pid: int) -> int:
    """A process's proportional set size in KiB (its resident set where smaps_rollup is missing)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    with open(f"/proc/{pid}/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def run_once(argv: list[str], cwd: Path, env: dict[str, str], cap: float, out: Path, sample: bool) -> Run:
    """Run a command to the end or to the cap, timing it and measuring its memory.

    Args:
        argv: The command.
        cwd: Its working folder.
        env: Its environment.
        cap: Seconds after which its process group is killed.
        out: Where its output goes.
        sample: Sample the memory of its process tree.

    Returns:
        The run's figures.
    """
    peak = [0.0]
    with open(out, "wb") as sink:
        start = time.monotonic()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        done = threading.Event()
        capped = [False]

        def watch() -> None:
            """Every 20 ms until the run ends: sample its memory if asked, and kill it past the cap."""
            while not done.wait(0.02):
                if sample:
                    peak[0] = max(peak[0], _tree_rss_mb(proc.pid))
                if time.monotonic() - start > cap:
                    capped[0] = True
                    os.killpg(proc.pid, 9)
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            os.killpg(proc.pid, 9)  # interrupted: leave no run behind
            raise
        finally:
            done.set()
        wall = time.monotonic() - start
        watcher.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, peak[0], proc.returncode, capped[0])


def git(clone: Path, *args: str) -> str:
    """Run git in the clone (fixed identity and dates, so commits need no configuration)."""
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.org",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.org")
    return subprocess.run(["git", "-C", str(clone), *args], check=True, capture_output=True, text=True,
                          env=env).stdout


def pick_file(clone: Path) -> str:
    """The Python file the one-change scenario edits: the median-sized tracked one outside tests."""
    files = [p for p in git(clone, "ls-files", "*.py").split("\n") if p and "test" not in p]
    files.sort(key=lambda p: ((clone / p).stat().st_size, p))
    return files[len(files) // 2]


class Bench:
    """The measurements of one repository."""

    def __init__(self, repo: Path, args: argparse.Namespace, work: Path) -> None:
        """Clone the repository into a folder of its own and choose the file the one-change scenario edits.

        Args:
            repo: The repository (a work tree or a bare one).
            args: The command line.
            work: The benchmark's temporary folder.
        """
        self.args = args
        self.name = repo.name if repo.name != "repo" else repo.parent.name
        self.work = work / self.name
        self.clone = self.work / "clone"
        self.outputs = self.work / "outputs"
        self.outputs.mkdir(parents=True)
        subprocess.run(["git", "clone", "-q", str(repo), str(self.clone)], check=True)
        self.head = git(self.clone, "rev-parse", "HEAD").strip()
        self.changed = pick_file(self.clone)
        self.cache = self.work / "cache"
        self.env = dict(os.environ, OSHEALTH_CACHE_DIR=str(self.cache), NO_COLOR="1", PYTHONDONTWRITEBYTECODE="1")
        self.measures: dict[str, Measure] = {}
        self.round = 0

    def tool(self, name: str) -> str:
        """The path of an executable in ``--bin``."""
        return str(Path(self.args.bin) / name)

    def oshealth(self, *args: str) -> list[str]:
        """An oshealth command line."""
        jobs = ["--jobs", str(self.args.jobs)] if self.args.jobs and args[0] == "audit" else []
        return [*shlex.split(self.args.oshealth), *args, *jobs]

    def audit(self, *extra: str) -> list[str]:
        """``oshealth audit`` of the clone writing every format."""
        formats = [arg for f in FORMATS for arg in ("-f", f)]
        return self.oshealth("audit", ".", *formats, "--output-dir", str(self.outputs), "--no-progress", *extra)

    def measure(self, name: str, argv: list[str], *, cwd: Path | None = None, sample: bool = False,
                env: dict[str, str] | None = None) -> None:
        """Run one measurement once and record it."""
        entry = self.measures.setdefault(name, Measure(name, shlex.join(argv)))
        if entry.capped:
            return  # a capped measurement is not repeated
        out = self.work / f"{name}.out"
        entry.runs.append(run_once(argv, cwd or self.clone, env or self.env, self.args.cap, out, sample))
        print(f"  {self.name} round {self.round}: {name} {entry.runs[-1].wall:.2f}s", file=sys.stderr, flush=True)

    def commit_change(self) -> None:
        """Change one Python file (a new function, new each round) and commit it."""
        with open(self.clone / self.changed, "a", encoding="utf-8") as handle:
            handle.write(CHANGE.format(n=f"{os.getpid()}_{self.round}"))
        git(self.clone, "commit", "-q", "-am", f"benchmark change {self.round}")

    def undo_change(self) -> None:
        """Back to the original HEAD."""
        git(self.clone, "reset", "-q", "--hard", self.head)

    def prime(self) -> None:
        """Fill the cache (and the page cache) with one untimed audit."""
        shutil.rmtree(self.cache, ignore_errors=True)
        run_once(self.audit(), self.clone, self.env, self.args.cap, self.work / "prime.out", False)

    def one_round(self) -> None:
        """Every measurement once."""
        self.round += 1
        self.measure("floor_ast", [sys.executable, "-c", AST_FLOOR])
        self.measure("floor_log", ["git", "log", "-z", "--name-status", "-M", LOG_FORMAT, "HEAD", "--"])
        self.measure("cold", self.audit("--no-cache"), sample=True)
        self.measure("warm", self.audit(), sample=True)
        self.commit_change()
        try:
            self.measure("one_change", self.audit(), sample=True)
            fresh = self.work / f"diff-cache-{self.round}"
            self.measure("diff", self.oshealth("diff", "HEAD~1", "HEAD", "--no-progress"), sample=True,
                         env=dict(self.env, OSHEALTH_CACHE_DIR=str(fresh)))
            shutil.rmtree(fresh, ignore_errors=True)
        finally:
            self.undo_change()
        for peer in self.args.peers:
            self.peer(peer)

    def peer(self, name: str) -> None:
        """One peer's run."""
        commands = {
            "interrogate": [self.tool("interrogate"), "--no-color", *(
                arg for path in self.args.interrogate_exclude if (self.clone / path).exists() for arg in ("-e", path)
            ), "."],
            "radon_cc": [self.tool("radon"), "cc", "-s", "-a", "."],
            "radon_mi": [self.tool("radon"), "mi", "-s", "."],
            "ruff_D": [self.tool("ruff"), "check", "--isolated", "--no-cache", "--select", "D", "--output-format",
                       "json", "--exit-zero", "."],
        }
        if name == "truckfactor":
            # it refuses to run inside a repository and writes temporary files: an empty folder of its own
            empty = self.work / "truckfactor-tmp"
            empty.mkdir(exist_ok=True)
            self.measure(name, [self.tool("truckfactor"), str(self.clone)], cwd=empty,
                         env=dict(self.env, TMPDIR=str(empty)))
        else:
            self.measure(name, commands[name])

    def ratios(self) -> dict[str, float | None]:
        """The issue's ratios for this repository."""
        m = self.measures
        floor = m["floor_ast"].wall + m["floor_log"].wall
        cold = m["cold"].wall
        peers = [m[p].wall for p in self.args.peers if p in m]
        return {
            "floor_s": floor,
            "cold_s": cold,
            "cold_over_floor": cold / floor,
            "peers_s": sum(peers) if peers else None,
            "peers_over_cold": sum(peers) / cold if peers else None,
            "warm_over_cold": m["warm"].wall / cold,
            "change_over_cold": m["one_change"].wall / cold,
            "diff_s": m["diff"].wall,
            "peak_mb": max(m[k].peak_mb for k in ("cold", "warm", "one_change")),
        }

    def report(self) -> str:
        """This repository's table and ratios, in Markdown."""
        files = git(self.clone, "ls-files", "*.py").count("\n")
        commits = git(self.clone, "rev-list", "--count", "HEAD").strip()
        lines = [f"### {self.name} ({files} Python files, {commits} commits, HEAD {self.head[:12]})", "",
                 "| measurement | median wall s | min-max s | median cpu s | peak RSS MiB (largest process) "
                 "| peak PSS MiB (process tree) | rc | runs |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
        lines += [m.row() for m in self.measures.values()]
        r = self.ratios()
        capped = any(self.measures[p].capped for p in self.args.peers if p in self.measures)
        lines += ["", f"- floor (ast + log): {r['floor_s']:.2f} s; cold audit: {r['cold_s']:.2f} s",
                  _ratio("cold / floor", r["cold_over_floor"], "<=", TARGETS["cold_over_floor"])]
        if r["peers_over_cold"] is not None:
            bound = ", a lower bound: capped" if capped else ""
            lines.append(_ratio(f"peers / cold (peers {r['peers_s']:.2f} s{bound})", r["peers_over_cold"], ">=",
                                TARGETS["peers_over_cold"]))
        lines += [_ratio("warm / cold", r["warm_over_cold"], "<=", TARGETS["warm_over_cold"]),
                  _ratio("one change / cold", r["change_over_cold"], "<=", TARGETS["change_over_cold"]),
                  _ratio("peak memory MiB (cold, warm, one change)", r["peak_mb"], "<=", TARGETS["peak_mb"]),
                  f"- diff of a one-function change: {r['diff_s']:.2f} s (changed file: {self.changed})"]
        return "\n".join(lines)


def _ratio(label: str, value: float | None, sense: str, target: float) -> str:
    """One ratio line with its target and verdict."""
    if value is None:
        return f"- {label}: n/a"
    met = value <= target if sense == "<=" else value >= target
    return f"- {label}: {value:.3g} (target {sense} {target:g}: {'met' if met else 'NOT met'})"


def machine() -> str:
    """A description of the machine the numbers come from."""
    def out(*argv: str) -> str:
        """A command's standard output, stripped (``?`` when it cannot be started)."""
        try:
            return subprocess.run(argv, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return "?"
    memory = out("free", "-h").splitlines()
    return (f"cores (nproc): {out('nproc')}; memory: {memory[1].split()[1] if len(memory) > 1 else '?'}; "
            f"Python {sys.version.split()[0]}; {out('uname', '-srm')}; git {out('git', '--version').split()[-1]}")


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repos", nargs="+", type=Path, help="repositories (work trees or bare)")
    parser.add_argument("--runs", type=int, default=3, help="rounds (medians are over them; default 3)")
    parser.add_argument("--cap", type=float, default=300.0, help="seconds after which a run is killed (default 300)")
    parser.add_argument("--peers", default=",".join(PEERS), help=f"comma-separated subset of {','.join(PEERS)}; "
                        "empty for none")
    parser.add_argument("--bin", default=str(Path(sys.executable).parent), help="folder of the tools' executables")
    parser.add_argument("--oshealth", default=f"{shlex.quote(sys.executable)} -m oshealth",
                        help="the oshealth command (default: this Python's -m oshealth)")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs for oshealth audit (default: its own)")
    parser.add_argument("--interrogate-exclude", action="append", default=[], metavar="PATH",
                        help="a path interrogate is told to skip (-e; repeatable; only where it exists): interrogate "
                        "stops at the first file it cannot parse or recurse through (sympy: "
                        "sympy/polys/numberfields/resolvent_lookup.py; black: tests/data), so its time would be a "
                        "partial run's")
    parser.add_argument("--json", type=Path, help="write every measurement here")
    parser.add_argument("--keep", action="store_true", help="keep the clones and outputs")
    args = parser.parse_args(argv)
    args.peers = [p for p in args.peers.split(",") if p]
    unknown = set(args.peers) - set(PEERS)
    if unknown:
        parser.error(f"unknown peers: {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str]) -> int:
    """Run the benchmark and print the report."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the clean-up below runs
    work = Path(tempfile.mkdtemp(prefix="oshealth-bench-"))
    try:
        benches = [Bench(repo.resolve(), args, work) for repo in args.repos]
        _measure_all(benches, args.runs)
        print(f"## oshealth benchmark\n\nmachine: {machine()}\nrounds: {args.runs}, cap {args.cap:g} s per run\n")
        for bench in benches:
            print(bench.report() + "\n")
        if len(benches) > 1:
            _print_diff_comparison(benches)
        if args.json:
            _write_json(args.json, benches)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"\nclones and outputs kept in {work}", file=sys.stderr)
    return 0


def _measure_all(benches: list[Bench], runs: int) -> None:
    """Prime every repository, then measure them round by round.

    Rounds alternate between the repositories rather than finishing one
    first, so that a slow spell of the machine is shared among them.

    Args:
        benches: The repositories.
        runs: How many rounds.
    """
    for bench in benches:
        bench.prime()
    for _ in range(runs):
        for bench in benches:
            bench.one_round()


def _print_diff_comparison(benches: list[Bench]) -> None:
    """Print how long the same small change takes to diff in each repository, against the fastest.

    Args:
        benches: The measured repositories.
    """
    smallest = min(benches, key=lambda b: b.measures["diff"].wall)
    print("### diff of the same small change across repositories\n")
    for bench in benches:
        ratio = bench.measures["diff"].wall / smallest.measures["diff"].wall
        print(f"- {bench.name}: {bench.measures['diff'].wall:.2f} s, {ratio:.2f}x {smallest.name}'s")


def _write_json(path: Path, benches: list[Bench]) -> None:
    """Write every measurement, with each repository's HEAD and ratios, as JSON.

    Args:
        path: The file.
        benches: The measured repositories.
    """
    path.write_text(json.dumps({b.name: {"head": b.head, "ratios": b.ratios(), "measures": {
        k: {"command": m.command, "runs": [asdict(r) for r in m.runs]} for k, m in b.measures.items()}}
        for b in benches}, indent=1))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
