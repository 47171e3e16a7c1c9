"""Who is who in a history: merged identities, bots and organisations.

Identities are merged as the truck-factor reference does (its
``NewAliasHandler``): commits with the same e-mail are one developer, and so
are commits with the same name (compared upper-cased, accents stripped; empty
names never merge), transitively. ``facts.commits`` already carry the names and
e-mails of ``.mailmap`` (git's ``%aN``/``%aE``), so a mailmap is honoured too.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

#: Names (lower case) of well-known automation accounts.
BOT_NAMES = frozenset({
    "dependabot", "dependabot-preview", "renovate", "renovate-bot", "renovatebot", "github-actions",
    "pre-commit-ci", "pre-commit-ci-lite", "greenkeeper", "greenkeeperio-bot", "snyk-bot", "imgbot", "imgbotapp",
    "allcontributors", "all-contributors", "mergify", "codecov-io", "semantic-release-bot", "pyup-bot",
    "pyup.io bot", "deepsource-autofix", "copilot", "web-flow", "github", "github action", "github actions",
    "readthedocs-assistant", "sourcery-ai", "restyled-io", "whitesource-bolt-for-github", "azure-pipelines",
})
#: E-mail addresses (lower case) of automation accounts whose names vary.
BOT_EMAILS = frozenset({
    "action@github.com", "noreply@github.com", "support@dependabot.com", "bot@renovateapp.com",
    "renovate@whitesourcesoftware.com", "github-actions@github.com",
})
_BOT_NAME = re.compile(r"[\[(]bot[\])]$|[-_ ]bot$", re.IGNORECASE)
_BOT_EMAIL = re.compile(r"\[bot\]@|^bot@", re.IGNORECASE)

#: Domains of personal mailboxes: they say nothing about an employer.
FREE_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "outlook.com",
    "live.com", "msn.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.co.jp", "ymail.com",
    "aol.com", "icloud.com", "me.com", "mac.com", "protonmail.com", "protonmail.ch", "proton.me", "pm.me",
    "gmx.de", "gmx.net", "gmx.com", "gmx.at", "web.de", "mail.ru", "yandex.ru", "yandex.com", "ya.ru",
    "qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "zoho.com", "fastmail.com", "fastmail.fm",
    "hey.com", "tutanota.com", "posteo.de", "mailbox.org", "free.fr", "orange.fr", "laposte.net",
    "t-online.de", "seznam.cz", "naver.com", "rocketmail.com", "inbox.ru", "list.ru", "bk.ru", "riseup.net",
    "users.noreply.github.com", "noreply.github.com", "users.sourceforge.net", "example.com", "localhost",
})
#: Second-level labels under which organisations register a third level (``co.uk``...).
_SECOND_LEVEL = frozenset({"co", "com", "ac", "org", "net", "gov", "edu", "ne", "or", "go"})
#: Top-level labels of addresses that belong to no organisation (local machines, networks).
_LOCAL_SUFFIXES = frozenset({"local", "localdomain", "lan", "(none)", "internal"})


@dataclass(frozen=True)
class Identities:
    """Merged developer identities.

    Attributes:
        key_of: ``(name, email)`` -> developer key (stable, deterministic).
        display: Developer key -> display name (the name used on most commits).
    """

    key_of: Mapping[tuple[str, str], str]
    display: Mapping[str, str]

    def key(self, name: str, email: str) -> str:
        """The developer key of one author signature (seen when merging)."""
        return self.key_of[(name, email)]


def is_bot(name: str, email: str, extra: Iterable[str] = ()) -> bool:
    """Whether an author signature belongs to an automation account.

    Args:
        name: Author name.
        email: Author e-mail.
        extra: More names or e-mails to treat as bots (any case).

    Returns:
        True for bots such as ``dependabot[bot]``, ``renovate`` or ``pre-commit-ci``.
    """
    lname, lemail = name.strip().lower(), email.strip().lower()
    listed = {item.strip().lower() for item in extra}
    return (
        lname in BOT_NAMES or lemail in BOT_EMAILS or lname in listed or lemail in listed
        or bool(_BOT_NAME.search(lname)) or bool(_BOT_EMAIL.search(lemail))
    )


def organisation(email: str, free_mail: Iterable[str] = ()) -> str | None:
    """The organisation an e-mail address suggests: its registrable domain.

    Args:
        email: An e-mail address.
        free_mail: More domains to treat as personal mailboxes.

    Returns:
        For example ``"redhat.com"`` for ``a@us.redhat.com``; None for free-mail,
        GitHub no-reply, local or malformed addresses.
    """
    _, at, domain = email.strip().lower().rpartition("@")
    labels = [label for label in domain.split(".") if label]
    if not at or len(labels) < 2 or labels[-1] in _LOCAL_SUFFIXES:
        return None
    if _is_free_mail(domain, free_mail):
        return None
    return ".".join(labels[-_registrable_size(labels) :])


def _is_free_mail(domain: str, extra: Iterable[str]) -> bool:
    """Whether a domain, or a domain it belongs to, is a personal mailbox provider.

    Args:
        domain: The address's domain, lower case.
        extra: More free-mail domains.

    Returns:
        True for ``gmail.com``, ``mail.yahoo.co.uk``-like subdomains of listed ones, and the like.
    """
    # ``domain == d or domain.endswith("." + d)`` for some listed ``d``: the
    # domain itself or one of its suffixes after a dot is listed (set lookups,
    # not a scan of the list per address)
    listed = FREE_MAIL_DOMAINS.union(extra)
    if domain in listed:
        return True
    dot = domain.find(".")
    while dot >= 0:
        if domain[dot + 1 :] in listed:
            return True
        dot = domain.find(".", dot + 1)
    return False


def _registrable_size(labels: list[str]) -> int:
    """How many trailing labels make the registrable domain.

    Args:
        labels: The domain's labels.

    Returns:
        3 under a two-letter country code with a known second level (``co.uk``), else 2.
    """
    return 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2


def normalise(text: str) -> str:
    """Upper-case ``text`` with accents stripped (Commons Lang ``stripAccents``)."""
    decomposed = unicodedata.normalize("NFD", text.replace("\u0141", "L").replace("\u0142", "l"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def merge(
    signatures: Mapping[tuple[str, str], int], nodes: Mapping[tuple[str, str], Sequence[str]] | None = None
) -> Identities:
    """Merge author signatures that share an e-mail or a name.

    Args:
        signatures: ``(name, email)`` -> number of commits with it.
        nodes: :func:`identity_nodes` of the signatures, when already known
            (they cost most of the work: the names' accents are stripped).

    Returns:
        The merged identities.
    """
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        """Return the root of ``node``'s set, compressing the path to it (union-find)."""
        root = parent.setdefault(node, node)
        while root != parent[root]:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    node_of = {sig: nodes[sig] if nodes is not None else identity_nodes(*sig) for sig in signatures}
    for sig in sorted(signatures):
        first = find(node_of[sig][0])
        for other in node_of[sig][1:]:
            root = find(other)
            if root != first:
                parent[max(root, first)] = min(root, first)
                first = min(root, first)
    key_of = {sig: find(node_of[sig][0]) for sig in signatures}
    names: dict[str, Counter[str]] = {}
    for (name, email), count in signatures.items():
        names.setdefault(key_of[(name, email)], Counter())[name.strip() or email] += count
    display = {key: min(c, key=lambda n: (-c[n], n)) for key, c in names.items()}
    return Identities(key_of, display)


def identity_nodes(name: str, email: str) -> tuple[str, ...]:
    """Give the union-find nodes of a signature: its normalised e-mail and name.

    Args:
        name: The author name.
        email: The author e-mail.

    Returns:
        ``e:<EMAIL>`` and ``n:<NAME>`` for the non-blank parts, or one shared node for an empty signature.
    """
    nodes = []
    if email.strip():
        nodes.append("e:" + normalise(email.strip()))
    if name.strip():
        nodes.append("n:" + normalise(name.strip()))
    return tuple(nodes) or ("?:unknown",)
