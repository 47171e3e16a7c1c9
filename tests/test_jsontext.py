"""The fast indented JSON writer gives the standard encoder's text, byte for byte."""

from __future__ import annotations

import json
import random
from collections import OrderedDict
from typing import Any

import pytest

from oshealth.render import jsontext

TRICKY = ['},\n    {', '"}, {"', "\\", "caf\u00e9", "\u2026", "\U0001f600", "", " ", "a\tb", "\x00", "\ud800"]


def standard(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)


@pytest.mark.parametrize("value", [
    None, True, False, 0, -7, 2**70, 1.5, 1e300, -0.0, "", "x", [], {}, [[]], [{}], {"a": []}, {"a": {}},
    [1, "two", None, 3.5, True], {"k": "v", "n": 1},
    [{"path": "a.py", "line": 1}, {"path": None, "line": None}],  # records: one C call
    [{"a": 1}, {}],  # an empty object among records
    [{"a": 1}, [1]], [{"a": [1, 2]}, {"a": {"b": 1}}],
    {"checks": [{"id": "x", "metrics": {"files": [{"p": "a", "n": 2}], "tags": [], "m": {}}, "findings": []}]},
    {1: "int key", 2.5: "float key", False: "bool key", None: "none key"},
    {1: [1, 2]}, (1, 2), [(1, 2), {"t": (3,)}], OrderedDict([("b", 1), ("a", [1])]),
    {"nested": [[[{"deep": [1, {"x": "y"}]}]]]},
    [{"s": s} for s in TRICKY], {s: s for s in TRICKY}, TRICKY, {"one": [{"s": s, "t": [s]} for s in TRICKY]},
])
def test_same_text_as_the_standard_encoder(value: Any) -> None:
    assert jsontext.dumps(value) == standard(value)


def test_random_documents() -> None:
    rng = random.Random(5)

    def scalar() -> Any:
        return rng.choice([None, True, False, rng.randint(-5, 10**6), rng.random() * 100, rng.choice(TRICKY),
                           "".join(rng.choice("ab{}[],:\"\n\\ é") for _ in range(rng.randint(0, 8)))])

    def value(depth: int) -> Any:
        kind = rng.randint(0, 5 if depth < 4 else 1)
        if kind <= 1:
            return scalar()
        if kind == 2:
            return [value(depth + 1) for _ in range(rng.randint(0, 4))]
        if kind == 3:
            return [{f"k{j}": scalar() for j in range(rng.randint(1, 3))} for _ in range(rng.randint(1, 5))]
        return {rng.choice(TRICKY) + str(j): value(depth + 1) for j in range(rng.randint(0, 4))}

    documents = [value(0) for _ in range(400)]
    assert sum(1 for d in documents if isinstance(d, dict | list)) > 200
    for document in documents:
        assert jsontext.dumps(document) == standard(document)


def test_raw_text_is_inserted_at_its_level() -> None:
    seen: list[int] = []

    def write(level: int) -> list[str]:
        seen.append(level)
        return [standard([1, {"a": 2}]).replace("\n", "\n" + "  " * level)]

    value = {"runs": [{"results": jsontext.Raw(write)}]}
    assert jsontext.dumps(value) == standard({"runs": [{"results": [1, {"a": 2}]}]})
    assert seen == [3]
    assert "".join(jsontext.chunks(value)) == jsontext.dumps(value)


@pytest.mark.parametrize(("value", "error"), [
    (float("nan"), ValueError), ({"a": [float("inf")]}, ValueError), ([{"a": float("-inf")}], ValueError),
    (object(), TypeError), ({"a": {1, 2}}, TypeError), ({(1, 2): 3}, TypeError),
])
def test_what_json_cannot_hold_is_refused(value: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        standard(value)
    with pytest.raises(error):
        jsontext.dumps(value)
