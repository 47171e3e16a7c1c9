"""Counted nouns agree with their count."""

from __future__ import annotations

import pytest

from oshealth.wording import plural


@pytest.mark.parametrize(("count", "expected"), [(0, "0 problems"), (1, "1 problem"), (2, "2 problems"),
                                                 (-1, "-1 problems"), (1000, "1000 problems")])
def test_regular_nouns_take_an_s_except_for_one(count: int, expected: str) -> None:
    assert plural(count, "problem") == expected


def test_irregular_plurals_and_words_before_the_noun() -> None:
    assert [plural(n, "entry", "entries") for n in (0, 1, 2)] == ["0 entries", "1 entry", "2 entries"]
    assert plural(1, "changed function") == "1 changed function"
    assert plural(3, "changed function") == "3 changed functions"
