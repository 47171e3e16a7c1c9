"""An SVG badge of the overall score, in shields.io's "flat" style.

The label reads "oshealth", the message the score and grade ("8.4 B") or
"no score"; the colour follows the grade. Text widths come from the
advance widths of Verdana at 11px, the font shields.io measures with, so
the badge looks like its neighbours in a README.
"""

from __future__ import annotations

from oshealth.report import AuditReport

LABEL = "oshealth"
#: shields.io's named colours, by grade; "-" is the grade of no score.
GRADE_COLORS = {"A": "brightgreen", "B": "green", "C": "yellow", "D": "orange", "F": "red", "-": "lightgrey"}
#: The hex value of each named colour, as shields.io draws it.
HEX = {
    "brightgreen": "#4c1",
    "green": "#97ca00",
    "yellow": "#dfb317",
    "orange": "#fe7d37",
    "red": "#e05d44",
    "lightgrey": "#9f9f9f",
}
_LABEL_COLOR = "#555"
_PADDING = 5
_HEIGHT = 20
# Advance widths (px) of printable ASCII, from " " (32) to "~" (126), in Verdana at 11px;
# the values of the anafanafo package (MIT) that shields.io's badge-maker uses.
_ASCII_WIDTHS = (
    3.87, 4.33, 5.05, 9.0, 6.99, 11.84, 7.99, 2.95, 5.0, 5.0, 6.99, 9.0, 4.0, 5.0, 4.0, 5.0,
    6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 5.0, 5.0, 9.0, 9.0, 9.0, 6.0,
    11.0, 7.52, 7.54, 7.68, 8.48, 6.96, 6.32, 8.53, 8.27, 4.63, 5.0, 7.62, 6.12, 9.27, 8.23, 8.66,
    6.63, 8.66, 7.65, 7.52, 6.78, 8.05, 7.52, 10.88, 7.54, 6.77, 7.54, 5.0, 5.0, 5.0, 9.0, 6.99,
    6.99, 6.61, 6.85, 5.73, 6.85, 6.55, 3.87, 6.85, 6.96, 3.02, 3.79, 6.51, 3.02, 10.7, 6.96, 6.68,
    6.85, 6.85, 4.69, 5.73, 4.33, 6.96, 6.51, 9.0, 6.51, 6.51, 5.78, 6.98, 5.0, 6.98, 9.0,
)
#: Width assumed for characters outside printable ASCII (a wide letter; only plugins could need it).
_OTHER_WIDTH = 9.0


def message(report: AuditReport) -> str:
    """The badge's message: score to one decimal and grade, or "no score"."""
    card = report.scorecard
    return "no score" if card.score is None else f"{card.score:.1f} {card.grade}"


def color(report: AuditReport) -> str:
    """The shields.io colour name of the report's grade."""
    return GRADE_COLORS.get(report.scorecard.grade, "lightgrey")


def text_width(text: str) -> int:
    """Width of ``text`` in Verdana 11px, in whole pixels, as shields.io computes it.

    The sum of the advance widths is truncated, then made odd so that the
    text, centred in its half, falls on the pixel grid.
    """
    total = sum(_ASCII_WIDTHS[ord(ch) - 32] if 32 <= ord(ch) <= 126 else _OTHER_WIDTH for ch in text)
    width = int(total)
    return width if width % 2 else width + 1


def render(report: AuditReport) -> str:
    """The badge as a standalone SVG document ending in a newline."""
    return svg(LABEL, message(report), HEX[color(report)])


def svg(label: str, value: str, fill: str) -> str:
    """A flat two-part badge with ``role="img"``, an ``aria-label`` and a ``<title>``."""
    label_text, value_text = text_width(label), text_width(value)
    left, right = label_text + 2 * _PADDING, value_text + 2 * _PADDING
    total = left + right
    title = f"{label}: {value}"
    text_fill, shadow = _text_colors(fill)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="{_HEIGHT}" role="img" '
        f"aria-label={_quoteattr(title)}>",
        f"<title>{_escape(title)}</title>",
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        '<stop offset="1" stop-opacity=".1"/></linearGradient>',
        f'<clipPath id="r"><rect width="{total}" height="{_HEIGHT}" rx="3" fill="#fff"/></clipPath>',
        f'<g clip-path="url(#r)"><rect width="{left}" height="{_HEIGHT}" fill="{_LABEL_COLOR}"/>'
        f'<rect x="{left}" width="{right}" height="{_HEIGHT}" fill="{fill}"/>'
        f'<rect width="{total}" height="{_HEIGHT}" fill="url(#s)"/></g>',
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
        'text-rendering="geometricPrecision" font-size="110">',
        _text(label, 0, label_text, "#fff", "#010101"),
        _text(value, left, value_text, text_fill, shadow),
        "</g></svg>",
    ]
    return "".join(parts) + "\n"


def _text(text: str, offset: int, width: int, fill: str, shadow: str) -> str:
    """A centred text with its 1px shadow, in shields.io's tenfold coordinates."""
    x = (offset + _PADDING) * 10 + width * 5
    body = _escape(text)
    return (
        f'<text aria-hidden="true" x="{x}" y="150" fill="{shadow}" fill-opacity=".3" transform="scale(.1)" '
        f'textLength="{width * 10}">{body}</text>'
        f'<text x="{x}" y="140" transform="scale(.1)" fill="{fill}" textLength="{width * 10}">{body}</text>'
    )


def _text_colors(fill: str) -> tuple[str, str]:
    """Dark text on light backgrounds, white otherwise (shields.io's brightness rule)."""
    digits = fill.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    brightness = (0.299 * red + 0.587 * green + 0.114 * blue) / 255
    return ("#333", "#ccc") if brightness > 0.69 else ("#fff", "#010101")


def _escape(text: str) -> str:
    """``xml.sax.saxutils.escape``: ``&``, ``<`` and ``>`` as entities (that module imports urllib: 7 ms a run)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _quoteattr(text: str) -> str:
    """``xml.sax.saxutils.quoteattr``: the text escaped and quoted as an attribute value, quotes chosen as it does."""
    value = _escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"{}"'.format(value.replace('"', "&quot;"))
