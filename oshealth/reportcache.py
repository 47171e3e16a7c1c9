"""Whole audits reused: the reports of a repository in a state already audited come from the cache.

A report is a pure function of its inputs: the files of the work tree, the
history and tags, the configuration, the checks' and oshealth's own code, how
the repository is named in the report, and the audit clock (which counts
time by the hour, see :func:`oshealth.clock.audit_clock`). :func:`state`
digests all of them without reading the repository's files: HEAD, branch,
tags and the paths ``git status`` lists (with a digest of their content)
stand for the work tree. Two runs with the same state render byte for byte
the same reports but for the time they were generated, so a report is
stored once per state and format with a placeholder :func:`token` in place
of that time, and :func:`stamp` puts the current time in when it is written.

The reports of the last :data:`STATES_KEPT` states audited are kept per
repository; an audit of another state drops those of the state used longest ago.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import secrets
import string
import threading
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from importlib.metadata import EntryPoint
from pathlib import Path

from oshealth.cache import Cache
from oshealth.config import Config
from oshealth.git import GitRepository
from oshealth.report import AuditReport

#: The length of a generated-at stamp (``2026-01-31T12:00:00Z``): a token of the same length
#: leaves every line break and size budget of a rendered report where the stamp would put it.
STAMP_LENGTH = 20
_ALPHABET = string.ascii_lowercase + string.digits
_VIEW = "view"
_USED = "used"  # a small value rewritten whenever its state is used: the newest row marks the latest state
#: Report states kept per repository (a branch and its pull request, say, or HEAD and a change to it).
STATES_KEPT = 3


@dataclass(frozen=True)
class StoredBytes:
    """One format's rendered report as stored: UTF-8 bytes, with :attr:`token` where its generated-at time goes.

    Attributes:
        token: The placeholder of the generated-at time (ASCII).
        data: The report's bytes.
        gate_failed: Whether the report's score is below the configured gate.
    """

    token: bytes
    data: bytes
    gate_failed: bool


@dataclass(frozen=True)
class StoredView:
    """The view model of an audit, with :attr:`token` as its generated-at time.

    Attributes:
        token: The placeholder of the generated-at time.
        report: The report; ``report.generated_at`` is ``token``.
    """

    token: str
    report: AuditReport


def token() -> str:
    """A fresh placeholder for the generated-at time: random letters and digits, as long as a stamp.

    Its letters and digits pass every renderer's escaping unchanged, and 20
    random characters never occur by chance in a repository's text.
    """
    return "".join(secrets.choice(_ALPHABET) for _ in range(STAMP_LENGTH))


def stamp(data: bytes, placeholder: bytes, generated_at: str) -> bytes:
    """A report's UTF-8 bytes with the generated-at time in place of ``placeholder``."""
    return data.replace(placeholder, generated_at.encode("ascii"))


def state(repo: GitRepository, config: Config, checks: Sequence[EntryPoint], display_path: str, clock: int) -> str:
    """A digest of everything an audit's reports depend on, but the time they are generated.

    Args:
        repo: The repository.
        config: The audit's configuration (command-line overrides included).
        checks: The entry points of the checks that run (read, not loaded: a state seen
            before was audited with the same code, which loaded then).
        display_path: How the report names the repository.
        clock: The audit clock (epoch seconds).

    Returns:
        A hex digest; equal digests give equal reports.
    """
    digest = hashlib.sha256()
    parts = [
        display_path,
        str(clock),
        json.dumps(asdict(config), sort_keys=True, default=repr),
        repo.head() or "-",
        repo.branch() or "-",
        str(repo.is_shallow()),
        "\n".join(f"{tag.name} {tag.sha} {tag.created_at}" for tag in repo.tags()),
        repo.log_settings(),
        _code_digest(checks),
    ]
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for path in repo.worktree_changes():
        digest.update(path.encode("utf-8", "surrogateescape") + b"\0" + _content_digest(repo.root / path) + b"\0")
    return digest.hexdigest()


def _code_digest(checks: Sequence[EntryPoint]) -> str:
    """A digest of the checks' modules and of the report templates (oshealth's own modules are in the namespace).

    The built-in checks and the templates live beside the ``oshealth``
    package in an editable install, where the cache namespace does not see
    them. A check's module is found without importing it; its distribution's
    version stands for the rest of a plugin.
    """
    digest = hashlib.sha256()
    for point in sorted(checks, key=lambda ep: (ep.name, ep.value)):
        version = point.dist.version if point.dist is not None else "-"
        digest.update(f"{point.name}={point.value} {version}".encode() + b"\0" + _module_bytes(point.module) + b"\0")
    shipped = resources.files("oshealth.templates")
    for item in sorted(shipped.iterdir(), key=lambda entry: entry.name):
        if item.is_file():
            digest.update(item.name.encode() + b"\0" + item.read_bytes() + b"\0")
    return digest.hexdigest()


