"""The SARIF run's results written block by block, each block's text kept between audits.

:func:`~oshealth.render.sarifresults.kept` picks the results finding by
finding. A check whose findings are blocks in report order
(:func:`~oshealth.render.findingblocks.in_order`) is cut by block instead: the
quota of each level takes whole blocks while it lasts, and a block cut short
by it is written finding by finding. A whole block's text, read through
:func:`oshealth.parts.texts`, depends on the block's findings and on the
check (its index in the run, its id and summary) and the nesting level,
which name the text's kind.

A result's fingerprint carries its occurrence among equal fingerprints
before it in the check. The engine's fingerprints digest the path and the
occurrence of a finding, so they never repeat within a check; but a check
may set its own. A block's stored text therefore starts with its findings'
fingerprints: when one repeats among the results a check keeps (blocks in
report order keep a prefix of the check's findings, and only earlier
findings count), that check's results are written finding by finding, as
:func:`~oshealth.render.sarifresults.kept` numbers them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from json.encoder import encode_basestring

from oshealth import parts
from oshealth.findinglist import FindingBlock
from oshealth.models import Finding
from oshealth.render import jsontext
from oshealth.render.findingblocks import SEVERITY_OF_RANK, in_order
from oshealth.render.sarifresults import LEVEL, Kept, Writer, kept_of, quota_of
from oshealth.report import CheckView

# between a block's fingerprints and its results in its stored text: the results' JSON text never holds a NUL
_SPLIT = "\0"


@dataclass
class Share:
    """The results one check keeps.

    Attributes:
        index: The check's index in the run.
        kept: Its results picked finding by finding (a check not in blocks).
        blocks: Its blocks kept whole, and the findings kept of a block cut short, in order.
        quota: The quota before the check, for writing it finding by finding after all.
    """

    index: int
    kept: list[Kept] = field(default_factory=list)
    blocks: list[FindingBlock | tuple[Finding, ...]] = field(default_factory=list)
    quota: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """The results of a run: each check's share, how many results and how many findings left out."""

    shares: tuple[Share, ...]
    count: int
    omitted: int


def plan(checks: Sequence[CheckView]) -> Plan:
    """Which findings of ``checks`` the run keeps (the same as :func:`~oshealth.render.sarifresults.kept`)."""
    quota = quota_of(checks)
    count = sum(quota.values())
    shares = []
    for index, view in enumerate(checks):
        blocks = in_order(view.findings)
        if blocks is None:
            shares.append(Share(index, kept=kept_of(index, view.findings, quota)))
        else:
            shares.append(_share(index, blocks, quota))
    return Plan(tuple(shares), count, sum(len(view.findings) for view in checks) - count)


def _share(index: int, blocks: Sequence[FindingBlock], quota: dict[str, int]) -> Share:
    """The blocks (or the first findings of one) of the ``index``-th check that ``quota`` leaves room for."""
    share = Share(index, quota=dict(quota))
    for block in blocks:
        level = LEVEL[SEVERITY_OF_RANK[block.rank]]
        taken = min(quota[level], block.size)
        quota[level] -= taken
        if taken == block.size:
            share.blocks.append(block)
        elif taken:
            share.blocks.append(tuple(block[:taken]))
    return share


def text(checks: Sequence[CheckView], shares: Sequence[Share], level: int) -> list[str]:
    """The results array at nesting ``level`` in pieces, as :func:`~oshealth.render.sarifresults.results_text`."""
    writer = Writer(checks, level)
    texts: list[str] = []
    for share in shares:
        texts += _share_texts(writer, share, level)
    return jsontext.array(texts, level)


def _share_texts(writer: Writer, share: Share, level: int) -> list[str]:
    """The text of a check's results, in runs of results."""
    if not share.blocks:
        return [writer.results(share.kept)] if share.kept else []
    view = writer.checks[share.index]
    whole = [block for block in share.blocks if isinstance(block, FindingBlock)]
    kind = _SPLIT.join(("sarif", str(level), str(share.index), view.id, view.summary))
    stored = iter(parts.texts(kind, whole, partial(_block_text, writer, share.index)))
    prints: list[str] = []
    texts: list[str] = []
    for block in share.blocks:
        if isinstance(block, FindingBlock):
            head, _, body = next(stored).partition(_SPLIT)
        else:
            head, body = _block_text(writer, share.index, block).partition(_SPLIT)[::2]
        prints += head.split("\n")
        texts.append(body)
    if len(set(prints)) < len(prints):  # a fingerprint repeats: number the occurrences
        kept = kept_of(share.index, writer.checks[share.index].findings, share.quota)
        return [writer.results(kept)]
    return texts


def _block_text(writer: Writer, index: int, findings: Sequence[Finding]) -> str:
    """The findings' fingerprints (encoded, one a line), a NUL, and their results (each the first occurrence)."""
    prints = "\n".join([encode_basestring(finding.fingerprint) for finding in findings])
    return prints + _SPLIT + writer.results([(index, finding, 1) for finding in findings])
