"""Continuous integration: which files configure CI, and which of them run the tests.

A configuration runs the tests when its uncommented text holds a test command
(pytest, tox, nox, unittest, ``make test``...), calls ``make TARGET`` and the
root Makefile's recipe for TARGET holds one, or runs a script of the repository
(``bash ci/test.sh``, ``./scripts/test``, ``python tools/run_tests.py``) whose
uncommented text holds one. Only scripts a configuration runs are followed, one
level deep: a requirements file that names pytest runs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping

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
# a script run by an interpreter, or by its own path from the work tree's root
_SCRIPT_CALL = re.compile(
    r"(?:\b(?:bash|sh|dash|zsh|source|python3?|pwsh)\s+(?:-\S+\s+)*(?:\./)?|(?<![\w/.$-])\./)"
    r"([\w.-]+(?:/[\w.-]+)*)"
)


def is_ci_config(path: str) -> bool:
    """Whether ``path`` is a CI configuration file of a known service.

    Args:
        path: Repository-relative POSIX path.

    Returns:
        True for GitHub Actions workflows, GitLab CI, CircleCI, Azure Pipelines, Travis...
    """
    return _CI_CONFIG.fullmatch(path) is not None


def called_scripts(config: str, files: Collection[str]) -> list[str]:
    """The repository's files a CI configuration runs as scripts, in order of first call.

    Args:
        config: The configuration's text.
        files: The repository's files (a script must be one of them).

    Returns:
        Their repository-relative paths.
    """
    called = (match.group(1) for match in _SCRIPT_CALL.finditer(_uncommented(config)))
    return list(dict.fromkeys(path for path in called if path in files and not is_ci_config(path)))


def ci_configs(files: Iterable[str], documents: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """CI configuration files, and those whose (uncommented) text runs a test command.

    ``make TARGET`` counts when the root Makefile's recipe for TARGET runs one.

    Args:
        files: Every file of the work tree.
        documents: The repository's text documents by path.

    Returns:
        ``(configs, configs running tests)``, in the order of ``files``.
    """
    configs = [p for p in files if is_ci_config(p)]
    recipes = _make_recipes(documents.get("Makefile", "") or documents.get("makefile", ""))
    running = [path for path in configs if _runs_tests(documents.get(path, ""), recipes, documents)]
    return configs, running


def _uncommented(text: str) -> str:
    """Drop the comment lines (``#`` or ``//``) of a configuration file.

    Args:
        text: The file's text.

    Returns:
        The remaining lines.
    """
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("#", "//")))


def _runs_tests(config: str, recipes: Mapping[str, str], documents: Mapping[str, str]) -> bool:
    """Whether a CI configuration runs a test command, itself, through a ``make`` target or a script.

    Args:
        config: The configuration's text.
        recipes: The root Makefile's recipes by target.
        documents: The repository's text documents (the scripts CI configurations run among them).

    Returns:
        True when it does.
    """
    text = _uncommented(config)
    if _TEST_COMMAND.search(text):
        return True
    if any(_TEST_COMMAND.search(recipes.get(target, "")) for target in _MAKE_CALL.findall(text)):
        return True
    scripts = called_scripts(config, documents)
    return any(_TEST_COMMAND.search(_uncommented(documents[script])) for script in scripts)


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
