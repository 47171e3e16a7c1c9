"""The public API a release added: each changed file's outline, and the parse of those that may add something.

The objects of a file are its public modules, classes and functions by dotted
path, as the docstring-coverage rule names them (:mod:`oshealth.analysis.public_api`).
A file that differs between two releases adds something only when its outline
at the release (:mod:`oshealth.release.outline`) names an object the release
before did not define; only such files are parsed, for the lines and docstrings
of what they add. Of sympy 1.14.0's 334 changed modules, 56 are.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from oshealth.analysis import pyfile, source
from oshealth.analysis.docstrings import DocNode
from oshealth.analysis.public_api import is_public, module_name
from oshealth.release import outline
from oshealth.release.outline import Definition

#: Kinds of public objects that are expected to carry a docstring (interrogate's; special methods
#: such as ``__init__`` are left out: their class documents them).
DOCUMENTED_KINDS = frozenset({"module", "class", "function"})


@dataclass(frozen=True)
class Addition:
    """A public object a release added.

    Attributes:
        path: Dotted path.
        kind: ``module``, ``class`` or ``function``.
        file: Repository-relative file at the tag.
        line: Its line at the tag (None for a module).
        documented: Whether it had a non-empty docstring at the tag.
    """

    path: str
    kind: str
    file: str
    line: int | None
    documented: bool


class Objects:
    """Each distinct blob's outline and parse, made at most once."""

    def __init__(self) -> None:
        """Know nothing yet."""
        self._outlines: dict[bytes, frozenset[Definition] | None] = {}
        self._parsed: dict[tuple[str, bytes], tuple[bool, dict[str, Addition]]] = {}

    def names_before(self, path: str, data: bytes) -> set[str]:
        """The dotted names of the public objects of an earlier version of a file.

        The outline when it vouches for the text, else the parse; when Python
        cannot parse the file, the outline as best it can be read (a file
        that stopped being Python 2 did not add everything it defines).
        """
        definitions = self.outline(data)
        if definitions is None:
            parsed, objects = self.parsed(path, data)
            if parsed:
                return set(objects)
            definitions = outline.best_effort(source.decode(data)[0])
        return _names(path, definitions)

    def names_only(self, path: str, data: bytes, known: set[str]) -> bool:
        """Whether the outline vouches that a file defines no public object beyond ``known``."""
        definitions = self.outline(data)
        return definitions is not None and _names(path, definitions) <= known

    def parsed(self, path: str, data: bytes) -> tuple[bool, dict[str, Addition]]:
        """Whether the file parses, and its documentable public objects by dotted path."""
        key = (path, data)
        if key not in self._parsed:
            self._parsed[key] = file_objects(path, data)
        return self._parsed[key]

    def outline(self, data: bytes) -> frozenset[Definition] | None:
        """The outline of a blob's text, None when it cannot vouch for it (see :mod:`oshealth.release.outline`)."""
        if data not in self._outlines:
            text, error = source.decode(data)
            self._outlines[data] = None if error else outline.public_definitions(text)
        return self._outlines[data]


def _names(path: str, definitions: frozenset[Definition]) -> set[str]:
    """The dotted names an outline gives, as :func:`file_objects` names objects (module included)."""
    if not is_public(_MODULE_ONLY, 0, path):
        return set()
    module = module_name(path)
    names = {module}
    for definition in definitions:
        dotted = f"{module}.{definition.qualname}"
        if not (definition.kind == "function" and is_special(dotted)):
            names.add(dotted)
    return names


#: A module's own record, to ask :func:`is_public` whether a file's path is public.
_MODULE_ONLY = (DocNode("", "", "Module", None, 0, None, None, False, False, frozenset()),)


def file_objects(path: str, data: bytes) -> tuple[bool, dict[str, Addition]]:
    """Whether a file parses, and its documentable public objects, special methods left out, by dotted path.

    A name defined more than once (a property's getter and setter, ``@overload``
    variants and their implementation) is one object, at its first line,
    documented when any definition has a docstring: flask's documented
    ``max_form_parts`` property was undocumented by its setter.
    """
    record = pyfile.analyse(path, data, docstrings_only=True)
    objects: dict[str, Addition] = {}
    for index, node in enumerate(record.doc_nodes):
        kind = _KINDS.get(node.node_type)
        dotted = module_name(path) + (f".{node.qualname}" if node.qualname else "")
        if kind and is_public(record.doc_nodes, index, path) and not (kind == "function" and is_special(dotted)):
            first = objects.get(dotted)
            if first is None:
                objects[dotted] = Addition(dotted, kind, path, node.line, node.covered)
            elif node.covered and not first.documented:
                objects[dotted] = dataclasses.replace(first, documented=True)
    return bool(record.doc_nodes), objects


_KINDS = {"Module": "module", "ClassDef": "class", "FunctionDef": "function", "AsyncFunctionDef": "function"}


def is_special(path: str) -> bool:
    """Whether an object is a special method (``__init__``, ``__repr__``): documented by its class."""
    name = path.rsplit(".", 1)[-1]
    return name.startswith("__") and name.endswith("__") and len(name) > 4
