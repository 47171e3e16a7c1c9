"""Renderers: each turns an :class:`~oshealth.report.AuditReport` into text.

Every format is rendered from the same view model; none recomputes a number.
A renderer module exposes ``render(report) -> str``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from oshealth.report import AuditReport


@dataclass(frozen=True)
class Format:
    """An output format.

    Attributes:
        name: The ``--format`` value.
        module: The renderer module under ``oshealth.render``.
        filename: The file written for this format with ``--output-dir``.
    """

    name: str
    module: str
    filename: str

    def renderer(self) -> Callable[[AuditReport], str]:
        """The format's ``render`` function (imported on first use: jinja2 only loads for HTML)."""
        render: Callable[[AuditReport], str] = importlib.import_module(f"oshealth.render.{self.module}").render
        return render


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("terminal", "terminal", "report.txt"),
        Format("json", "json", "report.json"),
        Format("markdown", "markdown", "report.md"),
        Format("html", "html", "report.html"),
        Format("sarif", "sarif", "report.sarif"),
        Format("badge", "badge", "badge.svg"),
        Format("shields", "shields", "shields.json"),
    )
}
