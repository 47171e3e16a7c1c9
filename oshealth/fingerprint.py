"""What, besides its inputs, shapes a cached value: versions and oshealth's own code.

Every cache key (:mod:`oshealth.cache`) holds this namespace, so that an
upgraded or edited oshealth, another Python (``ast`` and ``tokenize`` change
with it) or another version of a library that computes facts starts afresh
instead of reading records of another shape or meaning.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import sys
from pathlib import Path

#: Libraries whose results are cached.
LIBRARIES = ("radon", "interrogate", "griffe", "GitPython", "ruff")
#: Bumped when the meaning of cached values changes without a code change (never so far).
_FORMAT = "1"


def namespace() -> str:
    """A digest of everything besides the inputs that shapes cached values: versions and oshealth's own code."""
    import oshealth  # read at call time: the version is what the running code says it is

    parts = [_FORMAT, oshealth.__version__, sys.version, _source_digest(), *library_versions()]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@functools.cache
def _source_digest() -> str:
    """SHA-256 of oshealth's own source files: an edited checkout must not read its old records."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def library_versions() -> tuple[str, ...]:
    """The versions of the libraries whose results are cached (``-`` for one not installed)."""
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    return tuple(versions)
