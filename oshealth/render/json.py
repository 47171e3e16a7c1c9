"""JSON rendering of the audit report (see ``docs/json-format.md``).

A check's findings kept in blocks (:class:`~oshealth.findinglist.FindingList`)
are written block by block: each block's text is the records of its findings
at their nesting level, and :func:`oshealth.parts.texts` reads the text of a
block an earlier audit wrote from the cache, so a re-audit writes the
findings of the files that changed and copies the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from oshealth import parts
from oshealth.findinglist import FindingBlock, FindingList
from oshealth.models import Finding
from oshealth.render import jsontext
from oshealth.report import AuditReport, finding_dicts, to_dict


def render(report: AuditReport) -> str:
    """Render the report as indented, key-stable JSON ending in a newline.

    The text is ``json.dumps(to_dict(report), indent=2, ensure_ascii=False)``'s,
    written faster by :func:`oshealth.render.jsontext.dumps`.
    """
    pieces = jsontext.chunks(to_dict(report, findings=_findings))
    pieces.append("\n")  # joined once: the text can be tens of megabytes
    return "".join(pieces)


def _findings(findings: Sequence[Finding]) -> list[dict[str, Any]] | jsontext.Raw:
    """A check's findings: records, or for blocks the text written block by block."""
    if isinstance(findings, FindingList) and findings.blocks:
        return jsontext.Raw(partial(_text, findings))
    return finding_dicts(findings)


def _text(findings: FindingList, level: int) -> list[str]:
    """The findings array at nesting ``level`` in pieces: each block's records, then the loose findings'."""
    separator = jsontext.item_separator(level)
    texts = [parts.joined(f"json:{level}", findings.blocks, partial(_block_text, level=level), separator)]
    if findings.loose:
        texts.append(jsontext.items(finding_dicts(findings.loose), level))
    return jsontext.array(texts, level)


def _block_text(block: FindingBlock, level: int) -> str:
    """The records of a block's findings, as they stand in an array at nesting ``level``."""
    return jsontext.items(finding_dicts(block), level)
