"""Collect real facts from a test repository, for check tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oshealth import config as config_module
from oshealth import facts
from oshealth.facts import RepoFacts
from oshealth.git import GitRepository


def collect(path: Path, overrides: dict[str, Any] | None = None) -> RepoFacts:
    """Read the facts of the repository at ``path`` as an audit would."""
    repo = GitRepository(path)
    return facts.collect(repo, config_module.load(repo.root, overrides))
