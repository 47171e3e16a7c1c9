"""Charts of the report: data taken from the view model, then laid out as SVG shapes.

Two layers. The *data* functions (:func:`score_rows`, :func:`coverage_rows`,
:func:`rank_rows`, :func:`top_blocks`, :func:`author_rows`, :func:`history`)
read a check's metrics and findings and return format-neutral records; they
only group, sum for display and sort, never recompute a check's numbers. The
*layout* functions (:func:`hbar_chart`, :func:`timeline_chart`,
:func:`ring_chart`) turn records into :class:`Svg` scenes of rectangles, lines
and labels with their coordinates. A template draws a scene by looping over
its shapes; every text goes through the template's autoescaping, so names
taken from a repository never become markup.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from oshealth.models import MetricValue
from oshealth.report import AuditReport, CheckView
from oshealth.scoring import grade

#: Average width of a character, as a share of the font size (system sans-serif).
CHAR_WIDTH = 0.6
#: Radon's cyclomatic complexity ranks and the range each covers.
RANKS = (("A", "1-5"), ("B", "6-10"), ("C", "11-20"), ("D", "21-30"), ("E", "31-40"), ("F", "41+"))


# --- scene: what a template draws ----------------------------------------------------------------


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


# --- data: records read from the view model -------------------------------------------------------


@dataclass(frozen=True)
class Datum:
    """One row of a bar chart.

    Attributes:
        label: The row's name.
        value: Length of the bar, in the chart's unit.
        text: The value as shown beside the bar.
        tone: Colour class.
        title: Tooltip with the details.
        strong: A heading row (a category, a package).
        indent: Indent the label (a row under a heading).
        bar: Draw a bar (False: a heading with its value text only).
        tail: When the label is too long, keep its end (paths).
        detail: Muted text after the label (a location), dropped first when room is short.
    """

    label: str
    value: float | None
    text: str
    tone: str
    title: str = ""
    strong: bool = False
    indent: bool = False
    bar: bool = True
    tail: bool = False
    detail: str = ""


def tone_of(score: float | None) -> str:
    """Colour class of a 0-10 score: its grade (``g-a`` ... ``g-f``), ``g-none`` without a score."""
    return "g-none" if score is None else f"g-{grade(score).lower()}"


def category_scores(checks: Sequence[CheckView]) -> dict[str, float | None]:
    """Each category's score for display: the weighted mean of its conclusive checks, as in the overall score."""
    sums: dict[str, list[float]] = {}
    for view in checks:
        acc = sums.setdefault(view.category, [0.0, 0.0])
        if view.status.is_conclusive and view.score is not None and view.weight > 0:
            acc[0] += view.weight * view.score
            acc[1] += view.weight
    return {cat: (round(s / w, 2) if w > 0 else None) for cat, (s, w) in sorted(sums.items())}


def score_rows(report: AuditReport) -> list[Datum]:
    """Rows of the score chart: each category, then its checks."""
    rows: list[Datum] = []
    for category, score in category_scores(report.checks).items():
        rows.append(Datum(category, score, _score_text(score), tone_of(score), f"category {category}", strong=True,
                          bar=False))
        for view in report.checks:
            if view.category == category:
                text = _score_text(view.score) if view.score is not None else view.status.value
                title = f"{view.id}: {view.status.value}, weight {view.weight:g}. {view.reason}"
                rows.append(Datum(view.id, view.score, text, tone_of(view.score), title, indent=True))
    return rows


def _score_text(score: float | None) -> str:
    return "n/a" if score is None else f"{score:.1f}"


def _records(metrics: Mapping[str, MetricValue], key: str, fields: Mapping[str, type | tuple[type, ...]]) -> list[
        dict[str, Any]]:
    """The list of records ``metrics[key]``, keeping only records whose fields have the expected types."""
    value = metrics.get(key)
    if not isinstance(value, list):
        return []
    return [
        item for item in value
        if isinstance(item, dict) and all(isinstance(item.get(f), t) for f, t in fields.items())
    ]


