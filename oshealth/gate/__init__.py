"""The pull-request gate: ``oshealth diff BASE [HEAD]``.

:mod:`~oshealth.gate.collect` reads the change from git objects (the changed
modules' public API from :mod:`~oshealth.gate.changed_api`),
:mod:`~oshealth.gate.code_rules` and :mod:`~oshealth.gate.api_rules` judge it
(rules 1-5), :mod:`~oshealth.gate.scores` compares the audit scores at both
ends (rule 6, off by default; the facts of both ends from
:mod:`~oshealth.gate.revision_facts` and :mod:`~oshealth.gate.revision_style`),
:mod:`~oshealth.gate.run` ties them together and :mod:`~oshealth.gate.render`
writes the terminal, JSON, Markdown and SARIF reports.
"""
