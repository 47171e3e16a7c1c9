"""Indented JSON text, byte for byte as ``json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)``, faster.

CPython's C encoder only runs when ``indent`` is None; with an indent, the
pure-Python encoder walks every value (about 1.5 s for a 20 MB report). Here
the C encoder writes every container of scalars (a finding, a metric record)
in one call, its item separator carrying the newline and the indentation;
and an array of such objects (the findings) in one call too, its separators
then fixed with plain string replacement. That is safe because the encoder
never writes a raw newline inside a string (it writes a backslash and ``n``): every newline
in its output is a separator. Only the few containers holding containers are
walked in Python.

A value may also be a :class:`Raw`: text its owner already wrote for the
nesting level it sits at (the SARIF results, written by a faster special
case of their own). :func:`chunks` gives the text in pieces, for a caller
that has something to fix in a few of them. :func:`items` and :func:`array`
let an owner write an array in parts (a check's findings, block by block)
that join into exactly the text :func:`dumps` writes for the whole array.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from itertools import chain
from json.encoder import encode_basestring
from typing import Any

_INDENT = "  "
_SCALARS = frozenset({str, int, float, bool, type(None)})


@dataclass(frozen=True)
class Raw:
    """Text written by its owner, inserted as it is.

    Attributes:
        write: Given the nesting level of the value (0 for the top level),
            returns its JSON text in pieces, the lines after the first
            indented as ``json.dumps(indent=2)`` would indent them at that level.
    """

    write: Callable[[int], Iterable[str]]


def dumps(value: Any) -> str:
    """``value`` as ``json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)`` writes it.

    Raises:
        TypeError: A value JSON cannot represent.
        ValueError: NaN or an infinity.
    """
    # one join at the end: joining at every level would copy a large report once per level
    return "".join(chunks(value))


def chunks(value: Any) -> list[str]:
    """The text of :func:`dumps` in pieces: a piece per scalar, per container of scalars, or per :class:`Raw` piece."""
    out: list[str] = []
    _value(value, 0, out)
    return out


def items(values: list[Any], level: int) -> str:
    """The items of a non-empty array at nesting ``level``, as :func:`dumps` writes them inside its brackets.

    The text runs from the first item's first character to the last item's
    last, the array's separators between them: :func:`array` joins such texts
    (of consecutive runs of items) into the array's text.
    """
    if _records_of_scalars(values):
        return "{\n" + _INDENT * (level + 2) + _record_body(values, level) + "\n" + _INDENT * (level + 1) + "}"
    out: list[str] = []
    _array(values, level, out)
    return "".join(out)[2 + len(_INDENT) * (level + 1) : -(2 + len(_INDENT) * level)]


def item_separator(level: int) -> str:
    """What stands between two items of an array at nesting ``level``."""
    return ",\n" + _INDENT * (level + 1)


def array(texts: list[str], level: int) -> list[str]:
    """The text of an array at nesting ``level`` in pieces, from the :func:`items` texts of its runs of items."""
    if not texts:
        return ["[]"]
    separator = item_separator(level)
    pieces = ["[\n" + _INDENT * (level + 1)]
    for text in texts:
        pieces += (text, separator)
    pieces[-1] = "\n" + _INDENT * level + "]"
    return pieces


def _value(value: Any, level: int, out: list[str]) -> None:
    """Append the text of any value at nesting ``level`` to ``out``."""
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif kind is dict:
        _object(value, level, out)
    elif kind is list:
        _array(value, level, out)
    elif kind in _SCALARS:
        out.append(_encoder(level).encode(value))
    elif isinstance(value, Raw):
        out.extend(value.write(level))
    else:
        out.append(_slow(value, level))


def _object(value: dict[Any, Any], level: int, out: list[str]) -> None:
    """A JSON object: in one C call when its values are scalars, else key by key."""
    if not value:
        out.append("{}")
    elif _types(value.values()) <= _SCALARS:
        out.append(_flat(value, level))
    elif _types(value) != {str}:
        out.append(_slow(value, level))
    else:
        separator = "{"
        inner = "\n" + _INDENT * (level + 1)
        for key, item in value.items():
            out.append(separator + inner + encode_basestring(key) + ": ")
            _value(item, level + 1, out)
            separator = ","
        out.append("\n" + _INDENT * level + "}")


def _array(value: list[Any], level: int, out: list[str]) -> None:
    """A JSON array: in one C call when its items are scalars or objects of scalars, else item by item."""
    if not value:
        out.append("[]")
    elif _types(value) <= _SCALARS:
        out.append(_flat(value, level))
    elif _records_of_scalars(value):
        _records(value, level, out)
    else:
        separator = "["
        inner = "\n" + _INDENT * (level + 1)
        for item in value:
            out.append(separator + inner)
            _value(item, level + 1, out)
            separator = ","
        out.append("\n" + _INDENT * level + "]")


def _types(values: Iterable[Any]) -> set[type]:
    """The exact types of ``values`` (C-level iteration: this runs over every finding)."""
    return set(map(type, values))


def _records_of_scalars(value: list[Any]) -> bool:
    """Whether ``value`` holds only non-empty dicts whose values are scalars."""
    return _types(value) == {dict} and all(value) and _types(chain.from_iterable(map(dict.values, value))) <= _SCALARS


def _flat(value: dict[Any, Any] | list[Any], level: int) -> str:
    """A non-empty container of scalars: the C encoder's separators carry the newlines and indentation."""
    text = _encoder(level + 1).encode(value)
    inner = _INDENT * (level + 1)
    return text[0] + "\n" + inner + text[1:-1] + "\n" + _INDENT * level + text[-1]


def _records(value: list[dict[Any, Any]], level: int, out: list[str]) -> None:
    """A non-empty array of non-empty objects of scalars, in one C call.

    Written with the separator of the objects' items, the array's own
    separators read ``},<newline><indent>{``: nothing else can (a value is a
    scalar, a key is a string), so a replacement fixes exactly those.
    """
    outer, item, inner = _INDENT * level, _INDENT * (level + 1), _INDENT * (level + 2)
    # appended, not concatenated: the body can be megabytes
    out += ("[\n" + item + "{\n" + inner, _record_body(value, level), "\n" + item + "}\n" + outer + "]")


def _record_body(value: list[dict[Any, Any]], level: int) -> str:
    """The text of records (see :func:`_records`) from the first one's first key to the last one's last value."""
    item, inner = _INDENT * (level + 1), _INDENT * (level + 2)
    text = _encoder(level + 2).encode(value)
    return text[2:-2].replace("},\n" + inner + "{", "\n" + item + "},\n" + item + "{\n" + inner)


def _slow(value: Any, level: int) -> str:
    """What the fast paths do not cover (other types, keys that are not strings): the standard encoder.

    Its text is indented for the top level; every newline in it is a separator, so it moves down by a prefix.
    """
    text = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
    return text.replace("\n", "\n" + _INDENT * level) if level else text


@cache
def _encoder(level: int) -> json.JSONEncoder:
    """The C encoder whose item separator starts a line indented for ``level``."""
    return json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",\n" + _INDENT * level, ": "))
