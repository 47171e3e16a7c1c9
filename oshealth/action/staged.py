"""The pull-request gate on the staged change: ``python -m oshealth.action.staged`` (the pre-commit hook).

``oshealth diff`` compares two revisions, read from git objects. The staged
change is not a revision yet, so this makes one that nothing points at
(:meth:`~oshealth.git.GitRepository.commit_staged`: ``git write-tree`` and
``git commit-tree``; no ref, the index and the work tree are untouched) and
runs ``oshealth diff HEAD <that commit>``. What is gated is exactly what
``git commit`` would record: unstaged edits in the work tree do not count.

Arguments are passed on to ``oshealth diff`` (``--label skip-changelog``,
``--format json``...); file names that pre-commit may append are not
accepted (the hook sets ``pass_filenames: false``). Exit codes are
``oshealth diff``'s: 0 passed (or nothing staged), 1 the gate failed, 2 bad
input, 3 internal error.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from oshealth.errors import OshealthError
from oshealth.git import GitRepository

EXIT_OK, EXIT_USAGE = 0, 2


def main(argv: Sequence[str] | None = None, cwd: Path | None = None) -> int:
    """Gate the staged change against HEAD.

    Args:
        argv: Options for ``oshealth diff`` (default: the command line's).
        cwd: A folder inside the repository (default: the current one).

    Returns:
        The exit code.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    folder = cwd or Path.cwd()
    try:
        repo = GitRepository(folder)
        head = repo.head()
        staged = repo.commit_staged()
    except OshealthError as exc:
        sys.stderr.write(f"oshealth: error: {exc}\n")
        return EXIT_USAGE
    if staged is None or head is None:
        sys.stdout.write("oshealth: nothing staged, nothing to gate\n")
        return EXIT_OK
    command = [sys.executable, "-m", "oshealth", "diff", "--no-progress", *args, "--", head, staged]
    return subprocess.run(command, cwd=folder, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
