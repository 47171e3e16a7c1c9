"""A stand-in for GitHub's REST API on 127.0.0.1, and a simulated Actions environment, for the Action's tests.

The fake implements just what the Action calls: listing an issue's comments
(paginated, with a ``Link`` header), creating and updating a comment, and
reading a pull request. It enforces what GitHub enforces and the Action must
respect: a token, write access for writes (403 "Resource not accessible by
integration" for a read-only token, as a fork's pull request gets), and the
65,536-character limit on a body (422).

The server runs in a daemon thread, answers only on the loopback interface,
and stops by itself after :data:`LIFETIME` seconds even if a test forgets it.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

LIFETIME = 60.0
REPOSITORY = "octo/widgets"
WRITE_TOKEN = "ghs_write"
READ_TOKEN = "ghs_read"
MAX_BODY = 65_536


@dataclass
class FakeGitHub:
    """The API's state and the requests it received."""

    base_url: str = ""
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    pulls: dict[int, str] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    page_cap: int = 100
    next_id: int = 1000

    def add_comment(self, number: int, body: str, login: str = "someone") -> dict[str, Any]:
        """Put a comment on an issue, as if someone had written it."""
        self.next_id += 1
        comment = {
            "id": self.next_id,
            "body": body,
            "user": {"login": login},
            "html_url": f"https://github.example/{REPOSITORY}/pull/{number}#issuecomment-{self.next_id}",
        }
        self.comments.setdefault(number, []).append(comment)
        return comment

    def writes(self) -> list[dict[str, Any]]:
        """The POST and PATCH requests received, in order."""
        return [r for r in self.requests if r["method"] in ("POST", "PATCH")]


_COMMENTS = re.compile(rf"^/repos/{REPOSITORY}/issues/(\d+)/comments$")
_COMMENT = re.compile(rf"^/repos/{REPOSITORY}/issues/comments/(\d+)$")
_PULL = re.compile(rf"^/repos/{REPOSITORY}/pulls/(\d+)$")


class _Server(ThreadingHTTPServer):
    """An HTTP server that carries the fake's state."""

    state: FakeGitHub


class _Handler(BaseHTTPRequestHandler):
    """Answers the REST calls the Action makes, from the server's :class:`FakeGitHub`."""

    server: _Server

    @property
    def state(self) -> FakeGitHub:
        return self.server.state

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _record(self) -> tuple[str, dict[str, list[str]], Any, str]:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        self.state.requests.append({
            "method": self.command, "path": url.path, "query": url.query, "body": body,
            "authorization": self.headers.get("Authorization"), "accept": self.headers.get("Accept"),
        })
        return url.path, parse_qs(url.query), body, token

    def _authorised(self, token: str, write: bool) -> bool:
        if token not in (WRITE_TOKEN, READ_TOKEN):
            self._send(401, {"message": "Bad credentials"})
            return False
        if write and token != WRITE_TOKEN:
            self._send(403, {"message": "Resource not accessible by integration"})
            return False
        return True

    def do_GET(self) -> None:
        path, query, _, token = self._record()
        if not self._authorised(token, write=False):
            return
        if match := _COMMENTS.match(path):
            self._list(int(match.group(1)), query)
        elif match := _PULL.match(path):
            number = int(match.group(1))
            if number not in self.state.pulls:
                self._send(404, {"message": "Not Found"})
            else:
                self._send(200, {"number": number, "head": {"sha": self.state.pulls[number]}})
        else:
            self._send(404, {"message": "Not Found"})

    def _list(self, number: int, query: dict[str, list[str]]) -> None:
        per_page = min(int(query.get("per_page", ["30"])[0]), self.state.page_cap)
        page = int(query.get("page", ["1"])[0])
        items = self.state.comments.get(number, [])
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(items):
            headers["Link"] = (f'<{self.state.base_url}/repos/{REPOSITORY}/issues/{number}/comments?'
                               f'per_page={per_page}&page={page + 1}>; rel="next"')
        self._send(200, chunk, headers)

    def _body_ok(self, body: Any) -> bool:
        if not isinstance(body, dict) or not isinstance(body.get("body"), str):
            self._send(422, {"message": "Invalid request"})
            return False
        if len(body["body"]) > MAX_BODY:
            self._send(422, {"message": "Validation Failed", "errors": [{"message": "body is too long"}]})
            return False
        return True

    def do_POST(self) -> None:
        path, _, body, token = self._record()
        match = _COMMENTS.match(path)
        if not match:
            self._send(404, {"message": "Not Found"})
        elif self._authorised(token, write=True) and self._body_ok(body):
            self._send(201, self.state.add_comment(int(match.group(1)), body["body"], "github-actions[bot]"))

    def do_PATCH(self) -> None:
        path, _, body, token = self._record()
        match = _COMMENT.match(path)
        found = [c for cs in self.state.comments.values() for c in cs if match and c["id"] == int(match.group(1))]
        if not found:
            self._send(404, {"message": "Not Found"})
        elif self._authorised(token, write=True) and self._body_ok(body):
            found[0]["body"] = body["body"]
            self._send(200, found[0])


