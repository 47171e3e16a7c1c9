"""SVG scenes: the shapes a template draws, with their coordinates.

:mod:`oshealth.svgcharts` builds the scenes; the HTML template draws one by
looping over its shapes, each naming its ``kind``. Every text goes through
the template's autoescaping, so names taken from a repository never become
markup.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Rect:
    """A filled rectangle (a bar); ``tone`` names its colour class, ``title`` its tooltip."""

    kind: ClassVar[str] = "rect"
    x: float
    y: float
    width: float
    height: float
    tone: str
    title: str = ""


@dataclass(frozen=True)
class Label:
    """A line of text anchored at (x, y) (``anchor``: start, middle or end), with an optional muted ``detail``."""

    kind: ClassVar[str] = "label"
    x: float
    y: float
    text: str
    tone: str = ""
    anchor: str = "start"
    title: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Rule:
    """A straight line: grid line, threshold or marker."""

    kind: ClassVar[str] = "rule"
    x1: float
    y1: float
    x2: float
    y2: float
    tone: str
    title: str = ""


@dataclass(frozen=True)
class Ring:
    """A ring gauge: a full track and an arc of ``fraction`` of it, from 12 o'clock."""

    kind: ClassVar[str] = "ring"
    cx: float
    cy: float
    r: float
    fraction: float
    tone: str

    @property
    def circumference(self) -> float:
        """Length of the full ring."""
        return round(2 * math.pi * self.r, 2)

    @property
    def arc(self) -> float:
        """Length of the coloured arc."""
        return round(self.circumference * min(1.0, max(0.0, self.fraction)), 2)


Shape = Rect | Label | Rule | Ring


@dataclass(frozen=True)
class Svg:
    """One chart, ready to draw.

    Attributes:
        id: Element id (the title and description ids derive from it).
        title: Short accessible name.
        desc: Text alternative: what the chart shows, with its main figures.
        width: Width of the view box.
        height: Height of the view box.
        shapes: What to draw, in order.
        variant: Layout family (``hbar``, ``timeline``, ``ring``), a class for the style sheet.
    """

    id: str
    title: str
    desc: str
    width: float
    height: float
    shapes: tuple[Shape, ...]
    variant: str = ""
