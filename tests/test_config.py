from __future__ import annotations

from pathlib import Path

import pytest

from oshealth import config, config_checks
from oshealth.errors import ConfigError


def write(root: Path, name: str, text: str) -> None:
    (root / name).write_text(text, encoding="utf-8")


def test_defaults_when_no_file(tmp_path: Path) -> None:
    cfg = config.load(tmp_path)
    assert cfg == config.Config()
    assert cfg.wants("anything")


def test_reads_pyproject_section(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", """
[tool.oshealth]
select = ["complexity", "tests"]
ignore = ["tests"]
exclude = ["vendor", "docs/conf.py"]
fail-under = 6.5
[tool.oshealth.weights]
complexity = 3
[tool.oshealth.checks.complexity]
max-complexity = 12
""")
    cfg = config.load(tmp_path)
    assert cfg.select == ("complexity", "tests")
    assert cfg.wants("complexity") and not cfg.wants("tests") and not cfg.wants("activity")
    assert cfg.fail_under == 6.5
    assert cfg.weights == {"complexity": 3.0}
    assert cfg.check_options == {"complexity": {"max-complexity": 12}}
    assert cfg.source == "pyproject.toml [tool.oshealth]"
    assert cfg.is_excluded("vendor/lib/x.py") and cfg.is_excluded("docs/conf.py")
    assert not cfg.is_excluded("vendored.py") and not cfg.is_excluded("src/docs/conf.py")


def test_dedicated_file_wins_and_flags_win_over_files(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.oshealth]\nfail-under = 2\n")
    write(tmp_path, ".oshealth.toml", "fail-under = 4\n")
    assert config.load(tmp_path).fail_under == 4.0
    assert config.load(tmp_path, {"fail-under": 9, "select": None}).fail_under == 9.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fail_under = 3\n", "unknown key 'fail_under'"),
        ("fail-under = 11\n", "'fail-under' must be a number from 0 to 10"),
        ("select = 3\n", "'select' must be a list of strings"),
        ("[weights]\ncomplexity = -1\n", "weight of 'complexity'"),
        ("checks = 1\n", "'checks' must be a table"),
        ("select = [\n", "cannot read TOML"),
    ],
)
def test_invalid_files_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, ".oshealth.toml", text)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("[", r"\[")):
        config.load(tmp_path)


def test_check_options_are_validated_against_defaults(tmp_path: Path) -> None:
    known = {"complexity": {"max-complexity": 10, "engine": "ruff"}}
    good = config.Config(check_options={"complexity": {"max-complexity": 12.5}})
    config_checks.validate_check_options(good, known)
    with pytest.raises(ConfigError, match="unknown option 'max_complexity' for check 'complexity'"):
        config_checks.validate_check_options(config.Config(check_options={"complexity": {"max_complexity": 1}}), known)
    with pytest.raises(ConfigError, match="must be str"):
        config_checks.validate_check_options(config.Config(check_options={"complexity": {"engine": 3}}), known)
    with pytest.raises(ConfigError, match="unknown check 'nope'"):
        config_checks.validate_check_options(config.Config(select=("nope",)), known)
    with pytest.raises(ConfigError, match="unknown check 'nope'"):
        config_checks.validate_check_options(config.Config(check_options={"nope": {}}), known)


def test_configuration_files_linked_out_of_the_work_tree_are_not_read(tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    root.mkdir()
    elsewhere.mkdir()
    write(elsewhere, "pyproject.toml", "[tool.oshealth]\nfail-under = 9\n")
    write(elsewhere, "oshealth.toml", "fail-under = 8\n")
    (root / ".oshealth.toml").symlink_to(elsewhere / "oshealth.toml")
    (root / "pyproject.toml").symlink_to(elsewhere / "pyproject.toml")
    assert config.load(root) == config.Config()
    write(root, "real.toml", "fail-under = 7\n")
    (root / ".oshealth.toml").unlink()
    (root / ".oshealth.toml").symlink_to("real.toml")  # a link inside the work tree is read
    assert config.load(root).fail_under == 7
