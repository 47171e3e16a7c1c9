"""Writing report files: atomically, so a file is either whole or untouched."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

from oshealth.errors import UsageError


def write_atomic(target: Path, text: str | bytes) -> None:
    """Write ``text`` to ``target`` so that it is either whole or untouched.

    The text goes to a temporary file in the same folder, is flushed to disk,
    then renamed over the target: an interruption at any point leaves either
    the old file or the new one, never a half-written file.

    Args:
        target: The file to (re)place.
        text: The content, written as UTF-8 with Unix line ends (bytes: as they are).

    Raises:
        UsageError: The folder cannot be made or written.
    """
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text if isinstance(text, bytes) else text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class BackgroundWriter:
    """Writes files with :func:`write_atomic` one at a time on a thread, while the caller goes on.

    Flushing a large report to disk mostly waits for the disk (sympy's JSON
    and SARIF reports: 50-100 ms), time in which the next one can be
    rendered. At most one file is pending: :meth:`write` waits for the one
    before, and :meth:`wait` for the last; either raises what writing raised.
    """

    def __init__(self) -> None:
        """A writer with nothing pending."""
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def write(self, target: Path, data: bytes) -> None:
        """Start writing ``data`` to ``target`` once the file before is written.

        Raises:
            UsageError: The file before could not be written.
        """
        self.wait()
        self._thread = threading.Thread(target=self._write, args=(target, data), name="oshealth-writer")
        self._thread.start()

    def _write(self, target: Path, data: bytes) -> None:
        """Write one file, keeping what it raises for :meth:`wait`."""
        try:
            write_atomic(target, data)
        except BaseException as exc:  # handed to the waiting thread, which raises it
            self._error = exc

    def wait(self) -> None:
        """Wait for the file being written.

        Raises:
            UsageError: It could not be written.
        """
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        error, self._error = self._error, None
        if error is not None:
            raise error


def _mode_for(target: Path) -> int:
    """The permissions a new report gets: the old file's, else what ``open`` would give.

    ``mkstemp`` creates files readable by their owner only; a published badge
    or report must stay readable by a web server, as a plain write would leave it.
    """
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def plan_outputs(
    formats: list[str],
    output: Path | None,
    output_dir: Path | None,
    filenames: Mapping[str, str] | None = None,
) -> dict[str, Path | None]:
    """Decide where each requested format goes (None: standard output).

    Every command that writes reports (audit, diff, release-check) plans its
    outputs here, so the rules are the same everywhere.

    Args:
        formats: Requested format names, in order, without duplicates.
        output: ``--output``: one file, only with a single format.
        output_dir: ``--output-dir``: a folder for every format's default file name.
        filenames: Each format's file name in ``output_dir`` (default: the audit's).

    Returns:
        Each format name with its target path, or None for stdout.

    Raises:
        UsageError: The combination is ambiguous.
    """
    if output is not None and output_dir is not None:
        raise UsageError("give either --output or --output-dir, not both")
    if output is not None:
        if len(formats) != 1:
            raise UsageError("--output takes one format; use --output-dir for several")
        return {formats[0]: output}
    if output_dir is not None:
        return _into_folder(formats, output_dir, filenames)
    if len(formats) > 1 and any(name != "terminal" for name in formats):
        raise UsageError("several formats need --output-dir (only one can go to standard output)")
    return dict.fromkeys(formats)


def _into_folder(formats: list[str], folder: Path, filenames: Mapping[str, str] | None) -> dict[str, Path | None]:
    """Each format's file name inside ``folder``, which is made when the reports are written.

    A folder that cannot be made (a file is in the way) is refused now, before the audit runs.
    """
    if filenames is None:
        from oshealth.render import FORMATS

        filenames = {name: fmt.filename for name, fmt in FORMATS.items()}
    existing = next(path for path in (folder, *folder.absolute().parents) if path.exists())
    if not existing.is_dir():
        raise UsageError(f"--output-dir {folder}: {existing} is not a directory")
    return {name: folder / filenames[name] for name in formats}