@contextmanager
def fake_github() -> Iterator[FakeGitHub]:
    """Serve a :class:`FakeGitHub` on 127.0.0.1 for the duration of the block (and at most :data:`LIFETIME`)."""
    state = FakeGitHub()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.state = state
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    watchdog = threading.Timer(LIFETIME, server.shutdown)
    watchdog.daemon = True
    thread.start()
    watchdog.start()
    try:
        yield state
    finally:
        watchdog.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def actions_environment(tmp_path: Path, event_name: str, event: dict[str, Any], **inputs: str) -> dict[str, str]:
    """The variables a runner sets for a step, with fresh summary and output files and the event payload.

    The machine's own ``GITHUB_*``, ``RUNNER_*`` and ``INPUT_*`` variables (when the tests run in Actions)
    are dropped, so that only the simulated run is seen.
    """
    run = tmp_path / "runner"
    run.mkdir(parents=True, exist_ok=True)
    (run / "event.json").write_text(json.dumps(event), encoding="utf-8")
    for name in ("summary.md", "output.txt"):
        (run / name).write_text("", encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GITHUB_", "RUNNER_", "INPUT_")) and k != "OSHEALTH_CONFIG"}
    env.update({
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(run / "event.json"),
        "GITHUB_REPOSITORY": REPOSITORY,
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_API_URL": "http://127.0.0.1:9",  # discard port: replaced by the fake's address when one runs
        "GITHUB_RUN_ID": "7",
        "GITHUB_SHA": "f" * 40,  # the merge commit on pull_request events: never to be used
        "GITHUB_STEP_SUMMARY": str(run / "summary.md"),
        "GITHUB_OUTPUT": str(run / "output.txt"),
        "RUNNER_TEMP": str(run),
    })
    env.update({f"INPUT_{key.upper()}": value for key, value in inputs.items()})
    return env


def read_outputs(path: Path) -> dict[str, str]:
    """Parse a ``GITHUB_OUTPUT`` file as the runner does: ``name=value`` lines and ``name<<DELIM`` blocks."""
    outputs: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, index)
            outputs[name] = "\n".join(lines[index:end])
            index = end + 1
        else:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


def pull_request_event(
    number: int, base: str, head: str, labels: tuple[str, ...] = (), fork: bool = False
) -> dict[str, Any]:
    """A ``pull_request`` event payload with the fields the Action reads."""
    return {
        "action": "synchronize",
        "number": number,
        "pull_request": {
            "number": number,
            "labels": [{"name": label} for label in labels],
            "base": {"sha": base, "ref": "main", "repo": {"full_name": REPOSITORY}},
            "head": {"sha": head, "ref": "topic",
                     "repo": {"full_name": "forker/widgets" if fork else REPOSITORY}},
        },
    }
