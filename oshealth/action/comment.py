"""One sticky pull-request comment, through GitHub's REST API (``urllib`` only).

The comment starts with a hidden marker (``<!-- oshealth-diff -->``). Each
run lists the pull request's comments (``GET /repos/{repo}/issues/{n}/comments``,
100 a page, following the ``Link: rel="next"`` header) and updates the
first comment that starts with the marker (``PATCH
/repos/{repo}/issues/comments/{id}``), or creates one (``POST``) when there is
none: a pull request never gets two.

A comment body holds at most 65,536 characters; the body is cut below that
(counted in UTF-16 code units, which is never fewer than characters) on a
line boundary, with a note. Requests carry ``Authorization: Bearer``,
``Accept: application/vnd.github+json`` and the API version header, and time
out; the token is never sent to a host other than the API's (a ``next``
link elsewhere ends the listing).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from oshealth import __version__

#: GitHub's limit on a comment body, in characters.
MAX_COMMENT = 65_536
_CUT_NOTE = "\n\n_This comment was cut to fit GitHub's limit; the job summary and the JSON report have it all._\n"
_PAGE_SIZE = 100
#: A pull request with more comments than this many pages is not searched further.
MAX_PAGES = 100
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="next"')


class ApiError(Exception):
    """A REST call failed.

    Attributes:
        status: The HTTP status, or None when no response came.
        read_only: Whether the token lacks the right (401, 403 or 404 on a write): a fork's token.
    """

    def __init__(self, message: str, status: int | None = None, rate_limited: bool = False) -> None:
        """Describe the failure.

        Args:
            message: What went wrong, for the log.
            status: The HTTP status, or None when no response came.
            rate_limited: Whether GitHub refused the call for a rate limit (a 403 or 429 saying so).
        """
        super().__init__(message)
        self.status = status
        self.rate_limited = rate_limited

    @property
    def read_only(self) -> bool:
        """Whether the failure means the token may not write (and not a rate limit or an outage)."""
        return self.status in (401, 403, 404) and not self.rate_limited


@dataclass(frozen=True)
class CommentResult:
    """What happened to the sticky comment.

    Attributes:
        action: ``created`` or ``updated``.
        url: The comment's web address.
        cut: Whether the body was cut to fit.
    """

    action: str
    url: str
    cut: bool


class GitHubApi:
    """A minimal GitHub REST client."""

    def __init__(self, api_url: str, token: str, timeout: float = 20.0) -> None:
        """Keep what every request needs.

        Args:
            api_url: The API root (``GITHUB_API_URL``).
            token: A token with ``pull-requests: write`` (or ``issues: write``) for comments.
            timeout: Seconds to wait for each response.
        """
        self.api_url = api_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def request(self, method: str, url: str, body: Mapping[str, Any] | None = None) -> tuple[Any, str]:
        """Send one request.

        Args:
            method: ``GET``, ``POST``, ``PATCH``.
            url: An absolute URL under the API root, or a path below it.
            body: A JSON body, or None.

        Returns:
            The decoded JSON response and its ``Link`` header (``""`` when absent).

        Raises:
            ApiError: The request failed or the response is not JSON.
        """
        full = url if url.startswith(("http://", "https://")) else f"{self.api_url}/{url.lstrip('/')}"
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(full, data=data, method=method, headers=self._headers(data is not None))
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = response.read()
                link = response.headers.get("Link", "")
        except urllib.error.HTTPError as exc:
            raise _http_error(method, full, exc) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise ApiError(f"{method} {urlsplit(full).path}: {exc}") from exc
        try:
            return (json.loads(payload) if payload else None), link
        except ValueError as exc:
            raise ApiError(f"{method} {urlsplit(full).path}: the response is not JSON") from exc

    def _headers(self, has_body: bool) -> dict[str, str]:
        """The headers GitHub asks REST clients to send."""
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": f"oshealth-action/{__version__}",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if has_body:
            headers["Content-Type"] = "application/json"
        return headers

    def same_host(self, url: str) -> bool:
        """Whether ``url`` is on the API's scheme and host (so the token may go there)."""
        ours, theirs = urlsplit(self.api_url), urlsplit(url)
        return (ours.scheme, ours.netloc) == (theirs.scheme, theirs.netloc)


