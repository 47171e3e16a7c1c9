"""Rule 6's facts at both ends of a change: equal to reading each end on its own, sharing the audit's cache."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from oshealth import engine
from oshealth import facts as facts_module
from oshealth.analysis import docstyle, pyfile
from oshealth.audit import run_audit
from oshealth.cache import Cache
from oshealth.config import Config
from oshealth.gate import revision_facts, scores
from oshealth.gate import settings as gate_settings
from oshealth.gate.collect import SETTINGS_FILES
from oshealth.git import GitRepository
from oshealth.incremental import CollectStats
from tests.factsutil import collect
from tests.gitrepo import DAY, RepoBuilder, git
from tests.test_diff import base_repo, diff_json, rule

HISTORY = ["activity", "contributor-spread", "release-documentation"]

def _whole_end(repo: GitRepository, sha: str, config: Config, workdir: Path) -> facts_module.RepoFacts:
    """The previous method, kept as the reference: one end read and analysed on its own, no cache."""
    files = tuple(p for p in repo.files_at(sha) if not config.is_excluded(p))
    python = [p for p in files if p.endswith(".py")]
    documents = [p for p in files if revision_facts.is_document(p)]
    blobs = repo.read_blobs(sha, sorted(set(python) | set(documents)))
    for path in [*python, *SETTINGS_FILES]:
        if path in blobs:
            target = workdir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blobs[path])
    analysed = tuple(pyfile.analyse(p, blobs[p]) for p in python if p in blobs)
    commits = tuple(repo.iter_history(sha))
    reachable = {c.sha for c in commits}
    texts = {p: blobs[p].decode("utf-8", errors="replace") for p in documents
             if p in blobs and len(blobs[p]) <= facts_module.MAX_DOCUMENT_BYTES and b"\0" not in blobs[p]}
    options = config.check_options.get("docstring-style", {})
    style = docstyle.collect(workdir, [f.path for f in analysed], files, options)
    return facts_module.RepoFacts(
        root=workdir, head=sha, branch=None, is_shallow=repo.is_shallow(), files=files, python_files=analysed,
        documents=texts, commits=commits, tags=tuple(t for t in repo.tags() if t.sha in reachable),
        now=facts_module.clock(), config=config, docstyle=style,
    )

def _same_facts(got: facts_module.RepoFacts, want: facts_module.RepoFacts) -> None:
    assert (got.head, got.files, got.python_files, got.documents) == (want.head, want.files, want.python_files,
                                                                      want.documents)
    assert (got.commits, got.tags, got.now, got.docstyle) == (want.commits, want.tags, want.now, want.docstyle)

def _project(builder: RepoBuilder) -> tuple[str, str, str]:
    """A repository with a merge, a tag, docs, a binary, a syntax error; then a change in two commits.

    Returns:
        The base (the merge), the change's first commit (same packages) and its second (adds a subpackage).
    """
    builder.commit({
        "pyproject.toml": "[project]\nname = 'pkg'\n\n[tool.ruff.lint.pydocstyle]\nconvention = 'numpy'\n",
        "README.md": "# pkg\n", "pkg/__init__.py": '"""Pkg."""\n', "pkg/core.py": "def run(a):\n    return a\n",
        "pkg/old.py": '"""Old."""\n', "pkg/broken.py": "def f(:\n", "docs/index.md": "# Docs\n",
        "docs/logo.png": b"\x89PNG\0\0", "tests/test_core.py": "def test_run():\n    assert run() == 1\n",
    })
    builder.tag("v1.0.0", "first")
    git(builder.root, "checkout", "-q", "-b", "side")
    builder.commit({"pkg/side.py": 'def side():\n    """Side."""\n'}, author="Bob <bob@example.com>")
    git(builder.root, "checkout", "-q", "main")
    # committed before the side branch's commit: git log orders the merged history by date
    builder.commit({"pkg/core.py": 'def run(a):\n    """Run."""\n    return a\n'}, when=builder.clock - DAY // 2)
    who = {f"GIT_{role}_{key}": value for role in ("AUTHOR", "COMMITTER")
           for key, value in (("NAME", "Ann"), ("EMAIL", "ann@example.com"), ("DATE", f"{builder.clock} +0000"))}
    git(builder.root, "merge", "-q", "--no-edit", "side", env=who)
    base = git(builder.root, "rev-parse", "HEAD").strip()
    git(builder.root, "checkout", "-q", "-b", "feature")
    core = 'def run(a, b=1):\n    """Run."""\n    return a\n\n\ndef fresh(x):\n    return x\n'
    mid = builder.commit({"pkg/core.py": core, "pkg/old.py": None, "docs/index.md": "# Docs\n\nMore.\n",
                          "pkg/new_mod.py": "X = 1\n"}, renames={"pkg/side.py": "pkg/moved.py"})
    head = builder.commit({"pkg/sub/__init__.py": "", "pkg/sub/deep.py": "def deep():\n    pass\n"})
    return base, mid, head


#: (which end, with a cache) -> (.py files analysed, files handed to the style engine, commits at the head)
CASES = {
    # same packages at both ends: an unchanged file keeps the base's style verdict
    (1, False): (9, 6 + 3, 5), (1, True): (9, 6 + 3, 5),
    # a package added: the head is judged whole (its unchanged files' verdicts come from the cache when there is one)
    (2, False): (11, 6 + 8, 6), (2, True): (11, 6 + 5, 6),
}


@pytest.mark.parametrize(("end", "with_cache"), sorted(CASES))
def test_both_ends_equal_the_previous_whole_method(builder: RepoBuilder, tmp_path: Path, end: int,
                                                   with_cache: bool) -> None:
    ends = _project(builder)
    base, head = ends[0], ends[end]
    repo = GitRepository(builder.root)
    config = Config()
    cache = Cache(tmp_path / "cache" / "cache.sqlite") if with_cache else None
    stats = CollectStats()
    trees = revision_facts.read_tree(repo, base, config), revision_facts.read_tree(repo, head, config)
    checks = scores.selected_checks(config, [])
    with tempfile.TemporaryDirectory() as work, tempfile.TemporaryDirectory() as one, \
            tempfile.TemporaryDirectory() as two:
        got = revision_facts.collect_ends(repo, *trees, config, Path(work), style=True, cache=cache, stats=stats)
        want = _whole_end(repo, base, config, Path(one)), _whole_end(repo, head, config, Path(two))
        for mine, reference in zip(got, want, strict=True):
            _same_facts(mine, reference)
            assert [(c.id, r) for c, r in engine.run(checks, mine)] == [
                (c.id, r) for c, r in engine.run(checks, reference)]
    if cache is not None:
        cache.close()
    assert [c.sha for c in got[0].commits][0] == base and len(got[0].commits) == 4
    assert [t.name for t in got[0].tags] == ["v1.0.0"] and got[1].docstyle is not None
    # each distinct (path, blob) of either end analysed once
    assert (stats.files_analysed, stats.style_checked, len(got[1].commits)) == CASES[(end, with_cache)]
    assert stats.files_cached == 0


def test_a_cache_filled_by_the_audit_serves_both_ends(builder: RepoBuilder, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OSHEALTH_CACHE_DIR", str(tmp_path / "cache"))
    base, _, head = _project(builder)
    run_audit(builder.root)  # the work tree is the head
    repo = GitRepository(builder.root)
    config = Config()
    first, second = CollectStats(), CollectStats()
    for stats in (first, second):
        cache = Cache(tmp_path / "cache" / "cache.sqlite")
        scores.compare_scores(repo, base, head, config, HISTORY, cache=cache, stats=stats)
        cache.close()
    # the head's 8 files come from the audit's records; only the 3 base files the head changed are analysed
    assert (first.files_cached, first.files_analysed, first.style_checked, first.history) == (8, 3, 3, "cached")
    assert (second.files_cached, second.files_analysed, second.style_checked, second.history) == (11, 0, 0, "cached")


def test_base_history_is_git_log_of_the_base(builder: RepoBuilder) -> None:
    base, _, head = _project(builder)
    repo = GitRepository(builder.root)
    head_commits = tuple(repo.iter_history(head))
    assert revision_facts.base_history(repo, base, head_commits) == tuple(repo.iter_history(base))
    # a history that lacks the base's commits is read from git
    assert revision_facts.base_history(repo, base, head_commits[:2]) == tuple(repo.iter_history(base))


def test_tree_entries_give_blob_ids_without_reading_files(builder: RepoBuilder) -> None:
    builder.commit({"a.py": "x = 1\n", "b/c d.py": b"\xff\xfe\n"})
    (builder.root / "link.py").symlink_to("a.py")
    sha = builder.commit({})
    entries = GitRepository(builder.root).tree_entries(sha)
    assert list(entries) == ["a.py", "b/c d.py", "link.py"]
    assert entries["a.py"] == pyfile.blob_id(b"x = 1\n")
    assert entries["b/c d.py"] == pyfile.blob_id(b"\xff\xfe\n")
    assert entries["link.py"] == pyfile.blob_id(b"a.py")


def test_scores_rule_is_off_by_default(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    assert gate_settings.parse(None).level("scores") == "off"
    assert gate_settings.DEFAULTS["scores"]["level"] == "off"
    repo = base_repo(builder, "")
    repo.commit({"src/pkg/core.py": "def f(x):\n    return x\n"})
    code, data = diff_json(repo.root, capsys)
    assert rule(data, "scores")["status"] == "skip"
    assert rule(data, "scores")["message"] == "off in config"
    assert data["scores"] == {"base": None, "head": None, "delta": None, "checks": {}, "ignored": []}
    assert code == 1  # the undocumented function fails rule 1, whatever rule 6 says




def test_both_ends_read_the_scripts_ci_runs_as_the_audit_does(builder: RepoBuilder, tmp_path: Path) -> None:
    base = builder.commit({"README.md": "# p\n", ".ci/run": "pytest -q\n", "tools/x.sh": "tox\n",
                           ".github/workflows/ci.yml": "steps:\n  - run: make lint\n"})
    head = builder.commit({".github/workflows/ci.yml": "steps:\n  - run: bash .ci/run\n"})
    repo = GitRepository(builder.root)
    config = Config()
    trees = revision_facts.read_tree(repo, base, config), revision_facts.read_tree(repo, head, config)
    with tempfile.TemporaryDirectory() as work:
        got = revision_facts.collect_ends(repo, *trees, config, Path(work), style=False, cache=None,
                                          stats=CollectStats())
    assert sorted(got[0].documents) == [".github/workflows/ci.yml", "README.md"]
    assert got[1].documents == collect(builder.root).documents  # the work tree is the head
    assert sorted(got[1].documents) == [".ci/run", ".github/workflows/ci.yml", "README.md"]
