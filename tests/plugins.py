"""Install a check plugin the way pip would, as a dist-info folder on sys.path."""

from __future__ import annotations

from pathlib import Path

GOOD_PLUGIN = '''
from typing import ClassVar
from oshealth.models import Check, CheckResult


class HasNotice(Check):
    """A NOTICE file should exist.

    Fix: add a NOTICE file.
    """

    id: ClassVar[str] = "has-notice"
    category: ClassVar[str] = "community"
    weight: ClassVar[float] = 0.5

    def evaluate(self, facts):
        if "NOTICE" in facts.files:
            return CheckResult.scored(10, "NOTICE present")
        return CheckResult.scored(0, "no NOTICE file")
'''


def install_plugin(site: Path, dist: str, module: str, source: str, entry: str) -> Path:
    """Write ``module.py`` and ``dist-1.0.dist-info`` registering ``entry`` under ``oshealth.checks``."""
    site.mkdir(parents=True, exist_ok=True)
    (site / f"{module}.py").write_text(source, encoding="utf-8")
    info = site / f"{dist.replace('-', '_')}-1.0.dist-info"  # name-version, as wheels spell it
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[oshealth.checks]\n{entry}\n", encoding="utf-8")
    return site
