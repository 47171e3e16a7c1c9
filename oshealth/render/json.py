"""JSON rendering of the audit report (see ``docs/json-format.md``)."""

from __future__ import annotations

from oshealth.render import jsontext
from oshealth.report import AuditReport, to_dict


def render(report: AuditReport) -> str:
    """Render the report as indented, key-stable JSON ending in a newline.

    The text is ``json.dumps(to_dict(report), indent=2, ensure_ascii=False)``'s,
    written faster by :func:`oshealth.render.jsontext.dumps`.
    """
    return jsontext.dumps(to_dict(report)) + "\n"