def coverage_rows(view: CheckView, max_packages: int = 40, max_modules: int = 250) -> tuple[
        list[Datum], list[Datum], str]:
    """Docstring coverage by package (folder) and by module, from the metric ``files``.

    Args:
        view: The docstring-coverage check.
        max_packages: Most packages shown (those with most objects).
        max_modules: Most modules shown (those with most undocumented objects).

    Returns:
        Package rows, module rows grouped under their package, and a note on what was left out.
    """
    files = [f for f in _records(view.metrics, "files", {"path": str, "covered": int, "total": int}) if f["total"] > 0]
    packages: dict[str, list[int]] = {}
    for item in files:
        acc = packages.setdefault(_folder(item["path"]), [0, 0])
        acc[0] += item["covered"]
        acc[1] += item["total"]
    shown = sorted(sorted(packages, key=lambda p: (-packages[p][1], p))[:max_packages])
    package_rows = [_coverage_datum(p, *packages[p]) for p in shown]
    worst = sorted(files, key=lambda f: (f["covered"] - f["total"], f["path"]))[:max_modules]
    module_rows: list[Datum] = []
    for package in sorted({_folder(f["path"]) for f in worst}):
        module_rows.append(_coverage_datum(package, *packages[package], strong=True))
        for item in sorted((f for f in worst if _folder(f["path"]) == package), key=lambda f: f["path"]):
            name = item["path"].rpartition("/")[2]
            module_rows.append(_coverage_datum(name, item["covered"], item["total"], indent=True, path=item["path"]))
    notes = []
    if len(packages) > len(shown):
        notes.append(f"{len(shown)} of {len(packages)} folders shown, those with the most objects")
    if len(files) > len(worst):
        notes.append(f"{len(worst)} of {len(files)} modules shown, those with the most undocumented objects")
    return package_rows, module_rows, "; ".join(notes)


def _folder(path: str) -> str:
    folder = path.rpartition("/")[0]
    return folder or "(top level)"


def _coverage_datum(label: str, covered: int, total: int, *, strong: bool = False, indent: bool = False,
                    path: str = "") -> Datum:
    percent = 100.0 * covered / total
    title = f"{path or label}: {covered} of {total} documented ({percent:.1f}%)"
    return Datum(label, percent, f"{percent:.0f}% of {total:,}", tone_of(percent / 10), title, strong, indent,
                 tail=True)


def rank_rows(view: CheckView) -> list[Datum]:
    """Blocks per cyclomatic complexity rank A-F, from the metric ``rank_counts``."""
    counts = view.metrics.get("rank_counts")
    if not isinstance(counts, dict):
        return []
    rows = []
    for rank, span in RANKS:
        count = counts.get(rank, 0)
        if isinstance(count, int):
            title = f"rank {rank} (complexity {span}): {count} blocks"
            rows.append(Datum(f"{rank}  ({span})", count, f"{count:,}", f"r-{rank.lower()}", title))
    return rows


@dataclass(frozen=True)
class Block:
    """A function, method or class of the complexity check's ``most_complex`` metric.

    Attributes:
        kind: function, method or class.
        name: Qualified name.
        complexity: Cyclomatic complexity.
        rank: Radon's rank.
        path: File path.
        line: Line of the definition.
    """

    kind: str
    name: str
    complexity: int
    rank: str
    path: str
    line: int


def top_blocks(view: CheckView) -> list[Block]:
    """The most complex blocks, from the complexity check's metric ``most_complex`` (already sorted)."""
    fields = {"kind": str, "name": str, "complexity": int, "rank": str, "path": str, "line": int}
    return [
        Block(r["kind"], r["name"], r["complexity"], r["rank"], r["path"], r["line"])
        for r in _records(view.metrics, "most_complex", fields)
    ]


def block_rows(blocks: Sequence[Block]) -> list[Datum]:
    """Bar rows of :func:`top_blocks`."""
    rows = []
    for b in blocks:
        where = f"{b.path}:{b.line}"
        title = f"{b.kind} {b.name}, {where}: complexity {b.complexity}"
        rows.append(Datum(b.name, b.complexity, f"{b.complexity} ({b.rank})", f"r-{b.rank.lower()}", title,
                          detail=where))
    return rows


