"""The fast per-file analysis gives radon's and interrogate's figures, and no file stalls it.

Equality: radon's two visitors (``ComplexityVisitor``, ``HalsteadVisitor``)
against the one walk of :mod:`oshealth.analysis.radonwalk`, radon's
``raw.analyze`` against the masked fast path of
:mod:`oshealth.analysis.rawmetrics`, and the statement-only search for
definitions against the node-by-node one, on generated programs that mix
every construct the rules distinguish, and on standard-library modules.

Bounds: the per-file time limit turns a runaway analysis (an injected
endless step, or a large file under a tiny limit) into a record with an
error, in this process, on the deep-stack thread and in a spawned worker
process, and leaves the process's signal state as it found it. No assertion
here measures time.
"""

from __future__ import annotations

import ast
import concurrent.futures
import functools
import inspect
import multiprocessing
import random
import signal
import threading
from collections.abc import Callable

import pytest
from radon import raw
from radon.metrics import h_visit_ast, mi_visit
from radon.visitors import ComplexityVisitor

from oshealth.analysis import complexity, docstrings, pyfile, radonwalk, rawmetrics, rawtokens, source, timelimit
from oshealth.models import Severity
from tests.factsutil import collect
from tests.gitrepo import RepoBuilder

# ---------------------------------------------------------------- generated programs

_NAMES = ["a", "b", "x", "y", "value", "items", "self", "n"]
_CONSTANTS = ["1", "True", "1.0", "0", "False", "None", "'a'", "b'x'", "'x'", "2j", "...", "-0.0"]


