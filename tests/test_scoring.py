from __future__ import annotations

from typing import ClassVar

import pytest

from oshealth import engine, scoring
from oshealth.facts import RepoFacts
from oshealth.models import Check, CheckResult, Finding, Severity, Status, displayable_text


def make_check(check_id: str, weight: float, result: CheckResult | Exception) -> Check:
    class _Check(Check):
        """A check made for a test.

        Fix: nothing to fix.
        """

        id: ClassVar[str] = check_id
        category: ClassVar[str] = "test"

        def evaluate(self, facts: RepoFacts) -> CheckResult:
            if isinstance(result, Exception):
                raise result
            return result

    _Check.weight = weight
    return _Check()


def test_weighted_mean_ignores_inconclusive_and_errors() -> None:
    results = [
        (make_check("a", 2.0, CheckResult.scored(10, "r")), CheckResult.scored(10, "r")),
        (make_check("b", 1.0, CheckResult.scored(4, "r")), CheckResult.scored(4, "r")),
        (make_check("c", 5.0, CheckResult.inconclusive("shallow")), CheckResult.inconclusive("shallow")),
        (make_check("d", 5.0, CheckResult.error("x")), CheckResult.error("x")),
    ]
    card = scoring.aggregate(results, {})
    assert card.score == 8.0  # (2*10 + 1*4) / 3
    assert (card.grade, card.conclusive, card.total) == ("B", 2, 4)
    assert scoring.aggregate(results, {"b": 2.0}).score == 7.0  # (20 + 8) / 4


def test_no_conclusive_check_has_no_score() -> None:
    check = make_check("a", 1.0, CheckResult.not_applicable("nothing"))
    card = scoring.aggregate([(check, CheckResult.not_applicable("nothing"))], {})
    assert (card.score, card.grade) == (None, "-")


@pytest.mark.parametrize(
    ("score", "letter"), [(10, "A"), (9, "A"), (8.99, "B"), (7.5, "B"), (6, "C"), (4, "D"), (3.99, "F"), (None, "-")]
)
def test_grades(score: float | None, letter: str) -> None:
    assert scoring.grade(score) == letter


def test_results_are_clamped_and_pass_at_threshold() -> None:
    assert CheckResult.scored(12, "r").score == 10.0
    assert CheckResult.scored(-1, "r").status is Status.FAIL
    assert CheckResult.proportional(7, 10, "r").status is Status.PASS
    assert CheckResult.proportional(69, 100, "r").status is Status.FAIL


def test_crashing_check_becomes_error_result_and_run_goes_on() -> None:
    boom = make_check("boom", 1.0, RuntimeError("kaput"))
    fine = make_check("fine", 1.0, CheckResult.scored(9, "ok"))
    results = engine.run([fine, boom], facts=None)  # type: ignore[arg-type]
    assert [c.id for c, _ in results] == ["boom", "fine"]
    assert results[0][1].status is Status.ERROR
    assert results[0][1].reason == "the check crashed: RuntimeError: kaput"
    assert results[1][1].score == 9.0


def test_cycle_collector_is_paused_only_while_the_checks_run() -> None:
    import gc

    class Probe(Check):
        """Records whether the cycle collector runs during evaluation.

        Fix: nothing to fix.
        """

        id: ClassVar[str] = "probe"
        category: ClassVar[str] = "test"
        seen: ClassVar[list[bool]] = []
        made: ClassVar[list[list[int]]] = []

        def evaluate(self, facts: RepoFacts) -> CheckResult:
            Probe.seen.append(gc.isenabled())
            Probe.made.extend([] for _ in range(5000))  # tracked objects that outlive the run
            raise RuntimeError("after the probe")

    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert engine.run([Probe()], facts=None)[0][1].status is Status.ERROR  # type: ignore[arg-type]
    assert Probe.seen == [False] and gc.isenabled() and gc.get_freeze_count() == 0
    made = {id(item) for item in Probe.made}  # what the checks made went to the oldest generation, unexamined
    assert sum(id(item) in made for item in gc.get_objects(generation=2)) == 5000
    gc.disable()
    try:
        engine.run([Probe()], facts=None)  # type: ignore[arg-type]
        assert not gc.isenabled()  # a caller's choice is left as it was
    finally:
        gc.enable()
    gc.freeze()  # a caller that keeps objects frozen keeps them so
    try:
        frozen = gc.get_freeze_count()
        engine.run([Probe()], facts=None)  # type: ignore[arg-type]
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_findings_are_fingerprinted_stably_and_sorted() -> None:
    result = CheckResult.scored(
        5, "r",
        findings=[
            Finding("b", "z.py", 3, Severity.NOTE),
            Finding("a", "a.py", 9, Severity.ERROR),
            Finding("a", "a.py", 2, Severity.ERROR),
        ],
    ).normalized("x")
    assert [(f.path, f.line) for f in result.findings] == [("a.py", 2), ("a.py", 9), ("z.py", 3)]
    # the same message twice in one file: told apart by order, not by line (regression: flask had 671 duplicates)
    assert result.findings[0].fingerprint != result.findings[1].fingerprint
    moved = Finding("b", "z.py", 30, Severity.NOTE).with_fingerprint("x")
    assert moved.fingerprint == result.findings[2].fingerprint  # the line moved, the fingerprint did not
    assert len(moved.fingerprint) == 16
    assert Finding("b", "z.py", 30).with_fingerprint("y").fingerprint != moved.fingerprint
    shifted = CheckResult.scored(
        5, "r", findings=[Finding("a", "a.py", 20, Severity.ERROR), Finding("a", "a.py", 12, Severity.ERROR)]
    ).normalized("x")
    assert [f.fingerprint for f in shifted.findings] == [f.fingerprint for f in result.findings[:2]]


