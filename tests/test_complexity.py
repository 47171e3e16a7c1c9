"""The complexity check agrees with radon 6.0.1 run on the same files."""

from __future__ import annotations

import ast
import inspect
import json
import random
import re
import subprocess
import sys
import textwrap
import tokenize
from pathlib import Path
from typing import Any

import pytest
from oshealth.checks.complexity import Complexity
from radon import raw, visitors
from radon.cli.tools import cc_to_dict
from radon.complexity import cc_visit
from radon.metrics import mi_visit

from oshealth.analysis import source
from oshealth.analysis.complexity import analyse, raw_metrics
from oshealth.facts import RepoFacts
from oshealth.models import CheckResult, Severity, Status
from tests.factsutil import collect
from tests.gitrepo import RepoBuilder

SHAPES = '''"""Module with every kind of block radon distinguishes."""
import asyncio


def plain(a, b):
    """Docstring
    on two lines."""
    if a and b or not a:
        return [x for x in range(3) if x if a]
    elif b:
        return {k: v for k, v in {}.items()}
    assert a, "a"
    return a if b else b


async def fetch(items):
    async for item in items:
        async with item:
            await asyncio.sleep(0)
    else:
        pass
    try:
        pass
    except ValueError:
        pass
    except (TypeError, KeyError):
        pass
    else:
        pass
    finally:
        pass
    return lambda x: x or 1


def outer(n):
    def closure(m):
        if m:
            return m
        return n

    class Local:
        def method(self):
            return 1 if n else 2

    while n:
        n -= 1
    else:
        n = 0
    return closure, Local


def dispatch(command):
    match command:
        case ["go", direction]:
            return direction
        case {"x": x} if x:
            return x
        case Point(x=0):
            return 0
        case _:
            return None


class Empty:
    pass


class Service:
    """A class with methods, a nested class and a decorated method."""

    limit = 3 if asyncio else 4

    class Inner:
        def hidden(self):
            return 1 if self else 0

    def __init__(self, value):
        self.value = value or 0

    @property
    def doubled(self):
        for _ in range(2):
            if self.value > 1:
                break
        return self.value * 2

    async def run(self):
        while True:
            if self.value:
                return
            await asyncio.sleep(0)


if asyncio:
    def conditional():
        return 1

    class Conditional:
        def method(self):
            return [y for y in () for z in () if z]
'''

BIG = "def big(x):\n" + "".join(f"    if x == {i}:\n        return {i}\n" for i in range(11)) + "    return -1\n"
SMALL = "def small_{0}():\n    return {0}\n"
FORMFEED = 'def a():\n    return 1\n\x0c\ndef b(x):\n    """Doc\n    string."""\n    return x or 2\n'


