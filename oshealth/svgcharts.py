"""SVG charts: the rows of :mod:`oshealth.charts` laid out as scenes of shapes.

The layout functions (:func:`hbar_chart`, :func:`timeline_chart`,
:func:`ring_chart`) turn records into :class:`~oshealth.svgscene.Svg` scenes
of rectangles, lines and labels with their coordinates
(:mod:`oshealth.svgscene`); they decide sizes, scales, ticks and what text
fits, nothing else.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from oshealth.charts import Datum, History, tone_of
from oshealth.svgscene import Label, Rect, Ring, Rule, Shape, Svg

#: Average width of a character, as a share of the font size (system sans-serif).
CHAR_WIDTH = 0.6


def _fit(text: str, width: float, size: float, *, tail: bool = False) -> str:
    """``text`` cut with an ellipsis to about ``width`` pixels at font ``size`` (keeping its end with ``tail``)."""
    most = max(3, int(width / (size * CHAR_WIDTH)))
    if len(text) <= most:
        return text
    return "\u2026" + text[1 - most :] if tail else text[: most - 1] + "\u2026"


def _ticks(maximum: float) -> list[float]:
    """Three to six round grid values from 0 to a round ceiling of ``maximum``."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    count = math.ceil(maximum / step - 1e-9)
    return [round(step * i, 6) for i in range(count + 1)]


def _num(value: float) -> str:
    """An axis value: grouped without decimals from 10 or for whole numbers, else as short as it goes."""
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:g}"


@dataclass(frozen=True)
class Marker:
    """A labelled vertical line across a bar chart (a threshold, a target)."""

    value: float
    label: str


#: Geometry of the bar charts: each row is a line of text (name, value) over a thin bar.
BAR_WIDTH, BAR_ROW, HEADING_ROW, BAR_HEIGHT = 520.0, 40.0, 30.0, 11.0
#: Font size names are fitted for: the style sheet's size on a phone, where the chart shrinks (15 elsewhere).
BAR_FONT = 19.0


def hbar_chart(ident: str, title: str, desc: str, rows: Sequence[Datum], *, maximum: float | None = None,
               unit: str = "", marker: Marker | None = None, split_after: tuple[int, str] | None = None) -> Svg:
    """A bar chart whose rows put the name and the value on a line above a bar of the full width.

    The stacked layout stays legible when a phone shrinks the chart. With a
    fixed ``maximum`` (a score out of 10, a percentage) each bar lies on a
    pale track of the full length, so an empty bar still shows its scale.

    Args:
        ident: Element id.
        title: Accessible name.
        desc: Text alternative.
        rows: The bars, top to bottom; rows with ``bar=False`` are headings.
        maximum: Value of a full bar (default: a round ceiling of the largest value).
        unit: Suffix of the axis values ("%").
        marker: A threshold, drawn as a dashed tick through every bar.
        split_after: ``(n, label)``: a dashed line under the first ``n`` rows, labelled.

    Returns:
        The scene.
    """
    ticks = _ticks(maximum if maximum is not None else max((r.value or 0.0 for r in rows), default=0.0))
    top_value = maximum if maximum is not None else ticks[-1]
    shapes: list[Shape] = []
    y = 20.0 if marker else 4.0
    if marker is not None:
        shapes.append(Label(_x(marker.value, top_value), 12, marker.label, "marker", "middle"))
    y = _bar_rows(shapes, rows, y, top_value, track=maximum is not None, marker=marker, split_after=split_after)
    y += 4
    shapes.extend(_value_axis(ticks, top_value, y, unit))
    return Svg(ident, title, desc, BAR_WIDTH, round(y + 22, 2), tuple(shapes), "hbar")


def _bar_rows(shapes: list[Shape], rows: Sequence[Datum], y: float, top: float, *, track: bool,
              marker: Marker | None, split_after: tuple[int, str] | None) -> float:
    """Append the rows, the first at ``y``, and the split line if any, to ``shapes``; return the ``y`` below them."""
    for index, row in enumerate(rows):
        if split_after is not None and index == split_after[0] and 0 < index:
            shapes.append(Rule(0, y + 2, BAR_WIDTH, y + 2, "split"))
            shapes.append(Label(BAR_WIDTH, y + 17, split_after[1], "split", "end"))
            y += 20
        shapes.extend(_bar_row(row, y, top, track=track, marker=marker))
        y += BAR_ROW if row.bar else HEADING_ROW
    return y


def _value_axis(ticks: Sequence[float], top: float, y: float, unit: str) -> list[Shape]:
    """The axis line at ``y``, with a tick and a value for each of ``ticks`` up to ``top``."""
    shapes: list[Shape] = [Rule(0, y, BAR_WIDTH, y, "axis")]
    for tick in (t for t in ticks if t <= top):
        x = _x(tick, top)
        shapes.append(Rule(x, y, x, y + 4, "axis"))
        anchor = "start" if x <= 0 else "end" if x >= BAR_WIDTH else "middle"
        shapes.append(Label(x, y + 17, _num(tick) + unit, "axis", anchor))
    return shapes


def _x(value: float, top: float) -> float:
    """Position of ``value`` along a bar whose full length stands for ``top`` (clamped to the bar)."""
    return round(BAR_WIDTH * min(1.0, max(0.0, value / top)), 2) if top else 0.0