class ProgramMaker:
    """Random but valid Python modules using every construct radon's rules tell apart."""

    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.counter = 0

    def name(self) -> str:
        """A fresh identifier."""
        self.counter += 1
        return f"n{self.counter}"

    def expr(self, depth: int = 0) -> str:
        """An expression, nested up to a few levels."""
        r = self.rnd
        if depth > 1:
            return r.choice(_NAMES + _CONSTANTS + ["obj.value", "obj.a", "f(x)"])
        def sub() -> str:
            return self.expr(depth + 1)

        forms: list[Callable[[], str]] = [
            lambda: f"{sub()} + {sub()}", lambda: f"{sub()} * {sub()} - {sub()}", lambda: f"-{sub()}",
            lambda: f"not {sub()}", lambda: f"{sub()} and {sub()} or {sub()}", lambda: f"{sub()} < {sub()} <= {sub()}",
            lambda: f"({sub()} if {sub()} else {sub()})", lambda: f"[{sub()} for x in {sub()} if x if {sub()}]",
            lambda: f"{{k: {sub()} for k in {sub()}}}", lambda: f"(lambda q: q or {sub()})",
            lambda: f"f({sub()}, k={sub()})",
            lambda: f"{sub()}[1:2]", lambda: f"{{{sub()}: {sub()}}}", lambda: f"(w := {sub()})", lambda: "f'{x:>3}'",
            lambda: f"obj.{r.choice(_NAMES)}", lambda: r.choice(_CONSTANTS), lambda: f"{sub()} is not {sub()}",
            lambda: f"{sub()} in {sub()}", lambda: f"~{sub()} ** 2", lambda: f"({sub()},\n    {sub()})",
        ]
        text = r.choice(forms)()
        return f"({text})"

    def block(self, indent: int, depth: int, in_class: bool = False) -> list[str]:
        """Some statements at ``indent`` (at least one)."""
        lines: list[str] = []
        for _ in range(self.rnd.randint(1, 3)):
            lines += self.statement(indent, depth, in_class)
        return lines

    def statement(self, indent: int, depth: int, in_class: bool) -> list[str]:
        """One statement, compound ones holding blocks while ``depth`` allows."""
        pad = "    " * indent
        e = self.expr
        simple = [
            [f"{pad}x = {e()}"], [f"{pad}x += {e()}"], [f"{pad}assert {e()}, {e()}"], [f"{pad}return {e()}"],
            [f"{pad}y: int = {e()}"], [f"{pad}pass"], [f"{pad}f({e()})  # comment: {{'a': b}}"],
            [f"{pad}from os import (", f"{pad}    path,", f"{pad}    sep,", f"{pad})"], [f"{pad}x = 1; y = 2"],
            [f'{pad}"""A docstring', f"{pad}on two lines: {{}}.", f'{pad}"""'], [f"{pad}r'''raw'''"],
            [f"{pad}x = {e()} + \\", f"{pad}    {e()}"],
        ]
        if depth <= 0:
            return self.rnd.choice(simple)
        def inner() -> list[str]:
            return self.block(indent + 1, depth - 1)

        compound: list[Callable[[], list[str]]] = [
            lambda: [f"{pad}if {e()}:", *inner(), f"{pad}elif {e()}:", *inner(), f"{pad}else:", *inner()],
            lambda: [f"{pad}for x in {e()}:", *inner(), f"{pad}else:", *inner()],
            lambda: [f"{pad}while {e()}:", *inner()],
            lambda: [f"{pad}try:", *inner(), f"{pad}except ValueError:", *inner(), f"{pad}except (KeyError, E):",
                     *inner(), f"{pad}else:", *inner(), f"{pad}finally:", *inner()],
            lambda: [f"{pad}try:", *inner(), f"{pad}except* ValueError:", *inner()],
            lambda: [f"{pad}with {e()} as w:", *inner()],
            lambda: [f"{pad}match {e()}:", f"{pad}    case [1, q]:", *self.block(indent + 2, depth - 1),
                     f"{pad}    case {{'k': q}} if {e()}:", *self.block(indent + 2, depth - 1),
                     f"{pad}    case {self.rnd.choice(['_', 'other', 'P(x=0)', '1 | 2'])}:",
                     *self.block(indent + 2, depth - 1)],
            lambda: self.function(indent, depth, in_class),
            lambda: self.klass(indent, depth),
        ]
        return self.rnd.choice(simple) if self.rnd.random() < 0.4 else self.rnd.choice(compound)()

    def function(self, indent: int, depth: int, in_class: bool = False) -> list[str]:
        """A function (async sometimes), decorated sometimes, with defaults that hold decisions."""
        pad = "    " * indent
        head = "async def" if self.rnd.random() < 0.2 else "def"
        deco = [f"{pad}@deco({self.expr()} if x else y)"] if self.rnd.random() < 0.3 else []
        args = "self, " if in_class else ""
        body = self.block(indent + 1, depth - 1)
        if head == "async def" and self.rnd.random() < 0.5:
            body = [f"{pad}    async for q in {self.expr()}:", *self.block(indent + 2, depth - 1), *body]
        return [*deco, f"{pad}{head} {self.name()}({args}a=1 if b else 2, *c, d: int = x or y) -> {self.expr()}:",
                *body]

    def klass(self, indent: int, depth: int) -> list[str]:
        """A class with bases, methods (some under an ``if``), attributes and maybe an inner class."""
        pad = "    " * indent
        lines = [f"{pad}@deco", f"{pad}class {self.name()}(Base if x else Other, metaclass=M):"]
        for _ in range(self.rnd.randint(1, 3)):
            roll = self.rnd.random()
            if roll < 0.5:
                lines += self.function(indent + 1, depth - 1, in_class=True)
            elif roll < 0.7:
                lines += [f"{pad}    if {self.expr()}:", *self.function(indent + 2, depth - 1, in_class=True)]
            else:
                lines += self.statement(indent + 1, depth - 1, in_class=True)
        return lines

    def module(self) -> str:
        """A module of a few top-level statements."""
        lines = ['"""Module docstring."""', "import os"]
        for _ in range(self.rnd.randint(2, 6)):
            lines += self.statement(0, self.rnd.randint(1, 3), False)
        return "\n".join(lines) + "\n"


@functools.cache
def generated_programs(count: int = 150) -> list[str]:
    """``count`` generated modules, each checked to parse (do not change the list: it is shared)."""
    programs = [ProgramMaker(seed).module() for seed in range(count)]
    for program in programs:
        ast.parse(program)
    return programs


