"""Releases: which tags are releases, their notes, the release gate, and past releases' documentation.

- :mod:`oshealth.release.tags`: release tags, ordered by version; the last one before HEAD.
- :mod:`oshealth.release.notes`: the changelog section of a version and whether it is empty.
- :mod:`oshealth.release.history`: facts about the last releases for the ``release-documentation`` check.
- :mod:`oshealth.release.gate`: ``oshealth release-check``, the release gate.
- :mod:`oshealth.release.settings`: the gate's rules, ``[tool.oshealth.release]``.
"""
