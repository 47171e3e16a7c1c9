"""The charts of the HTML report's check sections, as scenes for the template to draw."""

from __future__ import annotations

from dataclasses import dataclass

from oshealth import charts, svgcharts, svgscene
from oshealth.report import CheckView

#: Metrics drawn in a chart of their check (the metric list says so instead of listing records).
CHARTED = {
    "activity": {"history_monthly", "release_tags"},
    "complexity": {"most_complex", "rank_counts"},
    "contributor-spread": {"file_authors"},
    "docstring-coverage": {"files"},
}


@dataclass(frozen=True)
class Figure:
    """A chart with its heading and a note on what it leaves out."""

    heading: str
    svg: svgscene.Svg
    note: str = ""
    collapsed: bool = False
    wide: bool = False


def figures(view: CheckView) -> list[Figure]:
    """The charts of a check, for the checks that have some."""
    if view.id == "docstring-coverage":
        return _coverage_figures(view)
    if view.id == "complexity":
        return _complexity_figures(view)
    if view.id == "contributor-spread":
        return _author_figures(view)
    if view.id == "activity":
        return _activity_figures(view)
    return []


def _coverage_figures(view: CheckView) -> list[Figure]:
    """Docstring coverage by package and, folded, by module, with the target as a marker."""
    packages, modules, note = charts.coverage_rows(view)
    if not packages:
        return []
    target = view.metrics.get("fail_under")
    marker = svgcharts.Marker(float(target), f"target {target:g}%") if isinstance(target, int | float) else None
    desc = "Share of documented objects per folder: " + "; ".join(f"{r.label} {r.text}" for r in packages)
    figures = [Figure("Docstring coverage by package",
                      svgcharts.hbar_chart("chart-coverage-packages", "Docstring coverage by package", desc, packages,
                                        maximum=100.0, unit="%", marker=marker))]
    desc = "Share of documented objects per module, under its folder: " + "; ".join(
        f"{r.label} {r.text}" for r in modules if not r.strong)
    figures.append(Figure("Docstring coverage by module",
                          svgcharts.hbar_chart("chart-coverage-modules", "Docstring coverage by module", desc, modules,
                                            maximum=100.0, unit="%", marker=marker), note, collapsed=True))
    return figures


def _complexity_figures(view: CheckView) -> list[Figure]:
    """The blocks per complexity rank, and the most complex blocks."""
    figures = []
    ranks = charts.rank_rows(view)
    if ranks:
        desc = "Functions, methods and classes per cyclomatic complexity rank: " + ", ".join(
            f"{r.label.split()[0]} {r.text}" for r in ranks)
        figures.append(Figure("Complexity distribution (radon ranks)",
                              svgcharts.hbar_chart("chart-complexity-ranks", "Complexity distribution", desc, ranks)))
    blocks = charts.top_blocks(view)
    if blocks:
        rows = charts.block_rows(blocks)
        desc = "Most complex blocks: " + "; ".join(f"{r.label} {r.text}" for r in rows)
        figures.append(Figure(f"The {len(rows)} most complex functions",
                              svgcharts.hbar_chart("chart-complexity-top", "Most complex functions", desc, rows)))
    return figures


def _author_figures(view: CheckView) -> list[Figure]:
    """Each developer's share of authored files, the truck-factor people above a line."""
    rows, truck = charts.author_rows(view)
    if not rows:
        return []
    names = ", ".join(r.label for r in rows[:truck])
    desc = (f"Share of the source files each developer mainly authors. Truck factor {truck}"
            + (f": {names}." if truck else ".") + " " + "; ".join(f"{r.label} {r.text}" for r in rows))
    total = view.metrics.get("file_author_count")
    note = f"{len(rows)} of {total} file authors shown" if isinstance(total, int) and total > len(rows) else ""
    split = (truck, f"truck factor {truck}: the people above") if truck else None
    return [Figure("Contributor spread: share of authored files",
                   svgcharts.hbar_chart("chart-authors", "Share of authored files", desc, rows, maximum=100.0,
                                     unit="%", split_after=split), note)]


def _activity_figures(view: CheckView) -> list[Figure]:
    """Commits per month over the whole history, releases marked."""
    data = charts.history(view)
    if data is None:
        return []
    total = sum(c for _, c in data.months)
    busiest = max(data.months, key=lambda m: m[1])
    desc = (f"Commits per month from {data.months[0][0]} to {data.months[-1][0]}: {total:,} commits, "
            f"busiest month {busiest[0]} with {busiest[1]}. {len(data.releases)} releases marked"
            + (f", the latest {data.releases[-1][0]} on {data.releases[-1][1]}." if data.releases else "."))
    return [Figure("Commits per month, releases marked",
                   svgcharts.timeline_chart("chart-activity", "Activity over time", desc, data), wide=True)]