def library_sources() -> list[str]:
    """Real code with every kind of statement: a few standard-library modules."""
    import argparse
    import dataclasses
    import email.message
    import json.decoder
    import tokenize

    return [inspect.getsource(module) for module in (argparse, dataclasses, email.message, json.decoder, tokenize)]


# ---------------------------------------------------------------- equality with radon and interrogate


def radon_figures(tree: ast.Module) -> tuple[object, ...]:
    """What radon's own visitors find: every block tuple (closures, methods, inner classes), totals, volume."""
    visitor = ComplexityVisitor.from_ast(tree)
    return (
        [tuple(b) for b in visitor.blocks], [b.complexity for b in visitor.blocks], visitor.total_complexity,
        h_visit_ast(tree).total.volume,
    )


def walk_figures(tree: ast.Module) -> tuple[object, ...]:
    """The same figures from the one walk."""
    figures = radonwalk.walk(tree)
    return (
        [tuple(b) for b in figures.blocks], [b.complexity for b in figures.blocks], figures.total_complexity,
        figures.halstead_volume,
    )


def test_one_walk_equals_radon_visitors_on_generated_and_library_code() -> None:
    texts = generated_programs() + library_sources()
    trees = [ast.parse(text) for text in texts]
    mismatches = [i for i, tree in enumerate(trees) if walk_figures(tree) != radon_figures(tree)]
    assert mismatches == []
    # the programs exercise what the rules distinguish: closures, methods under an if, inner classes, match
    blocks = [b for tree in trees for b in radonwalk.walk(tree).blocks]
    assert sum(1 for b in blocks if getattr(b, "closures", None)) > 20
    assert sum(1 for b in blocks if getattr(b, "inner_classes", None)) > 5
    assert sum(1 for tree in trees for n in ast.walk(tree) if isinstance(n, ast.Match)) > 20


def test_module_figures_equal_radon_cc_and_mi_functions() -> None:
    for text in generated_programs(60):
        tree = ast.parse(text)
        result = complexity.analyse(tree, text, text.encode())
        assert result.maintainability == mi_visit(text, True)
        theirs = ComplexityVisitor.from_ast(tree).blocks
        assert [(b.name, b.line, b.end_line, b.complexity) for b in result.blocks] == [
            (b.fullname, b.lineno, b.endline, int(b.complexity)) for b in theirs]


def test_walk_of_a_hand_written_module_gives_radons_numbers() -> None:
    text = (
        "def f(a=1 if x else 2):\n"      # decisions in defaults are not looked at
        "    assert a if a else b\n"      # assert: +1, nothing inside it counted
        "    def inner():\n"              # a closure: its decisions stay its own
        "        return a or b or c\n"
        "    return [y for y in a if y]\n"
        "class C(B if x else D):\n"
        "    if x:\n"
        "        def m(self):\n"          # a method under an if
        "            while a:\n"
        "                pass\n"
        "            else:\n"
        "                pass\n"
        "    class Inner:\n"
        "        def hidden(self):\n"
        "            return 1 if a else 2\n"
    )
    figures = radonwalk.walk(ast.parse(text))
    # f: 1 + assert + comprehension and its if; C: 1 + if + m; C ends where m does (radon ignores
    # the inner class's lines); Inner: 1 + hidden's 2
    assert [(b.fullname, b.complexity, b.endline) for b in figures.blocks] == [
        ("f", 4, 5), ("C", 5, 12), ("C.m", 3, 12)]
    assert [(c.fullname, c.complexity) for c in figures.functions[0].closures] == [("inner", 3)]
    assert [(c.name, c.complexity) for c in figures.classes[0].inner_classes] == [("Inner", 3)]
    assert figures.total_complexity == 1 + (4 - 1) + (5 - 1)
    assert (figures.total_complexity, figures.halstead_volume) == radon_figures(ast.parse(text))[2:]