def radon(root: Path, *args: str) -> str:
    """Run radon's command line at ``root``, as a user would."""
    done = subprocess.run([sys.executable, "-m", "radon", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout


def radon_blocks(root: Path) -> tuple[set[tuple[str, str, str, int, int, int, str]], set[str]]:
    """Blocks and erroring files of ``radon cc -j .``."""
    report: dict[str, Any] = json.loads(radon(root, "cc", "-j", "."))
    blocks = set()
    for path, entries in report.items():
        if isinstance(entries, dict):
            continue
        for b in entries:
            name = f"{b['classname']}.{b['name']}" if b.get("classname") else b["name"]
            blocks.add((path, name, b["type"], b["lineno"], b["endline"], b["complexity"], b["rank"]))
    errors = {path for path, entries in report.items() if isinstance(entries, dict)}
    return blocks, errors


def our_blocks(facts: RepoFacts) -> set[tuple[str, str, str, int, int, int, str]]:
    return {
        (f.path, b.name, b.kind, b.line, b.end_line, b.complexity, b.rank)
        for f in facts.python_files
        if f.complexity and f.complexity.error is None and not any(p.startswith(".") for p in f.path.split("/"))
        for b in f.complexity.blocks
    }


def evaluate(root: Path, overrides: dict[str, Any] | None = None) -> tuple[RepoFacts, CheckResult]:
    facts = collect(root, overrides)
    options = facts.config.check_options.get("complexity", {})
    return facts, Complexity(options).evaluate(facts)


def mixed_repo(builder: RepoBuilder) -> None:
    builder.commit({
        "pkg/__init__.py": "",
        "pkg/shapes.py": SHAPES,
        "pkg/big.py": BIG + "".join(SMALL.format(i) for i in range(3)),
        "pkg/crlf.py": SHAPES.replace("\n", "\r\n"),
        "pkg/cr.py": BIG.replace("\n", "\r"),
        "pkg/formfeed.py": FORMFEED,
        "pkg/comments.py": "# only a comment\n\n'''and a\nmulti-line string'''\nX = 1  # trailing\n",
        "pkg/linesep.py": 's = "a\u2028b"\ndef f(x):\n    return x or 1\n',
        "legacy/py2.py": 'print "hello"\n',
        "legacy/broken.py": "def f(:\n    pass\n",
        "legacy/bom.py": b"\xef\xbb\xbfdef f(x):\n    return x or 1\n",
        "legacy/latin.py": b"# -*- coding: latin-1 -*-\ndef f(x):\n    return '\xe9' if x else ''\n",
        "legacy/latin_ascii.py": b"# -*- coding: latin-1 -*-\ndef f(x):\n    return 'e' if x else ''\n",
        ".hidden/skipped.py": BIG,
        "pkg/.dotted.py": BIG,
        "README.md": "# demo\n",
    })


def test_blocks_average_and_errors_equal_radon_cc(builder: RepoBuilder) -> None:
    mixed_repo(builder)
    facts, result = evaluate(builder.root)
    theirs, radon_errors = radon_blocks(builder.root)
    assert our_blocks(facts) == theirs
    assert len(theirs) == 33  # 2 x 12 (SHAPES), 4 + 1 (BIG), 2, 1, 1
    assert radon_errors == {"legacy/py2.py", "legacy/broken.py", "legacy/bom.py", "legacy/latin.py"}
    not_analysed = {f.path for f in result.findings if f.rule == "not-analysed"}
    assert not_analysed == radon_errors
    summary = radon(builder.root, "cc", "-s", "-a", ".")
    count, rank, average = re.search(r"(\d+) blocks .*\nAverage complexity: (\w) \(([\d.]+)\)", summary).groups()
    assert result.metrics["blocks"] == int(count) == 33
    assert result.metrics["mean_complexity"] == float(average)
    assert result.metrics["mean_rank"] == rank
    assert result.metrics["files"] == 9 and result.metrics["files_not_analysed"] == 4


def test_specific_block_values(builder: RepoBuilder) -> None:
    builder.commit({"shapes.py": SHAPES})
    facts, _ = evaluate(builder.root)
    blocks = {b.name: (b.kind, b.complexity) for b in facts.python_files[0].complexity.blocks}  # type: ignore[union-attr]
    assert blocks == {
        "plain": ("function", 11), "fetch": ("function", 7), "outer": ("function", 3), "dispatch": ("function", 4),
        "Empty": ("class", 1), "Service": ("class", 4), "Service.__init__": ("method", 2),
        "Service.doubled": ("method", 3), "Service.run": ("method", 3), "conditional": ("function", 1),
        "Conditional": ("class", 5), "Conditional.method": ("method", 4),
    }
    assert blocks == {b.fullname: (cc_to_dict(b)["type"], b.complexity) for b in cc_visit(SHAPES)}


def test_most_complex_lists_radon_blocks_most_complex_first(builder: RepoBuilder) -> None:
    mixed_repo(builder)
    _, result = evaluate(builder.root)
    theirs, _ = radon_blocks(builder.root)
    # most complex first; ties (BIG and SHAPES in two files each, the small functions) by path, then line
    expected = sorted(theirs, key=lambda b: (-b[5], b[0], b[3]))[:15]
    assert result.metrics["most_complex"] == [
        {"name": name, "kind": kind, "path": path, "line": line, "complexity": cc, "rank": rank}
        for path, name, kind, line, _, cc, rank in expected
    ]
    assert [(b["path"], b["name"], b["complexity"]) for b in result.metrics["most_complex"][:6]] == [
        ("pkg/big.py", "big", 12), ("pkg/cr.py", "big", 12), ("pkg/crlf.py", "plain", 11),
        ("pkg/shapes.py", "plain", 11), ("pkg/crlf.py", "fetch", 7), ("pkg/shapes.py", "fetch", 7),
    ]


def test_maintainability_equals_radon_mi(builder: RepoBuilder) -> None:
    mixed_repo(builder)
    facts, result = evaluate(builder.root)
    report: dict[str, Any] = json.loads(radon(builder.root, "mi", "-j", "."))
    theirs = {path: value["mi"] for path, value in report.items() if "mi" in value}
    ours = {f.path: f.complexity.maintainability for f in facts.python_files
            if f.complexity and f.complexity.maintainability is not None and not f.path.startswith(".")
            and "/." not in f.path}
    assert ours == theirs
    assert len(theirs) == 8
    assert {p for p, v in report.items() if "error" in v} == {
        "legacy/py2.py", "legacy/broken.py", "legacy/bom.py", "legacy/latin.py", "pkg/linesep.py"}
    for path, value in theirs.items():
        text = (builder.root / path).read_text(encoding="utf-8")
        assert mi_visit(text, True) == value
    assert result.metrics["maintainability_modules"] == 8
    assert result.metrics["mean_maintainability"] == sum(theirs[path] for path in sorted(theirs)) / 8
    assert result.metrics["min_maintainability"] == min(theirs.values())
    notes = [f for f in result.findings if f.rule == "maintainability-error"]
    assert [(f.path, f.severity) for f in notes] == [("pkg/linesep.py", Severity.NOTE)]


def test_score_findings_and_threshold(builder: RepoBuilder) -> None:
    builder.commit({"a.py": BIG + "".join(SMALL.format(i) for i in range(3))})
    _, result = evaluate(builder.root)
    # one block of 12 and three of 1: within = 3/4, mean = 15/4 <= 5
    assert result.score == 7.5 and result.status is Status.PASS
    assert result.reason == "mean complexity 3.75 (A) over 4 blocks; 1 above 10"
    assert result.metrics["rank_counts"] == {"A": 3, "B": 0, "C": 1, "D": 0, "E": 0, "F": 0}
    assert result.metrics["max_complexity"] == 12 and result.metrics["over_threshold"] == 1
    assert result.metrics["kind_counts"] == {"function": 4, "method": 0, "class": 0}
    assert result.metrics["most_complex"] == [
        {"name": "big", "kind": "function", "path": "a.py", "line": 1, "complexity": 12, "rank": "C"},
        *({"name": f"small_{i}", "kind": "function", "path": "a.py", "line": 25 + 2 * i, "complexity": 1, "rank": "A"}
          for i in range(3)),
    ]
    [finding] = result.findings
    assert (finding.message, finding.path, finding.line, finding.severity, finding.rule) == (
        "function big has cyclomatic complexity 12 (rank C), above 10", "a.py", 1, Severity.WARNING, "complex-block")
    builder.commit({".oshealth.toml": "[checks.complexity]\nmax-complexity = 12\n"})
    _, relaxed = evaluate(builder.root)
    assert relaxed.score == 10.0 and relaxed.findings == ()


def test_mean_above_five_is_penalised(builder: RepoBuilder) -> None:
    body = "def f{0}(x):\n" + "".join(f"    if x == {i}:\n        return {i}\n" for i in range(7)) + "    return 0\n"
    builder.commit({"b.py": "".join(body.format(i) for i in range(2))})
    _, result = evaluate(builder.root)
    assert result.metrics["mean_complexity"] == 8.0 and result.metrics["mean_rank"] == "B"
    assert result.score == 7.0  # 10 * 1.0 - (8 - 5)


def test_rank_f_is_an_error(builder: RepoBuilder) -> None:
    huge = "def huge(x):\n" + "".join(f"    if x == {i}:\n        return {i}\n" for i in range(45)) + "    return 0\n"
    builder.commit({"h.py": huge})
    _, result = evaluate(builder.root)
    assert result.score == 0.0 and result.status is Status.FAIL
    assert [(f.severity, f.message) for f in result.findings] == [
        (Severity.ERROR, "function huge has cyclomatic complexity 46 (rank F), above 10")]


def test_not_applicable_and_inconclusive(tmp_path: Path) -> None:
    empty = RepoBuilder(tmp_path / "empty")
    empty.commit({"README.md": "hi\n", ".github/tool.py": BIG})
    assert evaluate(empty.root)[1].status is Status.NOT_APPLICABLE
    flat = RepoBuilder(tmp_path / "flat")
    flat.commit({"script.py": "import sys\nprint(sys.argv)\n"})
    result = evaluate(flat.root)[1]
    assert result.status is Status.NOT_APPLICABLE and result.reason == "no functions, methods or classes"
    assert result.metrics["files"] == 1 and result.metrics["blocks"] == 0
    broken = RepoBuilder(tmp_path / "broken")
    broken.commit({"old.py": "print 'x'\n"})
    result = evaluate(broken.root)[1]
    assert result.status is Status.INCONCLUSIVE
    assert [(f.path, f.rule) for f in result.findings] == [("old.py", "not-analysed")]
    assert "Python 2" in result.findings[0].message


def test_deeply_nested_code_is_analysed(builder: RepoBuilder) -> None:
    deep = "def deep(a):\n    return " + "1 if a else " * 600 + "0\n"
    chain = "def chain(a):\n    return " + " + ".join(["a"] * 600) + "\n"
    builder.commit({"deep.py": deep, "chain.py": chain})
    facts, result = evaluate(builder.root)
    assert our_blocks(facts) == {("chain.py", "chain", "function", 1, 2, 1, "A"),
                                 ("deep.py", "deep", "function", 1, 2, 601, "F")}
    assert [b.complexity for b in source.run_deep(lambda: cc_visit(deep))] == [601]
    mi = {f.path: f.complexity.maintainability for f in facts.python_files}  # type: ignore[union-attr]
    assert mi == {p: source.run_deep(lambda p=p: mi_visit((builder.root / p).read_text(), True)) for p in mi}
    assert result.metrics["blocks"] == 2
    # radon's own command line gives up on such files (documented in the check)
    assert radon_blocks(builder.root)[1] == {"deep.py", "chain.py"}


def test_crlf_and_cookie_files_read_as_radon_reads_them() -> None:
    data = SHAPES.replace("\n", "\r\n").encode()
    parsed = source.parse(data)
    assert parsed.tree is not None
    result = analyse(parsed.tree, parsed.text, data)
    assert result.maintainability == mi_visit(SHAPES, True)
    assert [(b.name, b.complexity) for b in result.blocks] == [(b.fullname, b.complexity) for b in cc_visit(SHAPES)]
    latin = "# -*- coding: latin-1 -*-\ns = 'Ã©'\n".encode()  # valid UTF-8: radon reads it as UTF-8
    parsed = source.parse(latin)
    assert parsed.tree is not None and parsed.text != latin.decode()
    assert analyse(parsed.tree, parsed.text, latin).maintainability == mi_visit(latin.decode(), True)


RAW_EDGE_CASES = [
    "", "\n", "\n\n", " ", "x = 1", "x = 1\n\n\n", "# c", "# c\n", "'''a\nb'''", "x = (1,\n 2)\n", "x = 1 + \\\n 2\n",
    "x = 1 + \\", "s = 'abc\\\ndef'\n", "s = 'abc\\", "s = 'a\u2028b'\n", "s = 'a\x0cb'\n", "if x: y\n",
    "if x: y; z\n", "if x:\n  y\n", "x = {1: 2}\n", "f = lambda: 0\n", "(x := 1)\n", "a = f'{x:>3}'\n",
    "def f():\n    '''doc'''\n    return 1\n", "x = [\n# c\n1,\n]\n", "x = (\n", ")\n", "x = $\n", "class A: pass\n",
    "try: 1/0\nexcept: pass\n", "x = 1 # c\n", '"""\n\n\n"""\n', "'''a\n\nb'''\nx=1\n", "x = '''a\nb''' + 'c'\n",
    "\x0c\ndef a(): pass\n", "x\r\ny\r\n", "x\ry\r", "'a' 'b'\n", "'a'\n'b'\n", "x = [\n'''a\nb''',\n]\n",
    "# a\n# b\n\n'''doc'''\n", "print 'x'\n", "`x`\n", "x = 1;\n", ";\n", "  \n\t\n", "x = '\\\n'\n",
    'x = """a\\\nb"""\n', "x = 1\\\n", "x = 1\\\n\n", "x = (1\n\n)\n", "def f(\n    a,\n):\n    pass\n",
    "x = 'unterminated\ny = 2\n", "'''\n", "x = ([)]\n", "}\n", "x = 1\n)\ny = 2\n", "a == \\\n\nb == \\\nc = 1\n",
    "a \\\n\n\nb\n", "a \\\n\n", "a \\\n\n\n", "if a: \\\n\nb\n", "a = \\\n\n# c\n\n", "\\\n\n",
    "a + \\\n# c\n", "a + \\\n# c", "a + \\\n# c\nb\n",
]


def reference_raw(text: str) -> object:
    try:
        return raw.analyze(text)
    except Exception:  # radon raises SyntaxError (and more) for texts it cannot split
        return None


def corpus() -> list[str]:
    """Varied texts: edge cases, this file's samples, radon's and the stdlib's own source, and line mixes of them."""
    modules = [raw, visitors, tokenize, ast, textwrap]
    texts = [*RAW_EDGE_CASES, SHAPES, SHAPES.replace("\n", "\r\n"), FORMFEED, BIG]
    texts += [inspect.getsource(module) for module in modules]
    lines = [line for text in texts for line in text.splitlines(keepends=True)]
    rnd = random.Random(20250101)
    for _ in range(400):
        start = rnd.randrange(len(lines))
        texts.append("".join(lines[start : start + rnd.randrange(1, 25)]))
        texts.append("".join(rnd.choice(lines) for _ in range(rnd.randrange(1, 10))))
    return texts


def test_one_pass_raw_metrics_equal_radon_raw_analyze() -> None:
    texts = corpus()
    failures = sum(reference_raw(text) is None for text in texts)
    assert failures > 50  # the mixes include many texts radon rejects: both sides must agree on those too
    mismatches = [text for text in texts if raw_metrics(text) != reference_raw(text)]
    assert mismatches == []


def test_long_literal_is_counted_without_radon_quadratic_retokenizing() -> None:
    short = "data = [\n" + "".join(f"    {i},\n" for i in range(200)) + "]\n"
    assert raw_metrics(short) == raw.analyze(short)
    # radon's own analyze needs minutes here (it retokenizes a growing buffer once per line)
    long = "data = [\n" + "".join(f"    {i},\n" for i in range(20_000)) + "]\n"
    assert raw_metrics(long) == raw.Module(loc=20_002, lloc=1, sloc=20_002, comments=0, multi=0, blank=0,
                                           single_comments=0)


def test_most_complex_equals_the_head_of_all_blocks_sorted() -> None:
    from oshealth.analysis import complexity_tally
    from oshealth.analysis.complexity import Block, ModuleComplexity
    from oshealth.analysis.pyfile import PythonFile

    rng = random.Random(3)
    # many ties at the cut-off (complexities 1-6 only), across paths, lines and names
    located = [
        (f"p{rng.randint(1, 4)}.py", Block(f"f{rng.randint(1, 9)}", "function", rng.randint(1, 50), 60,
                                           rng.randint(1, 6), "A"))
        for _ in range(500)
    ]
    paths = ["p3.py", "p1.py", "p4.py", "p2.py"]  # not sorted: the files' order is not the metric's
    files = [PythonFile(path, "blob", 1, 1, 1, None, (), ModuleComplexity(tuple(b for p, b in located if p == path),
                                                                             50.0), 0) for path in paths]
    expected = sorted(located, key=lambda pb: (-pb[1].complexity, pb[0], pb[1].line, pb[1].name))[:15]
    assert [(r["path"], r["line"], r["name"], r["complexity"])
            for r in complexity_tally.most_complex(complexity_tally.tally(files, 10.0))] == [
        (path, b.line, b.name, b.complexity) for path, b in expected
    ]
    few = [PythonFile("p.py", "blob", 1, 1, 1, None, (), ModuleComplexity(tuple(b for _, b in located[:4]), 50.0), 0)]
    assert len(complexity_tally.most_complex(complexity_tally.tally(few, 10.0))) == 4


TYPE_PARAMETERS = ["type Alias = list[int]\n", "def first[T](items: list[T]) -> T:\n    return items[0]\n",
                   "class Box[T]:\n    pass\n"]


@pytest.mark.parametrize("text", TYPE_PARAMETERS)
def test_type_parameters_parse_or_name_the_grammar_that_lacks_them(text: str) -> None:
    parsed = source.parse(text.encode())
    if sys.version_info >= (3, 12):
        assert parsed.error is None and parsed.tree is not None
    else:
        running = f"{sys.version_info.major}.{sys.version_info.minor}"
        assert parsed.tree is None and parsed.error is not None
        assert parsed.error.startswith("syntax error at line 1: ")
        hint = (f" (type parameters, Python 3.12 or later: oshealth runs on Python {running} here,"
                " whose grammar lacks them)")
        assert parsed.error.endswith(hint)


def test_other_syntax_errors_get_no_grammar_hint() -> None:
    assert source.parse(b"type = 3\nprint(type)\n").error is None
    assert source.parse(b"def broken(:\n    pass\n").error == "syntax error at line 1: invalid syntax"
