from __future__ import annotations

import os
import subprocess
import sys

import pytest

SCRIPT = (
    "import logging\n"
    "from oshealth.cli import configure_logging\n"
    "configure_logging()\n"
    "logging.getLogger('griffe').error('cannot resolve alias in audited code')\n"
    "logging.getLogger('oshealth.facts').warning('own warning')\n"
)


@pytest.mark.parametrize(("level", "griffe_shown"), [(None, False), ("debug", True)])
def test_griffe_errors_about_audited_code_stay_off_stderr(level: str | None, griffe_shown: bool) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OSHEALTH_LOG"}
    if level:
        env["OSHEALTH_LOG"] = level
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=True)
    assert ("cannot resolve alias" in done.stderr) is griffe_shown
    assert "WARNING oshealth.facts: own warning" in done.stderr
