"""Truck factor by degree of authorship (Avelino et al., ICPC 2016).

A faithful port of the reference implementation, aserg-ufmg/Truck-Factor
(``DOACalculator``, ``AuthorshipInfo``, ``PrunedGreedyTruckFactor``), as pure
functions over :class:`~oshealth.git.Commit` records:

* **History.** Like its ``git log --name-status --find-renames`` plus
  ``log.awk``, only additions (A), modifications (M) and renames (R) are kept;
  deletions, copies and type changes are dropped. Merge commits carry no file
  changes in that log (nor in ``facts.commits``), so they count for nothing.
* **A file's history** is every change whose new path is the file's path, and,
  for each rename in it, every change whose new path is the old path, followed
  recursively. Paths, not file identities, are followed: a path deleted and
  created again keeps its old history. The reference marks a rename as
  followed once, globally, while it walks the files in ``git ls-files`` order;
  a rename reached again from a later file is counted but not followed again.
  This is reproduced (files are walked in sorted order).
* **Degree of authorship**, per developer ``d`` and file:
  ``DOA = 3.293 + 1.098*FA + 0.164*DL - 0.321*ln(1 + AC)``, where FA is 1 if
  ``d`` ever added the file (the reference's ``doaMultAuthor``: the first and
  any later creator both count), DL is the number of modifications and renames
  by ``d``, and AC the number by everyone else. Additions are not deliveries.
* **Authors** of a file: ``DOA / max DOA > 0.75`` and (``DOA >= 3.293`` or FA
  is 1); the creator is exempt from the absolute threshold, as in
  ``AuthorshipInfo.isDOAAuthor``. A file whose best DOA is not positive has no
  author. A file with no change in the history is not counted at all.
* **Greedy truck factor** (the paper's algorithm): developers are removed in
  order of most authored files (ties: more changes, i.e. ``FA + DL`` summed
  over files, as in ``removeTopAuthor``; then name, where the reference falls
  back on hash order) while at least half of the files still have an author;
  the number removed is the greedy figure.
* **Pruning** (``PrunedGreedyTruckFactor``, the figure the tool prints): the
  removed developers who author fewer than 10% (``minPercentage``) as many
  files as the top one are taken back out of the truck-factor set.
"""

from __future__ import annotations

import math
import struct
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from oshealth.git import Commit

#: The reference reads its thresholds as Java floats: 3.293f is slightly below 3.293.
ABSOLUTE_DOA: float = struct.unpack("f", struct.pack("f", 3.293))[0]
NORMALIZED_DOA = 0.75
#: Share of files that must keep an author for removal to go on (``tfCoverage``).
COVERAGE = 0.5
#: ``minPercentage`` of the pruning step, as a ratio 1/10 compared in integers.
PRUNE_DENOMINATOR = 10
_KINDS = frozenset("AMR")


@dataclass(frozen=True)
class Authorship:
    """One developer's share of one file.

    Attributes:
        developer: Developer key.
        first_author: FA: the developer added the file (at this path or an older one).
        deliveries: DL: modifications and renames by the developer.
        acceptances: AC: modifications and renames by everyone else.
        doa: Degree of authorship.
        is_author: Whether the developer counts as an author of the file.
    """

    developer: str
    first_author: bool
    deliveries: int
    acceptances: int
    doa: float
    is_author: bool


@dataclass(frozen=True)
class TruckFactor:
    """The outcome of the algorithm.

    Attributes:
        truck_factor: The reference tool's figure (greedy, then pruned).
        greedy: The paper's plain greedy figure.
        authors: Developers in the truck-factor set, in removal order.
        greedy_authors: Developers removed by the greedy step, in order.
        files: Number of files with history that were counted.
        authored_files: Number of files each developer authors (authors only).
        coverage: Share of files that still had an author when removal stopped.
    """

    truck_factor: int
    greedy: int
    authors: tuple[str, ...]
    greedy_authors: tuple[str, ...]
    files: int
    authored_files: Mapping[str, int]
    coverage: float


def doa(first_author: bool, deliveries: int, acceptances: int) -> float:
    """Degree of authorship, computed in the reference's operation order.

    Args:
        first_author: Whether the developer created the file.
        deliveries: Changes by the developer.
        acceptances: Changes by others.

    Returns:
        ``3.293 + 1.098*FA + 0.164*DL - 0.321*ln(1+AC)``.
    """
    return 3.293 + 1.098 * (1 if first_author else 0) + 0.164 * deliveries - 0.321 * math.log(1 + acceptances)


