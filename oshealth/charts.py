"""Chart data: format-neutral rows read from the report's view model.

The functions here (:func:`score_rows`, :func:`coverage_rows`,
:func:`rank_rows`, :func:`top_blocks`, :func:`author_rows`, :func:`history`)
read a check's metrics and return records; they only group, sum for display
and sort, never recompute a check's numbers. :mod:`oshealth.svgcharts` lays
the records out as SVG scenes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from oshealth.models import MetricValue
from oshealth.report import AuditReport, CheckView
from oshealth.scoring import grade

#: Radon's cyclomatic complexity ranks and the range each covers.
RANKS = (("A", "1-5"), ("B", "6-10"), ("C", "11-20"), ("D", "21-30"), ("E", "31-40"), ("F", "41+"))


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
    """A score with one decimal, or ``n/a``."""
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
    packages = _package_totals(files)
    shown = sorted(sorted(packages, key=lambda p: (-packages[p][1], p))[:max_packages])
    package_rows = [_coverage_datum(p, *packages[p]) for p in shown]
    worst = sorted(files, key=lambda f: (f["covered"] - f["total"], f["path"]))[:max_modules]
    module_rows = _module_rows(worst, packages)
    notes = []
    if len(packages) > len(shown):
        notes.append(f"{len(shown)} of {len(packages)} folders shown, those with the most objects")
    if len(files) > len(worst):
        notes.append(f"{len(worst)} of {len(files)} modules shown, those with the most undocumented objects")
    return package_rows, module_rows, "; ".join(notes)


def _package_totals(files: Sequence[Mapping[str, Any]]) -> dict[str, list[int]]:
    """Covered and total objects of each folder, summed over its files."""
    packages: dict[str, list[int]] = {}
    for item in files:
        acc = packages.setdefault(_folder(item["path"]), [0, 0])
        acc[0] += item["covered"]
        acc[1] += item["total"]
    return packages


def _module_rows(files: Sequence[Mapping[str, Any]], packages: Mapping[str, list[int]]) -> list[Datum]:
    """A heading row per folder, with its whole coverage, over a row per file of ``files`` in it."""
    rows: list[Datum] = []
    for package in sorted({_folder(f["path"]) for f in files}):
        rows.append(_coverage_datum(package, *packages[package], strong=True))
        for item in sorted((f for f in files if _folder(f["path"]) == package), key=lambda f: f["path"]):
            name = item["path"].rpartition("/")[2]
            rows.append(_coverage_datum(name, item["covered"], item["total"], indent=True, path=item["path"]))
    return rows


def _folder(path: str) -> str:
    """The folder of a path, ``(top level)`` at the root."""
    folder = path.rpartition("/")[0]
    return folder or "(top level)"


def _coverage_datum(label: str, covered: int, total: int, *, strong: bool = False, indent: bool = False,
                    path: str = "") -> Datum:
    """A coverage bar: the documented share in percent, toned by the grade it would have."""
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