def test_undecodable_text_becomes_replacement_characters() -> None:
    name = b"caf\xe9.py".decode("utf-8", "surrogateescape")
    result = CheckResult.scored(
        5, f"see {name}", metrics={"files": [{"path": name}]}, findings=[Finding(f"{name} is bad", name, 1)]
    ).normalized("x")
    assert result.findings[0].path == "caf\ufffd.py" and result.findings[0].message == "caf\ufffd.py is bad"
    assert result.metrics["files"] == [{"path": "caf\ufffd.py"}] and result.reason == "see caf\ufffd.py"


@pytest.mark.parametrize(
    "text",
    ["", "plain ascii", "café", "naïve ☃ 😀 \u200b", b"caf\xe9".decode("utf-8", "surrogateescape"),
     b"\xff\xfe \xc3\xa9".decode("utf-8", "surrogateescape"), "\udc80", "é\udcff"],
)
def test_displayable_text_agrees_with_the_round_trip(text: str) -> None:
    expected = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    assert displayable_text(text) == expected and type(displayable_text(text)) is str
    # a str subclass comes back as a plain str, as the round trip makes it
    assert type(displayable_text(Severity.NOTE)) is str and displayable_text(Severity.NOTE) == "note"


def test_finding_init_matches_its_fields_and_stays_frozen() -> None:
    import dataclasses
    import inspect
    import pickle

    parameters = list(inspect.signature(Finding).parameters.values())
    fields = dataclasses.fields(Finding)
    assert [(p.name, p.default) for p in parameters] == [
        (f.name, inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default) for f in fields
    ]
    finding = Finding("m", "a.py", 2, Severity.ERROR, "r", "fp")
    assert (finding.message, finding.path, finding.line, finding.severity, finding.rule, finding.fingerprint) == (
        "m", "a.py", 2, Severity.ERROR, "r", "fp"
    )
    assert finding == Finding("m", "a.py", 2, Severity.ERROR, "r", "fp") and hash(finding) == hash(
        Finding(message="m", path="a.py", line=2, severity=Severity.ERROR, rule="r", fingerprint="fp")
    )
    assert Finding("m") == Finding("m", None, None, Severity.WARNING, "", "")
    assert dataclasses.replace(finding, line=5) == Finding("m", "a.py", 5, Severity.ERROR, "r", "fp")
    assert pickle.loads(pickle.dumps(finding)) == finding
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.line = 3  # type: ignore[misc]


def test_displayable_findings_keep_their_fields() -> None:
    plain = Finding("é fine", "a/b.py", 3, Severity.NOTE, "r", "f" * 16)
    assert plain.displayable() == plain
    bad = Finding("ok", b"a\xe9.py".decode("utf-8", "surrogateescape"), 3, Severity.NOTE, "r", "f" * 16)
    assert bad.displayable() == Finding("ok", "a\ufffd.py", 3, Severity.NOTE, "r", "f" * 16)
    assert Finding("x\udcff", None).displayable() == Finding("x\ufffd", None)


def test_remediation_is_read_from_the_fix_section() -> None:
    class Documented(Check):
        """Summary line.

        Scoring: whatever.

        Fix: add the thing
        and the other thing.

        Why: because.
        """

        id: ClassVar[str] = "documented"
        category: ClassVar[str] = "test"

        def evaluate(self, facts: RepoFacts) -> CheckResult:
            return CheckResult.not_applicable("n/a")

    assert Documented.summary() == "Summary line."
    assert Documented.remediation() == "add the thing and the other thing."
