"""Continuous integration: which files configure CI, and which of them run the tests.

A configuration runs the tests when its uncommented text holds a test command
(pytest, tox, nox, unittest, ``make test``...), or calls ``make TARGET`` and the
root Makefile's recipe for TARGET holds one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_CI_CONFIG = re.compile(
    r"\.github/workflows/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|\.circleci/config\.ya?ml|\.?azure-pipelines\.ya?ml"
    r"|\.azure-pipelines/.+\.ya?ml|\.travis\.ya?ml|\.?appveyor\.ya?ml|Jenkinsfile|\.drone\.ya?ml"
    r"|bitbucket-pipelines\.ya?ml|\.woodpecker\.ya?ml|\.woodpecker/.+\.ya?ml"
)
_TEST_COMMAND = re.compile(
    r"\b(?:py\.?test|tox|nox|unittest|trial|(?:make|just|task)\s+(?:test|check)|"
    r"(?:hatch|pdm|poetry|rye|pipenv)\s+(?:run\s+)?test|manage\.py\s+test|setup\.py\s+test|coverage\s+run)\b"
)
_MAKE_CALL = re.compile(r"\bmake\s+(?:-\S+\s+)*([A-Za-z_][\w.-]*)")


def ci_configs(files: Iterable[str], documents: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """CI configuration files, and those whose (uncommented) text runs a test command.

    ``make TARGET`` counts when the root Makefile's recipe for TARGET runs one.

    Args:
        files: Every file of the work tree.
        documents: The repository's text documents by path.

    Returns:
        ``(configs, configs running tests)``, in the order of ``files``.
    """
    configs = [p for p in files if _CI_CONFIG.fullmatch(p)]
    recipes = _make_recipes(documents.get("Makefile", "") or documents.get("makefile", ""))
    running = [path for path in configs if _runs_tests(_uncommented(documents.get(path, "")), recipes)]
    return configs, running


def _uncommented(text: str) -> str:
    """Drop the comment lines (``#`` or ``//``) of a configuration file.

    Args:
        text: The file's text.

    Returns:
        The remaining lines.
    """
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("#", "//")))


def _runs_tests(text: str, recipes: Mapping[str, str]) -> bool:
    """Whether a CI configuration runs a test command, itself or through a ``make`` target.

    Args:
        text: The configuration without comments.
        recipes: The root Makefile's recipes by target.

    Returns:
        True when it does.
    """
    if _TEST_COMMAND.search(text):
        return True
    return any(_TEST_COMMAND.search(recipes.get(target, "")) for target in _MAKE_CALL.findall(text))


def _make_recipes(makefile: str) -> dict[str, str]:
    """Target name -> its recipe lines (tab-indented), for simple Makefiles.

    Args:
        makefile: The Makefile's text.

    Returns:
        Each target's recipe, lines ending in newlines.
    """
    recipes: dict[str, str] = {}
    current: list[str] = []
    for line in makefile.splitlines():
        rule = re.match(r"^([\w.-]+(?:\s+[\w.-]+)*)\s*::?(?!=)", line)
        if rule:
            current = rule.group(1).split()
        elif line.startswith("\t"):
            for target in current:
                recipes[target] = recipes.get(target, "") + line + "\n"
        elif line.strip():
            current = []
    return recipes
