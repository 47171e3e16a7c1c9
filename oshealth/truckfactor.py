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
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar, cast

from oshealth.git import Commit, FileChange

#: The reference reads its thresholds as Java floats: 3.293f is slightly below 3.293.
ABSOLUTE_DOA: float = struct.unpack("f", struct.pack("f", 3.293))[0]
NORMALIZED_DOA = 0.75
#: Share of files that must keep an author for removal to go on (``tfCoverage``).
COVERAGE = 0.5
#: ``minPercentage`` of the pruning step, as a ratio 1/10 compared in integers.
PRUNE_DENOMINATOR = 10
W = TypeVar("W", bound=Hashable)


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


@dataclass
class PathChanges(Generic[W]):
    """The A/M/R changes of a history, grouped by the path they leave a file at, per author.

    A file's history is a union of these groups (see the module notes), so
    they hold everything the algorithm reads. Who made a change is anything
    hashable: a developer key, or an author signature mapped to one later
    (:class:`History` takes the mapping), which lets identities be merged and
    bots left out after the changes are grouped.

    Attributes:
        created: Path -> who added a file at that path (A).
        delivered: Path -> who -> modifications and renames leaving a file at that path (M, R).
        renamed: Path -> old path -> who renamed a file from the old path to it (R).
    """

    created: dict[str, set[W]] = field(default_factory=dict)
    delivered: dict[str, dict[W, int]] = field(default_factory=dict)
    renamed: dict[str, dict[str, set[W]]] = field(default_factory=dict)

    def add(self, changes: Iterable[FileChange], who: W) -> None:
        """Count the changes of one commit made by ``who`` (deletions, copies and type changes are dropped).

        Args:
            changes: The commit's changes.
            who: Its author.
        """
        created, delivered = self.created, self.delivered
        for change in changes:
            status, path = change.status, change.path
            if status == "M" or status == "R":
                counts = delivered.get(path)
                if counts is None:
                    counts = delivered[path] = {}
                counts[who] = counts.get(who, 0) + 1
                if status == "R":
                    self.renamed.setdefault(path, {}).setdefault(change.old_path or "", set()).add(who)
            elif status == "A":
                creators = created.get(path)
                if creators is None:
                    creators = created[path] = set()
                creators.add(who)


@dataclass(frozen=True)
class Authors:
    """Who authors which file, without the per-developer detail of :class:`Authorship`.

    Attributes:
        of_file: Path -> its authors, for every file that has history (possibly none).
        shares: Each of those files' creators and deliveries per developer (for :meth:`changes`).
    """

    of_file: Mapping[str, Sequence[str]]
    shares: Sequence[tuple[Collection[str], Mapping[str, int]]]

    def changes(self, devs: Sequence[str]) -> dict[str, int]:
        """``FA + DL`` of each of ``devs`` summed over the files (the tie-break of the removal order).

        Args:
            devs: Developers (few: those who author as many files as another).

        Returns:
            Developer -> changes.
        """
        made = dict.fromkeys(devs, 0)
        for creators, deliveries in self.shares:
            for dev in devs:
                made[dev] += deliveries.get(dev, 0) + (dev in creators)
        return made


