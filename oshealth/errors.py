"""Errors raised by oshealth; every one derives from :class:`OshealthError`.

The CLI maps these to exit codes (see :mod:`oshealth.cli`); the library never
prints or exits.
"""

from __future__ import annotations


class OshealthError(Exception):
    """Base class of every error oshealth raises on purpose."""


class UsageError(OshealthError):
    """Bad input from the user: a path, a flag or a config value (exit code 2)."""


class NotARepositoryError(UsageError):
    """The audited path is not a directory or not inside a git work tree."""


class ConfigError(UsageError):
    """The oshealth configuration is invalid (unknown key, wrong type...)."""


class PluginLoadError(UsageError):
    """A check plugin registered under ``oshealth.checks`` could not be loaded."""


class GitError(OshealthError):
    """A git command failed in a way that leaves the audit unable to go on."""


class ToolError(OshealthError):
    """An external analysis tool (ruff, pydocstyle) failed or was not found."""
