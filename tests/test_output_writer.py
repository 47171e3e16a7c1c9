"""Report files written on a thread: every one whole, a failure raised to the caller."""

from __future__ import annotations

from pathlib import Path

import pytest

from oshealth.errors import UsageError
from oshealth.output import BackgroundWriter


def test_files_are_written_whole_and_a_failure_is_raised_by_wait(tmp_path: Path) -> None:
    writer = BackgroundWriter()
    writer.write(tmp_path / "a.json", b"a" * 1_000_000)
    writer.write(tmp_path / "b.json", b"b")
    writer.wait()
    assert (tmp_path / "a.json").read_bytes() == b"a" * 1_000_000 and (tmp_path / "b.json").read_bytes() == b"b"
    (tmp_path / "file").write_text("x", encoding="utf-8")
    writer.write(tmp_path / "file" / "c.json", b"c")  # a folder under a file cannot be made
    with pytest.raises(UsageError, match="cannot write"):
        writer.wait()
    writer.wait()  # raised once
    writer.write(tmp_path / "file" / "d.json", b"d")
    with pytest.raises(UsageError, match="cannot write"):
        writer.write(tmp_path / "e.json", b"e")  # the failure before is raised by the next write
    assert not (tmp_path / "e.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json", "file"]
