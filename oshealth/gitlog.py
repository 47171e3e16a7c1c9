"""Parsing of ``git log -z --name-status`` output into :class:`~oshealth.git.Commit` records.

Pure functions over bytes: no git call happens here (see :mod:`oshealth.git`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from sys import intern
from typing import IO

_RECORD = "\x1e"
_FIELD = "\x1f"


@dataclass(frozen=True)
class FileChange:
    """One file touched by a commit, as ``git log --name-status -M`` reports it.

    Attributes:
        status: The change letter: A, M, D, R (rename), C (copy) or T (type change).
        path: The path after the change.
        old_path: The path before a rename or copy, else None.
    """

    status: str
    path: str
    old_path: str | None = None


@dataclass(frozen=True)
class Commit:
    """One commit of the history, authors already mapped through ``.mailmap``.

    Attributes:
        sha: Full commit id.
        parents: Parent commit ids (two or more for a merge).
        author_name: Author name, ``.mailmap`` applied.
        author_email: Author e-mail, ``.mailmap`` applied, lower-cased.
        authored_at: Author time, seconds since the epoch (UTC).
        subject: First line of the message.
        changes: Files changed; empty for merges (git log shows no diff for them).
    """

    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    authored_at: int
    subject: str
    changes: tuple[FileChange, ...]

    @property
    def is_merge(self) -> bool:
        """Whether the commit has more than one parent."""
        return len(self.parents) > 1


@dataclass(frozen=True)
class Tag:
    """A tag pointing (possibly through an annotated tag) at a commit.

    Attributes:
        name: Tag name without ``refs/tags/``.
        sha: The commit it points at.
        created_at: Tag date for annotated tags, else the commit date (epoch seconds).
    """

    name: str
    sha: str
    created_at: int


def parse_log(stream: IO[bytes]) -> Iterator[Commit]:
    """Read ``git log``'s machine-readable output as it streams in.

    Args:
        stream: git's standard output.

    Yields:
        One commit per record.
    """
    buffer = b""
    for chunk in iter(lambda: stream.read(1 << 16), b""):
        buffer += chunk
        *complete, buffer = buffer.split(_RECORD.encode())
        for record in complete:
            if record:
                yield parse_record(record.decode("utf-8", errors="replace"))
    if buffer:
        yield parse_record(buffer.decode("utf-8", errors="replace"))


def parse_record(record: str) -> Commit:
    """Read one commit record: header fields, then ``--name-status -z`` changes.

    Args:
        record: The record's text.

    Returns:
        The commit; renames and copies carry their old path.
    """
    header, _, body = record.partition("\0")
    sha, parents, name, email, when, subject = (header.split(_FIELD, 5) + [""] * 6)[:6]
    changes = parse_name_status(body.lstrip("\n"))
    return Commit(
        sha=sha,
        parents=tuple(parents.split()),
        # names and paths recur in thousands of commits: one shared string each keeps the history small
        author_name=intern(name),
        author_email=intern(email.lower()),
        authored_at=int(when or 0),
        subject=subject,
        changes=tuple(changes),
    )


def parse_name_status(out: str) -> list[FileChange]:
    """Parse ``--name-status -z`` output (of ``git diff``, or of one ``git log`` record)."""
    tokens = out.split("\0")
    changes: list[FileChange] = []
    i = 0
    while i < len(tokens) and tokens[i]:
        status = tokens[i].lstrip("\n")
        if status[:1] in ("R", "C"):
            changes.append(FileChange(status[0], intern(tokens[i + 2]), intern(tokens[i + 1])))
            i += 3
        else:
            changes.append(FileChange(status[0], intern(tokens[i + 1])))
            i += 2
    return changes


def parse_unified_zero(out: str) -> dict[str, set[int]]:
    """Parse ``git diff -U0`` output into the added or changed line numbers of each new path.

    Deleted files have no new lines and are left out; a file whose only change
    is a deletion of lines maps to an empty set.
    """
    lines: dict[str, set[int]] = {}
    current: str | None = None
    for line in out.splitlines():
        if line.startswith("+++ "):
            # git ends the name with a tab when it holds a space (GNU diff's habit); a real tab is C-quoted
            target = line[4:].removesuffix("\t")
            current = None if target == "/dev/null" else _strip_prefix(unquote_c(target))
            if current is not None:
                lines.setdefault(current, set())
        elif line.startswith("@@ ") and current is not None:
            start, count = _new_side(line)
            lines[current].update(range(start, start + count))
    return lines


def _new_side(header: str) -> tuple[int, int]:
    """The ``+start,count`` part of a hunk header (count 1 when omitted)."""
    new = header.split(" ")[2].lstrip("+")
    start, _, count = new.partition(",")
    return int(start), int(count) if count else 1


def _strip_prefix(path: str) -> str:
    """Drop git's ``b/`` prefix from a diff path."""
    return path[2:] if path.startswith(("a/", "b/")) else path


_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def unquote_c(text: str) -> str:
    """Undo git's C-style quoting of a path: backslash escapes, and octal bytes for non-ASCII."""
    if not (len(text) >= 2 and text.startswith('"') and text.endswith('"')):
        return text
    body, out, i = text[1:-1], bytearray(), 0
    while i < len(body):
        char = body[i]
        if char != "\\":
            out += char.encode("utf-8")
            i += 1
        elif body[i + 1] in _ESCAPES:
            out.append(_ESCAPES[body[i + 1]])
            i += 2
        else:
            out.append(int(body[i + 1 : i + 4], 8))
            i += 4
    return out.decode("utf-8", "surrogateescape")