def _bar_row(row: Datum, y: float, top: float, *, track: bool, marker: Marker | None) -> list[Shape]:
    """Name, value, track and bar of one row whose top is at ``y``."""
    shapes = _row_labels(row, y)
    if not row.bar:
        return shapes
    bar_y = y + 24
    if track or row.value is None:
        shapes.append(Rect(0, bar_y, BAR_WIDTH, BAR_HEIGHT, "track", "" if row.value is not None else row.title))
    if row.value is not None and row.value > 0:
        shapes.append(Rect(0, bar_y, max(2.0, _x(row.value, top)), BAR_HEIGHT, row.tone, row.title))
    if marker is not None:
        x = _x(marker.value, top)
        shapes.append(Rule(x, bar_y - 3, x, bar_y + BAR_HEIGHT + 3, "marker", marker.label))
    return shapes


def _row_labels(row: Datum, y: float) -> list[Shape]:
    """The name (with its detail, fitted to the room the value leaves) and the value of a row whose top is at ``y``."""
    indent = 16.0 if row.indent else 0.0
    room = BAR_WIDTH - indent - len(row.text) * BAR_FONT * CHAR_WIDTH - 14
    name = _fit(row.label, room, BAR_FONT, tail=row.tail)
    detail = ""
    if row.detail and name == row.label:  # the detail takes what room the name leaves, keeping its end
        detail_room = room - (len(name) + 1) * BAR_FONT * CHAR_WIDTH
        detail = _fit(row.detail, detail_room, BAR_FONT * 0.8, tail=True) if detail_room > 60 else ""
    tone = "strong" if row.strong else ""
    full = " ".join(part for part in (row.label, row.detail) if part)
    return [
        Label(indent, y + 17, name, tone, "start", full if (name, detail) != (row.label, row.detail) else "", detail),
        Label(BAR_WIDTH, y + 17, row.text, tone or "value", "end"),
    ]


def timeline_chart(ident: str, title: str, desc: str, data: History) -> Svg:
    """Commits per month as columns, with each release marked by a line (labelled when there is room).

    Args:
        ident: Element id.
        title: Accessible name.
        desc: Text alternative.
        data: Months and releases.

    Returns:
        The scene.
    """
    width, height, left, right, top, bottom = 720.0, 240.0, 40.0, 10.0, 34.0, 24.0
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = _ticks(max(c for _, c in data.months))
    col = plot_w / len(data.months)
    shapes: list[Shape] = []
    for tick in ticks:
        y = round(top + plot_h * (1 - tick / ticks[-1]), 2)
        shapes.append(Rule(left, y, width - right, y, "grid"))
        shapes.append(Label(left - 6, y + 4, _num(tick), "axis", "end"))
    lines, labels = _release_marks(data, left, col, top, plot_h)
    shapes.extend(lines)  # behind the columns
    gap = 0.2 * col if col >= 4 else 0.0
    for index, (month, count) in enumerate(data.months):
        if count:
            h = max(1.0, plot_h * count / ticks[-1])
            x = round(left + index * col + gap / 2, 2)
            shapes.append(Rect(x, round(top + plot_h - h, 2), round(col - gap, 2), round(h, 2), "commits",
                               f"{month}: {count} commits"))
    shapes.extend(_year_labels(data.months, left, col, height - 6))
    shapes.extend(labels)
    return Svg(ident, title, desc, width, height, tuple(shapes), "timeline")


def _year_labels(months: Sequence[tuple[str, int]], left: float, col: float, y: float) -> list[Shape]:
    """A tick and a label at each January, every year or every few years as the columns' width allows."""
    step = max(1, math.ceil(40 / (12 * col)))
    shapes: list[Shape] = []
    for index, (month, _) in enumerate(months):
        year = int(month[:4])
        if month.endswith("-01") and year % step == 0:
            x = round(left + index * col, 2)
            shapes.append(Rule(x, y - 14, x, y - 10, "axis"))
            shapes.append(Label(x, y, str(year), "axis", "middle"))
    return shapes


def _release_marks(data: History, left: float, col: float, top: float, plot_h: float) -> tuple[
        list[Shape], list[Shape]]:
    """A faint line and a tick per release; names of the latest ones that fit without overlapping."""
    position = {month: i for i, (month, _) in enumerate(data.months)}
    shapes: list[Shape] = []
    labels: list[Shape] = []
    free_until = math.inf
    for name, date in reversed(data.releases):
        index = position.get(date[:7])
        if index is None:
            continue
        x = round(left + (index + 0.5) * col, 2)
        shapes.append(Rule(x, top, x, top + plot_h, "release-line"))
        shapes.append(Rule(x, top - 7, x, top - 1, "release", f"release {name} ({date})"))
        text = _fit(name, 70, 10)
        half = len(text) * 10 * CHAR_WIDTH / 2 + 4
        if x + half <= free_until and x - half >= 0:
            labels.append(Label(x, top - 11, text, "release", "middle", f"{name} ({date})"))
            free_until = x - half
    return shapes, labels


def ring_chart(ident: str, score: float | None, grade_letter: str) -> Svg:
    """The overall score as a ring gauge with the score and grade in its middle."""
    text = "n/a" if score is None else f"{score:.1f}"
    desc = "no conclusive check" if score is None else f"overall score {score:.2f} out of 10, grade {grade_letter}"
    shapes: tuple[Shape, ...] = (
        Ring(60, 60, 50, (score or 0.0) / 10, tone_of(score)),
        Label(60, 64, text, "ring-score", "middle"),
        Label(60, 84, f"grade {grade_letter}", "ring-grade", "middle"),
    )
    return Svg(ident, "Overall score", desc, 120, 120, shapes, "ring")