class History(Generic[W]):
    """The A/M/R changes of a history, grouped by path, with their authors mapped to developers.

    Args:
        changes: The grouped changes.
        developer: Author (as in ``changes``) -> developer key; authors it
            lacks (bots) are left out, their renames are not followed.
    """

    def __init__(self, changes: PathChanges[W], developer: Mapping[W, str]) -> None:
        """Keep the changes and the mapping."""
        self._changes = changes
        self._developer = developer

    @staticmethod
    def from_commits(commits: Iterable[Commit], developer: Callable[[Commit], str | None]) -> History[str]:
        """Group the changes of ``commits``, each made by ``developer(commit)`` (None leaves it out: bots).

        Args:
            commits: The history, in any order.
            developer: Maps a commit to its developer key, or None.

        Returns:
            The history.
        """
        changes: PathChanges[str] = PathChanges()
        known: dict[str, str] = {}
        for commit in commits:
            dev = developer(commit)
            if dev is not None:
                known[dev] = dev
                changes.add(commit.changes, dev)
        return History(changes, known)

    def expand(self, path: str, visited: set[str]) -> list[str]:
        """The paths whose changes make up the history of ``path``, renames followed back (see the module notes).

        The reference marks each rename as followed once, globally; the renames
        of a path are all followed together, the first time the path is reached,
        so a set of paths whose renames were followed tells the same.

        Args:
            path: A file path at HEAD.
            visited: Paths whose renames were already followed; updated in place.

        Returns:
            ``path`` and the older paths reached from it.
        """
        reached = [path]
        seen = {path}
        pending = [] if path in visited else [path]
        while pending:
            for old in self._renamed_from(pending.pop()):
                if old not in seen:
                    seen.add(old)
                    reached.append(old)
                    if old not in visited:
                        pending.append(old)
        visited.update(reached)
        return reached

    def _renamed_from(self, path: str) -> list[str]:
        """The old paths that a developer (not a bot) renamed to ``path``."""
        developer = self._developer
        return [old for old, who in self._changes.renamed.get(path, {}).items() if any(w in developer for w in who)]

    def shares(self, paths: Sequence[str]) -> tuple[set[str], dict[str, int]]:
        """The creators of a file and the deliveries of each developer, over the changes of ``paths``.

        Args:
            paths: The paths that make up the file's history (:meth:`expand`).

        Returns:
            ``(developers who added it, developer -> modifications and renames)``;
            both empty when no developer changed it.
        """
        dev_of = self._developer.get
        created, delivered = self._changes.created, self._changes.delivered
        creators = {dev for path in paths for dev in map(dev_of, created.get(path, ())) if dev is not None}
        deliveries: dict[str, int] = {}
        if len(paths) == 1:  # most files: one dict built at once, unless two of its authors are one developer
            counts = delivered.get(paths[0], {})
            mapped = {dev_of(who): count for who, count in counts.items()}
            if len(mapped) == len(counts):
                mapped.pop(None, None)
                return creators, cast(dict[str, int], mapped)
        for path in paths:
            for who, count in delivered.get(path, {}).items():
                dev = dev_of(who)
                if dev is not None:
                    deliveries[dev] = deliveries.get(dev, 0) + count
        return creators, deliveries

    def authorships(self, files: Iterable[str]) -> dict[str, list[Authorship]]:
        """Degree of authorship of every developer on every file that has history.

        Args:
            files: Paths at HEAD to consider (walked in sorted order).

        Returns:
            Path -> authorships sorted by developer; files without history left out.
        """
        visited: set[str] = set()
        result: dict[str, list[Authorship]] = {}
        for path in sorted(set(files)):
            creators, deliveries = self.shares(self.expand(path, visited))
            if creators or deliveries:
                result[path] = _authorships(creators, deliveries)
        return result

    def authors(self, files: Iterable[str]) -> Authors:
        """The authors of every file that has history: :meth:`authorships` reduced to what the truck factor reads.

        Args:
            files: Paths at HEAD to consider (walked in sorted order).

        Returns:
            The authors of each file and each developer's changes.
        """
        visited: set[str] = set()
        of_file: dict[str, list[str]] = {}
        shares: list[tuple[set[str], dict[str, int]]] = []
        renamed = self._changes.renamed
        for path in sorted(set(files)):
            if path in renamed:
                creators, deliveries = self.shares(self.expand(path, visited))
            else:  # most files: never renamed, their history is their path's
                visited.add(path)
                creators, deliveries = self.shares((path,))
            if creators or deliveries:
                of_file[path] = _file_authors(creators, deliveries)
                shares.append((creators, deliveries))
        return Authors(of_file, shares)


def _authorships(creators: set[str], deliveries: dict[str, int]) -> list[Authorship]:
    """Each developer's degree of authorship of one file, sorted by developer.

    Args:
        creators: Developers who added the file.
        deliveries: Developer -> modifications and renames of the file.

    Returns:
        One authorship per developer who changed the file; ``is_author``
        follows the normalised and absolute DOA thresholds.
    """
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


