"""JSON rendering of the audit report (see ``docs/json-format.md``)."""

from __future__ import annotations

import json

from oshealth.report import AuditReport, to_dict


def render(report: AuditReport) -> str:
    """Render the report as indented, key-stable JSON ending in a newline."""
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
