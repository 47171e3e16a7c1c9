"""Version tags: parse names like ``v1.2.3``, ``1.2``, ``release-1.0``, ``pkg-2.0rc1``.

The grammar follows PEP 440 (release segment, pre-, post- and dev-release,
local label) with the spellings seen in git tags: an optional leading ``v``,
an optional word prefix ending in ``-``, ``_``, ``/`` or ``@`` (``release-``,
``flask-``, ``api/v``, ``pkg@``), and ``-``/``_``/``.`` separators before the
pre-release letters. Names that are not versions (``latest``, ``stable``,
``2024-01-15``) parse to None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from oshealth.git import Tag

_PRE_SPELLINGS = {"a": "a", "alpha": "a", "b": "b", "beta": "b", "c": "rc", "rc": "rc", "pre": "rc", "preview": "rc"}

_VERSION_BODY = r"""
    (?P<release>\d+(?:\.\d+)*)
    (?:[-_.]?(?P<pre_l>alpha|beta|preview|pre|rc|a|b|c)[-_.]?(?P<pre_n>\d+)?)?
    (?:[-_.]?(?:post|rev|r)[-_.]?(?P<post>\d+))?
    (?:[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev>\d+)?)?
    (?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?
"""
_TAG_RE = re.compile(
    r"^(?:[a-z][a-z0-9_.-]*?[-_/@])?v?" + _VERSION_BODY + r"$",
    re.VERBOSE | re.IGNORECASE,
)
#: A version written in running text (a changelog heading, a sentence).
_TEXT_RE = re.compile(r"(?<![\w.+#-])v?" + _VERSION_BODY + r"(?![\w+]|\.\d)", re.VERBOSE | re.IGNORECASE)


@dataclass(frozen=True, order=False)
class Version:
    """A parsed version.

    Attributes:
        text: The version part of the name, without prefix (``1.2.3rc1``).
        release: The release numbers, ``(1, 2, 3)``.
        pre: Pre-release as ``("a" | "b" | "rc", number)``, or None.
        post: Post-release number, or None.
        dev: Development-release number, or None.
        local: Local label after ``+`` (lower-cased), or "".
    """

    text: str
    release: tuple[int, ...]
    pre: tuple[str, int] | None = None
    post: int | None = None
    dev: int | None = None
    local: str = ""

    @property
    def is_prerelease(self) -> bool:
        """Whether this is a pre-release or development release (PEP 440)."""
        return self.pre is not None or self.dev is not None

    def key(self) -> tuple[object, ...]:
        """PEP 440 sort key; equal keys mean equal versions (``1.0 == 1.0.0``)."""
        release = list(self.release)
        while len(release) > 1 and release[-1] == 0:
            release.pop()
        # ordering within a release: 1.0.dev1 < 1.0a1 < 1.0 < 1.0.post1
        if self.pre is None and self.post is None and self.dev is not None:
            pre: tuple[int, str, int] = (0, "", 0)
        elif self.pre is None:
            pre = (2, "", 0)
        else:
            pre = (1, self.pre[0], self.pre[1])
        post = -1 if self.post is None else self.post
        dev = float("inf") if self.dev is None else float(self.dev)
        return (tuple(release), pre, post, dev, self.local)

    def __str__(self) -> str:
        """Return the version as written (without any tag prefix)."""
        return self.text


def _from_match(match: re.Match[str]) -> Version:
    """Build a version from a match of the version pattern.

    Args:
        match: The match.

    Returns:
        The version, its text starting at the release number.
    """
    pre = None
    if match.group("pre_l"):
        pre = (_PRE_SPELLINGS[match.group("pre_l").lower()], int(match.group("pre_n") or 0))
    post = match.group("post")
    text = match.group(0)
    start = match.start("release") - match.start(0)
    return Version(
        text=text[start:],
        release=tuple(int(part) for part in match.group("release").split(".")),
        pre=pre,
        post=None if post is None else int(post),
        dev=int(match.group("dev") or 0) if match.group("dev_l") else None,
        local=(match.group("local") or "").lower(),
    )


def parse(name: str) -> Version | None:
    """Parse a tag name as a version.

    Args:
        name: A tag name such as ``v1.2.3``, ``1.2``, ``release-1.0`` or ``pkg-2.0rc1``.

    Returns:
        The version, or None when the name is not a version.
    """
    match = _TAG_RE.match(name.strip())
    return _from_match(match) if match else None


def find_in_text(text: str) -> Iterator[Version]:
    """Yield every version written in ``text`` (``Version 1.2.0``, ``## [v2.0] - ...``).

    Args:
        text: Free text such as a changelog.

    Yields:
        Each version found, in order of appearance. Lone numbers (``2``) are
        included, so callers should compare with :meth:`Version.key`.
    """
    for match in _TEXT_RE.finditer(text):
        yield _from_match(match)


@dataclass(frozen=True)
class Release:
    """A tag whose name parses as a version.

    Attributes:
        tag: The git tag.
        version: Its parsed version.
    """

    tag: Tag
    version: Version


def version_tags(tags: Iterable[Tag]) -> tuple[list[Release], list[Tag]]:
    """Split tags into version tags and the rest.

    Args:
        tags: Tags in any order.

    Returns:
        Version tags (sorted by date, then name) and the tags that are not versions
        (sorted by name).
    """
    releases: list[Release] = []
    others: list[Tag] = []
    for tag in tags:
        version = parse(tag.name)
        if version is None:
            others.append(tag)
        else:
            releases.append(Release(tag, version))
    releases.sort(key=lambda r: (r.tag.created_at, r.tag.name))
    others.sort(key=lambda t: t.name)
    return releases, others


def latest_final(releases: Iterable[Release]) -> Release | None:
    """The highest final (not pre-release) version; the highest pre-release if there is no final one.

    Args:
        releases: Version tags.

    Returns:
        The release with the highest version (ties: the newest tag), or None.
    """
    candidates = list(releases)
    finals = [r for r in candidates if not r.version.is_prerelease]
    pool = finals or candidates
    if not pool:
        return None
    return max(pool, key=lambda r: (r.version.key(), r.tag.created_at, r.tag.name))
