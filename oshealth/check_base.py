"""The base class of every check, built-in or plugin: what a check declares and how it is documented.

A check is a class with an id, a category, a weight and default options that
turns :class:`~oshealth.facts.RepoFacts` into a
:class:`~oshealth.models.CheckResult`; its class docstring is its
documentation. Plugins import it as ``oshealth.models.Check``, which names
this class.
"""

from __future__ import annotations

import inspect
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from oshealth.facts import RepoFacts
    from oshealth.models import CheckResult


class Check(ABC):
    """Base class of every check plugin.

    Subclasses set the class variables and implement :meth:`evaluate` as a
    pure function of the facts and their options. The class docstring is the
    check's documentation: its first line is the summary shown by
    ``oshealth checks``; the rest (what, how it scores, how to fix) is shown by
    ``oshealth explain``.
    """

    id: ClassVar[str]
    category: ClassVar[str]
    weight: ClassVar[float] = 1.0
    #: Default values of the options this check accepts in config.
    default_options: ClassVar[Mapping[str, Any]] = {}

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        """Create the check with its options merged over the defaults.

        Args:
            options: Per-check options from config, already validated.
        """
        self.options: dict[str, Any] = {**self.default_options, **(options or {})}

    @abstractmethod
    def evaluate(self, facts: RepoFacts) -> CheckResult:
        """Judge the repository described by ``facts``.

        Args:
            facts: Everything read from the repository.

        Returns:
            The check's result.
        """

    @classmethod
    def documentation(cls) -> str:
        """The check's full documentation, from its class docstring."""
        return inspect.cleandoc(cls.__doc__ or "").strip()

    @classmethod
    def summary(cls) -> str:
        """The first line of the check's documentation."""
        doc = cls.documentation()
        return doc.splitlines()[0] if doc else ""

    @classmethod
    def remediation(cls) -> str:
        """The "Fix:" section of the check's documentation ("" when it has none)."""
        lines = cls.documentation().splitlines()
        for index, line in enumerate(lines):
            if line.startswith("Fix:"):
                rest = [line.removeprefix("Fix:").strip()]
                for following in lines[index + 1 :]:
                    if not following.strip() or re.match(r"^[A-Z][\w -]*:", following):
                        break
                    rest.append(following.strip())
                return " ".join(part for part in rest if part)
        return ""