def _module_bytes(name: str) -> bytes:
    """The source of module ``name`` (found, not run), or a mark when it has none."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError) as exc:
        return f"unfound:{exc}".encode("utf-8", "surrogateescape")
    if spec is None or spec.origin is None:
        return b"unfound"
    try:
        return Path(spec.origin).read_bytes()
    except OSError:
        return f"unreadable:{spec.origin}".encode("utf-8", "surrogateescape")


def _content_digest(path: Path) -> bytes:
    """What a changed path holds now: its bytes' digest, a link's target, or a mark for a folder or nothing."""
    try:
        if path.is_symlink():
            return b"link:" + str(path.readlink()).encode("utf-8", "surrogateescape")
        if path.is_dir():
            return b"folder"  # a submodule or nested repository: its own commit is in git status's entry
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError as exc:
        return f"unreadable:{exc.errno}".encode()


class ReportStore:
    """The stored reports of one repository's last audited state."""

    def __init__(self, cache: Cache, repo: GitRepository, current: str) -> None:
        """Reports of state ``current`` of ``repo`` in ``cache``."""
        self._cache = cache
        self._kind = "report:" + hashlib.sha256(str(repo.common_dir).encode("utf-8", "surrogateescape")).hexdigest()
        self._state = cache.key("report", current)
        self._storing: threading.Thread | None = None

    def formats(self) -> set[str]:
        """The formats whose reports of the current state are stored."""
        prefix = self._key("")
        return {key[len(prefix):] for key in self._cache.keys(self._kind, prefix)} - {_VIEW, _USED}

    def text(self, name: str) -> StoredBytes | None:
        """The stored report in format ``name`` (its UTF-8 bytes, as they are written), or None."""
        data = self._cache.get_bytes(self._kind, self._key(name))
        if data is None:
            return None
        header, _, body = data.partition(b"\n")
        try:
            fields = json.loads(header)
            report = zlib.decompress(body)
            return StoredBytes(str(fields["token"]).encode("ascii"), report, fields["gate_failed"] is True)
        except (ValueError, KeyError, TypeError, UnicodeError, zlib.error):
            return None  # not written by this code, or damaged: a miss

    def view(self) -> StoredView | None:
        """The stored view model, or None."""
        return self._cache.get_many(self._kind, [self._key(_VIEW)], StoredView).get(self._key(_VIEW))

    def start(self, view: StoredView | None) -> None:
        """Store the view model of this state (when given)."""
        if view is not None:
            self._cache.put_many(self._kind, [(self._key(_VIEW), view)])

    def finish(self) -> None:
        """Mark this state used now (once its reports are stored) and keep the last :data:`STATES_KEPT` states only."""
        self.wait()
        self.used()
        self._cache.keep_groups(self._kind, len(self._key("")), STATES_KEPT)

    def used(self) -> None:
        """Mark this state's reports as used last (they are kept longest)."""
        self._cache.put_bytes(self._kind, self._key(_USED), b"", prune=False)

    def add(self, name: str, report: StoredBytes) -> None:
        """Store the report in format ``name`` of the current state: a line of JSON, then the bytes compressed.

        Reports repeat themselves (sympy's 41 MB of reports per state compress to 2.8 MB at zlib's fastest
        level, in 0.08 s); the cache, kept in the repository's git directory, stays small. zlib lets go
        of the interpreter while it compresses, so that happens on a thread while the next format is
        rendered; :meth:`finish` waits for it.
        """
        header = json.dumps({"token": report.token.decode("ascii"), "gate_failed": report.gate_failed}).encode()
        key = self._key(name)

        def store() -> None:
            """Compress and store the report."""
            self._cache.put_bytes(self._kind, key, header + b"\n" + zlib.compress(report.data, 1))

        self.wait()
        self._storing = threading.Thread(target=store, name="oshealth-report-store")
        self._storing.start()

    def wait(self) -> None:
        """Wait until the report being stored is."""
        if self._storing is not None:
            self._storing.join()
            self._storing = None

    def _key(self, name: str) -> str:
        """The key of one stored value of this state: the state, then what it is."""
        return f"{self._state}/{name}"