def author_rows(view: CheckView) -> tuple[list[Datum], int]:
    """Each listed developer's share of the source files they author, and how many are in the truck factor.

    Returns:
        Rows (truck-factor people first, marked ``tf``) and the truck factor.
    """
    files = view.metrics.get("source_files")
    people = _records(view.metrics, "file_authors", {"name": str, "files": int})
    tf_names = view.metrics.get("truck_factor_authors")
    truck = view.metrics.get("truck_factor")
    if not isinstance(files, int) or files <= 0 or not isinstance(tf_names, list) or not isinstance(truck, int):
        return [], 0
    rows = []
    for index, person in enumerate(people):
        share = 100.0 * person["files"] / files
        in_set = index < truck  # the metric lists the truck-factor people first
        tone = "tf" if in_set else "people"
        title = f"{person['name']}: main author of {person['files']} of {files} source files ({share:.0f}%)"
        count = f"{person['files']:,} file{'s' if person['files'] != 1 else ''}"
        rows.append(Datum(person["name"], share, f"{count} ({share:.0f}%)", tone, title))
    return rows, truck


@dataclass(frozen=True)
class History:
    """Commits per month over the whole history, with the releases.

    Attributes:
        months: ``(YYYY-MM, commits)``, oldest first, every month.
        releases: ``(tag, YYYY-MM-DD)``, oldest first.
    """

    months: tuple[tuple[str, int], ...]
    releases: tuple[tuple[str, str], ...]


def history(view: CheckView) -> History | None:
    """The activity check's ``history_monthly`` and ``release_tags``, or None without history."""
    months = _records(view.metrics, "history_monthly", {"month": str, "commits": int})
    releases = _records(view.metrics, "release_tags", {"name": str, "date": str})
    if not months:
        return None
    return History(tuple((m["month"], m["commits"]) for m in months), tuple((r["name"], r["date"]) for r in releases))


# --- layout: records to scenes --------------------------------------------------------------------


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
    for index, row in enumerate(rows):
        if split_after is not None and index == split_after[0] and 0 < index:
            shapes.append(Rule(0, y + 2, BAR_WIDTH, y + 2, "split"))
            shapes.append(Label(BAR_WIDTH, y + 17, split_after[1], "split", "end"))
            y += 20
        shapes.extend(_bar_row(row, y, top_value, track=maximum is not None, marker=marker))
        y += BAR_ROW if row.bar else HEADING_ROW
    y += 4
    shapes.append(Rule(0, y, BAR_WIDTH, y, "axis"))
    for tick in (t for t in ticks if t <= top_value):
        x = _x(tick, top_value)
        shapes.append(Rule(x, y, x, y + 4, "axis"))
        anchor = "start" if x <= 0 else "end" if x >= BAR_WIDTH else "middle"
        shapes.append(Label(x, y + 17, _num(tick) + unit, "axis", anchor))
    return Svg(ident, title, desc, BAR_WIDTH, round(y + 22, 2), tuple(shapes), "hbar")


def _x(value: float, top: float) -> float:
    return round(BAR_WIDTH * min(1.0, max(0.0, value / top)), 2) if top else 0.0


def _bar_row(row: Datum, y: float, top: float, *, track: bool, marker: Marker | None) -> list[Shape]:
    """Name, value, track and bar of one row whose top is at ``y``."""
    indent = 16.0 if row.indent else 0.0
    room = BAR_WIDTH - indent - len(row.text) * BAR_FONT * CHAR_WIDTH - 14
    name = _fit(row.label, room, BAR_FONT, tail=row.tail)
    detail = ""
    if row.detail and name == row.label:  # the detail takes what room the name leaves, keeping its end
        detail_room = room - (len(name) + 1) * BAR_FONT * CHAR_WIDTH
        detail = _fit(row.detail, detail_room, BAR_FONT * 0.8, tail=True) if detail_room > 60 else ""
    tone = "strong" if row.strong else ""
    full = " ".join(part for part in (row.label, row.detail) if part)
    shapes: list[Shape] = [
        Label(indent, y + 17, name, tone, "start", full if (name, detail) != (row.label, row.detail) else "", detail),
        Label(BAR_WIDTH, y + 17, row.text, tone or "value", "end"),
    ]
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