def _http_error(method: str, url: str, exc: urllib.error.HTTPError) -> ApiError:
    """An :class:`ApiError` with GitHub's own message, when the body carries one."""
    try:
        detail = json.loads(exc.read() or b"{}").get("message", "")
    except (ValueError, AttributeError, OSError):
        detail = ""
    limited = exc.code in (403, 429) and (
        exc.headers.get("x-ratelimit-remaining") == "0" or "rate limit" in str(detail).lower()
    )
    text = f"{method} {urlsplit(url).path}: HTTP {exc.code}" + (f" ({detail})" if detail else "")
    return ApiError(text, exc.code, limited)


def fit_body(body: str, limit: int = MAX_COMMENT) -> tuple[str, bool]:
    """The body cut on a line boundary to fewer than ``limit`` UTF-16 code units, and whether it was cut."""
    if _utf16_length(body) < limit:
        return body, False
    room = limit - 1 - _utf16_length(_CUT_NOTE)
    units, end = 0, 0
    while end < len(body):  # stop at the first character that does not fit
        units += 2 if ord(body[end]) > 0xFFFF else 1
        if units > room:
            break
        end += 1
    head = body[:end]
    if "\n" in head:
        head = head[: head.rindex("\n")]
    return head + _CUT_NOTE, True


def _utf16_length(text: str) -> int:
    """Length in UTF-16 code units (what a JavaScript ``length`` counts)."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def find_comment(api: GitHubApi, repository: str, number: int, marker: str) -> Mapping[str, Any] | None:
    """The pull request's first comment whose body starts with ``marker``, or None.

    Raises:
        ApiError: A page could not be read.
    """
    url: str | None = f"repos/{repository}/issues/{number}/comments?per_page={_PAGE_SIZE}"
    pages = 0
    while url is not None and pages < MAX_PAGES:
        comments, link = api.request("GET", url)
        pages += 1
        for comment in comments if isinstance(comments, list) else []:
            if isinstance(comment, Mapping) and str(comment.get("body") or "").lstrip().startswith(marker):
                return comment
        match = _NEXT.search(link)
        url = match.group(1) if match and api.same_host(match.group(1)) else None
    return None


def upsert_comment(api: GitHubApi, repository: str, number: int, marker: str, markdown: str) -> CommentResult:
    """Create the sticky comment, or update it in place when it exists.

    Args:
        api: The client.
        repository: ``owner/name``.
        number: The pull request's number.
        marker: The hidden marker that identifies the comment (an HTML comment).
        markdown: The report (the marker is put first unless the report starts with it).

    Returns:
        What was done, and the comment's address.

    Raises:
        ApiError: A request failed (``read_only`` tells a read-only token apart).
    """
    body, cut = fit_body(markdown if markdown.startswith(marker) else f"{marker}\n{markdown}")
    existing = find_comment(api, repository, number, marker)
    if existing is not None and isinstance(existing.get("id"), int):
        reply, _ = api.request("PATCH", f"repos/{repository}/issues/comments/{existing['id']}", {"body": body})
        action = "updated"
    else:
        reply, _ = api.request("POST", f"repos/{repository}/issues/{number}/comments", {"body": body})
        action = "created"
    url = reply.get("html_url", "") if isinstance(reply, Mapping) else ""
    return CommentResult(action, str(url), cut)


def pull_request_head(api: GitHubApi, repository: str, number: int) -> str:
    """The current head commit of a pull request (``GET /repos/{repo}/pulls/{n}``).

    Raises:
        ApiError: The request failed or the answer has no head commit.
    """
    reply, _ = api.request("GET", f"repos/{repository}/pulls/{number}")
    head = reply.get("head") if isinstance(reply, Mapping) else None
    sha = head.get("sha") if isinstance(head, Mapping) else None
    if not isinstance(sha, str):
        raise ApiError(f"pull request {number} has no head commit in the API's answer")
    return sha