class History:
    """Every A/M/R change of the history, indexed by new path (built in one pass).

    Args:
        commits: The history, in any order.
        developer: Maps a commit to its developer key, or None to leave it out (bots).
    """

    def __init__(self, commits: Iterable[Commit], developer: Callable[[Commit], str | None]) -> None:
        """Index the changes of ``commits``."""
        self.developers: list[str] = []
        self.kinds: list[str] = []
        self.old_paths: list[str | None] = []
        self.by_path: dict[str, list[int]] = {}
        for commit in commits:
            dev = developer(commit)
            if dev is None:
                continue
            for change in commit.changes:
                if change.status in _KINDS:
                    self.by_path.setdefault(change.path, []).append(len(self.kinds))
                    self.developers.append(dev)
                    self.kinds.append(change.status)
                    self.old_paths.append(change.old_path)

    def expand(self, path: str, followed: set[int]) -> set[int]:
        """The changes of ``path`` with renames followed back (see the module notes).

        Args:
            path: A file path at HEAD.
            followed: Renames already followed; updated in place.

        Returns:
            Indexes of the file's changes.
        """
        found = set(self.by_path.get(path, ()))
        pending = [i for i in found if self.kinds[i] == "R" and i not in followed]
        while pending:
            rename = pending.pop()
            followed.add(rename)
            for i in self.by_path.get(self.old_paths[rename] or "", ()):
                if i not in found:
                    found.add(i)
                    if self.kinds[i] == "R" and i not in followed:
                        pending.append(i)
        return found

    def authorships(self, files: Iterable[str]) -> dict[str, list[Authorship]]:
        """Degree of authorship of every developer on every file that has history.

        Args:
            files: Paths at HEAD to consider (walked in sorted order).

        Returns:
            Path -> authorships sorted by developer; files without history left out.
        """
        followed: set[int] = set()
        result: dict[str, list[Authorship]] = {}
        for path in sorted(set(files)):
            changes = self.expand(path, followed)
            if changes:
                result[path] = self._file_authorships(changes)
        return result

    def _file_authorships(self, changes: set[int]) -> list[Authorship]:
        """Compute each developer's degree of authorship of one file.

        Args:
            changes: Indexes of the changes that make up the file's history.

        Returns:
            One authorship per developer who changed the file, sorted by developer;
            ``is_author`` follows the normalised and absolute DOA thresholds.
        """
        developers, kinds = self.developers, self.kinds
        creators: set[str] = set()
        deliveries: dict[str, int] = {}
        for i in changes:  # one pass: each file's history is walked once
            if kinds[i] == "A":
                creators.add(developers[i])
            else:
                deliveries[developers[i]] = deliveries.get(developers[i], 0) + 1
        total = sum(deliveries.values())
        devs = sorted(creators.union(deliveries))
        own = [deliveries.get(d, 0) for d in devs]
        values = [doa(d in creators, n, total - n) for d, n in zip(devs, own, strict=True)]
        best = max(0.0, *values)
        return [
            Authorship(
                d, d in creators, n, total - n, value,
                best > 0 and value / best > NORMALIZED_DOA and (value >= ABSOLUTE_DOA or d in creators),
            )
            for d, n, value in zip(devs, own, values, strict=True)
        ]


def truck_factor(authorships: Mapping[str, Sequence[Authorship]]) -> TruckFactor:
    """Run the greedy removal and the pruning step.

    Args:
        authorships: Path -> authorships, as from :meth:`History.authorships`.

    Returns:
        Both truck factors and the developers behind them.
    """
    files_of: dict[str, set[str]] = {}
    changes: Counter[str] = Counter()
    for path, shares in authorships.items():
        for share in shares:
            changes[share.developer] += int(share.first_author) + share.deliveries
            if share.is_author:
                files_of.setdefault(share.developer, set()).add(path)
    order = sorted(files_of, key=lambda d: (-len(files_of[d]), -changes[d], d))
    removed, covered = _greedy(order, files_of, len(authorships))
    top = len(files_of[removed[0]]) if removed else 0
    kept = tuple(d for d in removed if len(files_of[d]) * PRUNE_DENOMINATOR >= top)
    total = len(authorships)
    return TruckFactor(
        truck_factor=len(kept),
        greedy=len(removed),
        authors=kept,
        greedy_authors=tuple(removed),
        files=total,
        authored_files={d: len(files_of[d]) for d in sorted(files_of)},
        coverage=covered / total if total else 0.0,
    )


def _greedy(order: list[str], files_of: Mapping[str, set[str]], total: int) -> tuple[list[str], int]:
    """Remove developers in ``order`` while at least half of the files keep an author."""
    authors_left: Counter[str] = Counter()
    for dev in order:
        authors_left.update(files_of[dev])
    covered = len(authors_left)
    removed: list[str] = []
    for dev in order:
        if covered < COVERAGE * total:
            break
        for path in files_of[dev]:
            authors_left[path] -= 1
            if authors_left[path] == 0:
                covered -= 1
        removed.append(dev)
    return removed, covered
