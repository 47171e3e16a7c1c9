"""A shields.io endpoint badge: JSON that ``img.shields.io/endpoint?url=...`` draws.

The label, message and colour are the SVG badge's (:mod:`oshealth.render.badge`).
"""

from __future__ import annotations

import json

from oshealth.render.badge import LABEL, color, message
from oshealth.report import AuditReport

#: The endpoint schema version shields.io expects.
SCHEMA_VERSION = 1


def render(report: AuditReport) -> str:
    """The endpoint JSON (``schemaVersion``, ``label``, ``message``, ``color``) ending in a newline."""
    data = {"schemaVersion": SCHEMA_VERSION, "label": LABEL, "message": message(report), "color": color(report)}
    return json.dumps(data, indent=2) + "\n"
