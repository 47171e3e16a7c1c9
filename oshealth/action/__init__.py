"""oshealth as a GitHub Action: ``python -m oshealth.action``.

The composite action in ``action.yml`` installs oshealth from the action's
own ref and runs this entry point. It reads the workflow's inputs
(``INPUT_*`` variables) and the GitHub context (``GITHUB_*`` variables and
the event payload), runs one oshealth gate as a subprocess (``diff`` on a
pull request, ``audit`` or ``release-check``), and reports back to GitHub:
the Markdown report as the job summary, step outputs, line annotations, a
SARIF file for code scanning and one sticky pull-request comment.

Modules:
    settings: The action's inputs, validated.
    context: The GitHub run: event, pull request, base and head commits.
    workflow: Workflow commands, step outputs and the job summary.
    gate: Which oshealth command each mode runs, the shallow-clone check, the reports it writes.
    annotate: The findings worth a line annotation, most important first.
    comment: The REST client and the sticky pull-request comment.
    publish: Posting the comment from the gate's run, or relaying it from a trusted later run.
    main: The entry point tying them together.
"""

from __future__ import annotations
