"""Counted nouns in messages: "1 problem", "2 problems"."""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """The count followed by the noun in the number that agrees with it.

    Args:
        count: How many.
        noun: The noun for one (``problem``; words before it are kept:
            ``changed function``).
        nouns: The noun for any other count, when it is not ``noun`` + ``s``
            (``entries``).

    Returns:
        ``"1 problem"``, ``"0 problems"``, ``"2 entries"``.
    """
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"
