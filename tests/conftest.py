"""Shared fixtures: git isolated from the machine, a repository builder, a fixed clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitrepo import BASE_TIME, GIT_ENV, RepoBuilder


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the machine's git config and the real clock out of every test."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    # a fixed "now": one year after the builder's first commit
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(BASE_TIME + 365 * 86_400))


@pytest.fixture
def builder(tmp_path: Path) -> RepoBuilder:
    """A fresh repository with no commits, in a temporary folder."""
    return RepoBuilder(tmp_path / "repo")
