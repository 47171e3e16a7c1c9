"""Decoding and parsing of one Python source file, without ever running it."""

from __future__ import annotations

import ast
import io
import re
import sys
import threading
import tokenize
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from oshealth.analysis import timelimit

T = TypeVar("T")

#: Files larger than this are not parsed (a finding says so).
MAX_PARSE_BYTES = 5 * 1024 * 1024
_DEEP_RECURSION_LIMIT = 200_000
_DEEP_STACK_BYTES = 512 * 1024 * 1024
_STOP_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class ParsedSource:
    """A decoded and parsed Python file.

    Attributes:
        text: The source decoded as Python would (PEP 263 cookie, BOM, else UTF-8).
        tree: The module's AST, or None when it could not be parsed.
        error: Why the file could not be decoded or parsed, else None.
    """

    text: str
    tree: ast.Module | None
    error: str | None


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode Python source bytes the way the interpreter would.

    Args:
        data: The raw file content.

    Returns:
        The text (undecodable bytes replaced) and an error message when the
        declared encoding does not fit the bytes, else None.
    """
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        return data.decode("utf-8", errors="replace"), f"bad encoding declaration: {exc.msg}"
    try:
        return data.decode(encoding), None
    except (UnicodeDecodeError, LookupError):
        return data.decode("utf-8", errors="replace"), f"not valid {encoding}: undecodable bytes"


def parse(data: bytes) -> ParsedSource:
    """Decode and parse ``data`` as a Python module; never raises for bad input.

    Deeply nested code that overflows the default recursion limit is parsed
    again on a thread with a large stack, so that such files still count.

    Args:
        data: The raw file content.

    Returns:
        The parsed source, with ``error`` set when it cannot be parsed.
    """
    text, error = decode(data)
    if error:
        return ParsedSource(text, None, error)
    if len(data) > MAX_PARSE_BYTES:
        return ParsedSource(text, None, f"file larger than {MAX_PARSE_BYTES // (1024 * 1024)} MiB, not parsed")
    if b"\0" in data:
        return ParsedSource(text, None, "binary content (NUL byte), not parsed")
    try:
        tree = run_deep(lambda: _parse_quietly(text))
    except SyntaxError as exc:
        hint = " (Python 2 code?)" if _looks_like_python2(text) else _newer_syntax_hint(text, exc.lineno)
        return ParsedSource(text, None, f"syntax error at line {exc.lineno}: {exc.msg}{hint}")
    except (ValueError, RecursionError, MemoryError) as exc:
        return ParsedSource(text, None, f"cannot parse: {type(exc).__name__}")
    return ParsedSource(text, tree, None)


def _parse_quietly(text: str) -> ast.Module:
    """Parse source text with the compiler's warnings silenced.

    Args:
        text: The source.

    Returns:
        The module's AST.
    """
    with warnings.catch_warnings():
        # invalid escape sequences and the like are the audited project's business
        warnings.simplefilter("ignore")
        return ast.parse(text)


def run_deep(func: Callable[[], T]) -> T:
    """Call ``func``; on RecursionError call it again where deep recursion fits.

    The retry runs on a fresh thread with a 512 MiB stack and a high recursion
    limit: the interpreter's default limit is far below what machine-generated
    code (hundreds of nested levels) needs, and raising it on the main thread's
    small stack would risk a crash instead of an exception.

    Args:
        func: The work to do; must be safe to repeat.

    Returns:
        What ``func`` returned.

    Raises:
        RecursionError: Even the deep retry overflowed.
    """
    try:
        return func()
    except RecursionError:
        pass
    outcome: dict[str, object] = {}

    def target() -> None:
        """Run ``func`` on the deep-stack thread and keep its value or exception."""
        try:
            outcome["value"] = func()
        except BaseException as exc:  # handed back to the calling thread
            outcome["error"] = exc

    old_limit = sys.getrecursionlimit()
    old_stack = threading.stack_size(_DEEP_STACK_BYTES)
    sys.setrecursionlimit(_DEEP_RECURSION_LIMIT)
    try:
        worker = threading.Thread(target=target, name="oshealth-deep", daemon=True)
        worker.start()
        try:
            worker.join()
        except BaseException:
            # the per-file time limit (or ^C) interrupted the wait: stop the thread too
            timelimit.stop_thread(worker)
            worker.join(_STOP_WAIT_SECONDS)
            raise
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def _looks_like_python2(text: str) -> bool:
    """Guess whether text that failed to parse is Python 2 code, for a hint in the message.

    Args:
        text: The source.

    Returns:
        True when a line starts with a Python 2-only statement form or ``<>`` appears.
    """
    markers = ("print ", "except Exception, ", "exec ", "ur'", 'ur"')
    return any(line.lstrip().startswith(markers) for line in text.splitlines()) or "<>" in text


#: Statements of Python 3.12's type parameters (PEP 695): ``type X = ...``, ``def f[T](...)``, ``class C[T]:``.
_PEP_695 = re.compile(r"^\s*(?:type\s+[A-Za-z_]\w*\s*[\[=]|(?:async\s+)?def\s+\w+\s*\[|class\s+\w+\s*\[)")


def _newer_syntax_hint(text: str, lineno: int | None) -> str:
    """A hint when the line in error is Python 3.12 syntax and this Python is older (its grammar is the one used).

    Args:
        text: The source.
        lineno: The line of the error (1-based), if known.

    Returns:
        The hint, or "".
    """
    if sys.version_info >= (3, 12) or not lineno:
        return ""
    lines = text.splitlines()
    if lineno > len(lines) or not _PEP_695.match(lines[lineno - 1]):
        return ""
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    return f" (type parameters, Python 3.12 or later: oshealth runs on Python {running} here, whose grammar lacks them)"
