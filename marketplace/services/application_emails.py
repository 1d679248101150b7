"""Placeholder for helper i12a's applicant emails (same names), so the review services import;
replaced by i12a's module when branch i12a is merged."""

from __future__ import annotations


def send_application_submitted(app) -> None:
    return None


def send_changes_requested(app) -> None:
    return None


def send_application_approved(app) -> None:
    return None


def send_application_rejected(app) -> None:
    return None