def test_fast_raw_metrics_equal_radon_and_take_the_fast_path() -> None:
    texts = generated_programs() + library_sources()
    lines_of = [[line.strip() for line in text.splitlines()] for text in texts]
    fast = [rawmetrics._fast_counts(lines) for lines in lines_of]
    assert sum(counts is not None for counts in fast) >= len(texts) - 2  # generated code stays on the fast path
    assert [counts for counts in fast if counts is not None] == [
        rawtokens.exact_counts(lines) for lines, counts in zip(lines_of, fast, strict=True) if counts is not None]
    assert [rawmetrics.raw_metrics(text) for text in texts] == [raw.analyze(text) for text in texts]


@pytest.mark.parametrize(
    ("text", "fast_path"),
    [
        ("x = 1\n", True),
        ("if x: y = {1: 2}\n", True),              # two logical lines: a colon followed by code
        ("def f(a: int) -> str:\n    pass\n", True),
        ("x = f'{a:>3}'  # c: d\n", True),         # colons in a string and a comment are not tokens
        ("(x := 1)\n", True),
        ("if x: pass; y = 1\n", True),             # a semicolon: radon's own _logical on the group
        ("rb'''a\n\nb'''\n", True),               # a prefixed string alone over three lines
        ('"a" "b"\n', True),
        ("x = 1 + \\\n    2\n", True),
        ("d = [\n    1,  # one\n\n    2,\n]\n", True),
        ("x = 'a#b' # c\n'''\n#'''\n", True),
        ("é = 1\n", False),                        # non-ASCII code: the tokenizer decides
        ("x = $\n", False),                        # a character the tokenizer rejects
        ("x = (\n", False),                        # unbalanced
        ("s = 'unterminated\n", False),
    ],
)
def test_fast_raw_metrics_edge_cases(text: str, fast_path: bool) -> None:
    lines = [line.strip() for line in text.splitlines()]
    assert (rawmetrics._fast_counts(lines) is not None) is fast_path
    try:
        expected = raw.analyze(text)
    except Exception:
        expected = None
    assert rawmetrics.raw_metrics(text) == expected


def test_statement_search_finds_the_definitions_interrogates_visitor_finds() -> None:
    for text in generated_programs(80) + library_sources():
        tree = ast.parse(text)
        fast = docstrings.analyse(tree, "m.py")
        original = docstrings._def_children
        try:
            docstrings._def_children = _every_node_def_children
            slow = docstrings.analyse(tree, "m.py")
        finally:
            docstrings._def_children = original
        assert fast == slow


def _every_node_def_children(node: ast.AST) -> list[ast.AST]:
    found: list[ast.AST] = []
    docstrings._walk_defs(node, found)
    return found


# ---------------------------------------------------------------- the per-file time limit


def _spin(*_: object) -> None:
    while True:
        pass


def test_an_endless_step_becomes_a_timed_out_record(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docstrings, "analyse", _spin)
    handler_before = signal.getsignal(signal.SIGALRM)
    record = pyfile.analyse("pkg/slow.py", b"def f():\n    return 1\n", time_limit=0.05)
    assert record.timed_out
    assert record.error == ("analysis stopped by the per-file time limit of 0.05 s (OSHEALTH_FILE_TIME_LIMIT)")
    assert (record.path, record.size, record.lines, record.code_lines) == ("pkg/slow.py", 22, 2, 2)
    assert (record.doc_nodes, record.complexity, record.test_functions) == ((), None, 0)
    assert record.blob_id == pyfile.blob_id(b"def f():\n    return 1\n")
    # the process is left as found: no timer running, the previous handler back
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is handler_before


