"""Renderers: each turns an :class:`~oshealth.report.AuditReport` into text."""
