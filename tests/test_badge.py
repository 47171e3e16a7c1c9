"""SVG badge and shields.io endpoint JSON."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from oshealth.cli import run
from oshealth.render import badge, shields
from oshealth.render.badge import text_width
from tests.gitrepo import RepoBuilder
from tests.reportutil import report

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("score", "message", "color", "fill"),
    [
        (9.5, "9.5 A", "brightgreen", "#4c1"),
        (9.0, "9.0 A", "brightgreen", "#4c1"),
        (8.39, "8.4 B", "green", "#97ca00"),
        (7.37, "7.4 C", "yellow", "#dfb317"),
        (4.0, "4.0 D", "orange", "#fe7d37"),
        (0.73, "0.7 F", "red", "#e05d44"),
        (None, "no score", "lightgrey", "#9f9f9f"),
    ],
)
def test_message_and_colour_follow_the_grade(score: float | None, message: str, color: str, fill: str) -> None:
    audit = report(score=score)
    assert json.loads(shields.render(audit)) == {
        "schemaVersion": 1, "label": "oshealth", "message": message, "color": color,
    }
    svg = ET.fromstring(badge.render(audit))
    assert svg.get("role") == "img" and svg.get("aria-label") == f"oshealth: {message}"
    assert svg.findtext(f"{SVG}title") == f"oshealth: {message}"
    assert [r.get("fill") for r in svg.iter(f"{SVG}rect")][1:3] == ["#555", fill]
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts == ["oshealth", "oshealth", message, message]


@pytest.mark.parametrize(
    ("text", "width"),
    [
        # shields.io draws "build | passing" 37 + 51 = 88 px wide: text widths 27 and 41, plus 10 px padding each
        ("build", 27),
        ("passing", 41),
        ("oshealth", 47),  # 46.84 px, truncated to 46, made odd
        ("8.4 B", 29),
        ("no score", 47),
        ("", 1),
    ],
)
def test_text_width_as_shields_measures_it(text: str, width: int) -> None:
    assert text_width(text) == width


def test_badge_geometry() -> None:
    svg = ET.fromstring(badge.render(report(score=8.39)))
    assert (svg.get("width"), svg.get("height")) == ("96", "20")  # (47 + 10) + (29 + 10)
    rects = [(r.get("x"), r.get("width")) for r in svg.iter(f"{SVG}rect")]
    assert rects == [(None, "96"), (None, "57"), ("57", "39"), (None, "96")]
    centres = [(t.get("x"), t.get("textLength")) for t in svg.iter(f"{SVG}text")]
    assert centres == [("285", "470"), ("285", "470"), ("765", "290"), ("765", "290")]
    shadow = svg.find(f"{SVG}g[@fill='#fff']/{SVG}text")
    assert shadow is not None and shadow.get("aria-hidden") == "true"  # the shadow is not read out


def test_light_backgrounds_get_dark_text() -> None:
    svg = ET.fromstring(badge.svg("label", "value", "#f0f0f0"))
    assert [t.get("fill") for t in svg.iter(f"{SVG}text")][2:] == ["#ccc", "#333"]


def test_badge_text_is_escaped() -> None:
    svg = badge.svg("a<b", 'x"&y', "#555")
    root = ET.fromstring(svg)
    assert root.get("aria-label") == 'a<b: x"&y' and root.findtext(f"{SVG}title") == 'a<b: x"&y'


def test_badges_from_the_command_line(builder: RepoBuilder, tmp_path: Path) -> None:
    builder.commit({"pkg/a.py": '"""A."""\n\n\ndef f():\n    """F."""\n'})
    out = tmp_path / "out"
    out.mkdir()
    assert run(["audit", str(builder.root), "-f", "badge", "-f", "shields", "--output-dir", str(out)]) == 0
    data = json.loads((out / "shields.json").read_text(encoding="utf-8"))
    svg = ET.fromstring((out / "badge.svg").read_text(encoding="utf-8"))
    # a score of 4.95 shows as "5.0" but stays in band D (4 to 6)
    assert data == {"schemaVersion": 1, "label": "oshealth", "message": "5.0 D", "color": "orange"}
    assert svg.get("aria-label") == "oshealth: 5.0 D"
    assert [r.get("fill") for r in svg.iter(f"{SVG}rect")][2] == "#fe7d37"


ODD_TEXTS = ["a", "a&b<c>d", 'say "hi"', "it's", "both \"x\" and 'y'", "tab\there\nnl\rcr", "<>\"'&"]


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_badge_escaping_is_the_standard_librarys(text: str) -> None:
    from xml.sax import saxutils

    assert badge._escape(text) == saxutils.escape(text)
    assert badge._quoteattr(text) == saxutils.quoteattr(text)
