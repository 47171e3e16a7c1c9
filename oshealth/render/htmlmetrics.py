"""The metric lists of the HTML report's check sections: each metric's value as short text.

Numbers are grouped, floats cut to two decimals, long lists and tables of
records cut after :data:`MAX_ITEMS`; a metric that a chart of its check draws
(:data:`~oshealth.render.htmlfigures.CHARTED`) says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from oshealth.models import MetricValue
from oshealth.render.htmlfigures import CHARTED

#: Most items of a list or mapping metric written out.
MAX_ITEMS = 12


@dataclass(frozen=True)
class MetricRow:
    """A named metric, its value formatted."""

    name: str
    key: str
    value: str
    wide: bool = False


def metric_row(check_id: str, key: str, value: MetricValue) -> MetricRow:
    """A metric as a row of the metric list, saying when a chart draws it."""
    text = format_metric(value)
    if key in CHARTED.get(check_id, set()) and isinstance(value, list | dict) and value:
        text += ", charted above"
    return MetricRow(key.replace("_", " "), key, text, wide=len(text) > 40)


def format_metric(value: MetricValue) -> str:
    """A metric value as short text: numbers grouped, floats to 2 decimals, long lists cut."""
    if value is None or isinstance(value, bool | int | float | str):
        return _scalar(value)
    return _collection(value)


def _scalar(value: bool | float | str | None) -> str:
    """A number, a yes/no, a text, or a dash for nothing."""
    if value is None:
        return "\u2014"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return value


def _collection(value: Sequence[Any] | Mapping[str, Any]) -> str:
    """A mapping's ``key: value`` pairs, or a list's items (records as short text), cut after a few."""
    if isinstance(value, Mapping):
        items = [f"{k}: {format_metric(v)}" for k, v in value.items()]
    elif all(isinstance(item, Mapping) for item in value):
        if len(value) > MAX_ITEMS:
            return f"{len(value):,} records"
        items = [_record(item) for item in value]
    else:
        items = [format_metric(item) for item in value]
    if not items:
        return "none"
    more = f", \u2026 {len(items) - MAX_ITEMS:,} more" if len(items) > MAX_ITEMS else ""
    return ", ".join(items[:MAX_ITEMS]) + more


def _record(item: Mapping[str, MetricValue]) -> str:
    """A small record: ``first: second`` for a pair (a month and its count), else its values."""
    values = [format_metric(v) for v in item.values()]
    return f"{values[0]}: {values[1]}" if len(values) == 2 else " ".join(values)