def test_the_deep_stack_thread_is_stopped_too(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def deep_then_endless(*_: object) -> None:
        calls.append(threading.current_thread().name)
        if len(calls) == 1:
            raise RecursionError  # as deeply nested code does: run_deep retries on its own thread
        _spin()

    monkeypatch.setattr(complexity, "analyse", deep_then_endless)
    record = pyfile.analyse("deep.py", b"x = 1\n", time_limit=0.05)
    assert record.timed_out and calls == ["MainThread", "oshealth-deep"]
    assert not any(t.name == "oshealth-deep" and t.is_alive() for t in threading.enumerate())


def test_a_large_file_under_a_tiny_limit_times_out_in_a_worker_process() -> None:
    data = b"".join(b"def f%d(a):\n    return a if a else %d\n" % (i, i) for i in range(10_000))
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        stopped = pool.submit(pyfile.analyse, "big.py", data, 0.001).result()
        whole = pool.submit(pyfile.analyse, "big.py", data, 0).result()
    assert stopped.timed_out and stopped.error is not None and "time limit of 0.001 s" in stopped.error
    assert (stopped.lines, stopped.size) == (20_000, len(data))
    assert not whole.timed_out and whole.error is None
    assert whole.complexity is not None and len(whole.complexity.blocks) == 10_000


def test_no_limit_outside_the_main_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    results: list[pyfile.PythonFile] = []
    worker = threading.Thread(target=lambda: results.append(pyfile.analyse("a.py", b"x = 1\n", time_limit=1e-6)))
    worker.start()
    worker.join()
    assert not results[0].timed_out and results[0].error is None


@pytest.mark.parametrize(("value", "seconds"), [("", 30.0), ("2.5", 2.5), ("0", None), ("-1", None), ("soon", 30.0)])
def test_time_limit_from_the_environment(monkeypatch: pytest.MonkeyPatch, value: str, seconds: float | None) -> None:
    monkeypatch.setenv(timelimit.TIME_LIMIT_ENV, value)
    assert timelimit.seconds_from_env() == seconds


def test_a_timed_out_file_is_a_finding_of_the_audit(builder: RepoBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
    from oshealth.checks.complexity import Complexity

    builder.commit({"pkg/__init__.py": "def g(a):\n    return a\n", "pkg/mod.py": "def f(a):\n    return a\n"})
    real = docstrings.analyse

    def endless_for_mod(tree: ast.Module, filename: str) -> tuple[docstrings.DocNode, ...]:
        if filename == "mod.py":
            _spin()
        return real(tree, filename)

    monkeypatch.setattr(docstrings, "analyse", endless_for_mod)
    monkeypatch.setenv(timelimit.TIME_LIMIT_ENV, "0.05")
    facts = collect(builder.root)
    by_path = {f.path: f for f in facts.python_files}
    assert by_path["pkg/mod.py"].timed_out and not by_path["pkg/__init__.py"].timed_out
    result = Complexity().evaluate(facts)
    [finding] = [f for f in result.findings if f.rule == "not-analysed"]
    assert (finding.path, finding.severity) == ("pkg/mod.py", Severity.WARNING)
    assert "per-file time limit of 0.05 s" in finding.message


def test_parse_is_shared_and_the_record_is_unchanged_by_the_collector_pause() -> None:
    import gc

    text = generated_programs(1)[0]
    gc.enable()
    first = pyfile.analyse("m.py", text.encode(), time_limit=0)
    assert gc.isenabled()  # paused only during the analysis
    gc.disable()
    try:
        second = pyfile.analyse("m.py", text.encode(), time_limit=0)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert first == second and first.error is None
    parsed = source.parse(text.encode())
    assert parsed.tree is not None
    assert first.complexity == complexity.analyse(parsed.tree, parsed.text, text.encode())


def test_docstrings_only_gives_the_same_docstring_records_without_the_rest() -> None:
    text = generated_programs(3)[2]
    full = pyfile.analyse("pkg/m.py", text.encode(), time_limit=0)
    short = pyfile.analyse("pkg/m.py", text.encode(), time_limit=0, docstrings_only=True)
    assert short.doc_nodes == full.doc_nodes and len(short.doc_nodes) > 3
    assert (short.complexity, short.test_functions, short.error) == (None, 0, None)
    assert (short.blob_id, short.size, short.lines, short.code_lines) == (
        full.blob_id, full.size, full.lines, full.code_lines)