def _file_authors(creators: set[str], deliveries: dict[str, int]) -> list[str]:
    """The authors of one file, as :func:`_authorships` decides them.

    The degree of authorship depends on a developer only through FA and DL,
    so it is worked out once per value of DL (and per creator), not once per
    developer: a file that dozens of people touched once costs a few values.

    Args:
        creators: Developers who added the file.
        deliveries: Developer -> modifications and renames of the file.

    Returns:
        The file's authors, in no particular order.
    """
    first, others = _values(creators, deliveries)
    best = max(0.0, *first.values(), *others.values())
    if best <= 0:
        return []
    authors = [dev for dev, value in first.items() if value / best > NORMALIZED_DOA]
    enough = {own for own, value in others.items() if _is_author(value, best)}
    if enough:
        authors += [dev for dev, own in deliveries.items() if own in enough and dev not in creators]
    return authors


def _is_author(value: float, best: float) -> bool:
    """Whether a developer who did not create the file and has DOA ``value`` is an author (the best is ``best``)."""
    return value / best > NORMALIZED_DOA and value >= ABSOLUTE_DOA


def _values(creators: set[str], deliveries: dict[str, int]) -> tuple[dict[str, float], dict[int, float]]:
    """The degrees of authorship of one file: each creator's, and a non-creator's for each number of deliveries.

    A number of deliveries that only a creator has gives a value below that
    creator's own: it can never be the best, nor make anyone an author.
    """
    total = sum(deliveries.values())
    first = {dev: doa(True, deliveries.get(dev, 0), total - deliveries.get(dev, 0)) for dev in creators}
    return first, {own: doa(False, own, total - own) for own in set(deliveries.values())}


def truck_factor(authorships: Mapping[str, Sequence[Authorship]]) -> TruckFactor:
    """Run the greedy removal and the pruning step.

    Args:
        authorships: Path -> authorships, as from :meth:`History.authorships`.

    Returns:
        Both truck factors and the developers behind them.
    """
    of_file = {path: [a.developer for a in shares if a.is_author] for path, shares in authorships.items()}
    counts = [({a.developer for a in shares if a.first_author}, {a.developer: a.deliveries for a in shares})
              for shares in authorships.values()]
    return truck_factor_of(Authors(of_file, counts))


def truck_factor_of(authors: Authors) -> TruckFactor:
    """Run the greedy removal and the pruning step over the authors of each file.

    Args:
        authors: As from :meth:`History.authors`.

    Returns:
        Both truck factors and the developers behind them.
    """
    files_of: dict[str, set[str]] = {}
    for path, devs in authors.of_file.items():
        for dev in devs:
            files_of.setdefault(dev, set()).add(path)
    total = len(authors.of_file)
    removed, covered = _greedy(_removal_order(files_of, authors), files_of, total)
    top = len(files_of[removed[0]]) if removed else 0
    kept = tuple(d for d in removed if len(files_of[d]) * PRUNE_DENOMINATOR >= top)
    return TruckFactor(
        truck_factor=len(kept),
        greedy=len(removed),
        authors=kept,
        greedy_authors=tuple(removed),
        files=total,
        authored_files={d: len(files_of[d]) for d in sorted(files_of)},
        coverage=covered / total if total else 0.0,
    )


def _removal_order(files_of: Mapping[str, set[str]], authors: Authors) -> Iterator[str]:
    """Developers by most authored files; ties: more changes, then name.

    The greedy removal stops early: the changes of developers tied on their
    number of files are summed only when the removal reaches them.
    """
    by_count: dict[int, list[str]] = {}
    for dev, files in files_of.items():
        by_count.setdefault(len(files), []).append(dev)
    for count in sorted(by_count, reverse=True):
        group = sorted(by_count[count])
        if len(group) > 1:
            made = authors.changes(group)
            group.sort(key=lambda dev: -made[dev])  # stable: equal changes stay in name order
        yield from group


def _greedy(order: Iterable[str], files_of: Mapping[str, set[str]], total: int) -> tuple[list[str], int]:
    """Remove developers in ``order`` while at least half of the files keep an author."""
    authors_left: Counter[str] = Counter()
    for files in files_of.values():
        authors_left.update(files)
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
