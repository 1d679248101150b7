"""The catalogue's models. Other apps import them from here; the catalogue's own
selectors import the submodules, never this package (it pulls in the pages,
which sit above the selectors)."""

from .applications import (
    ApplicationDocument,
    ApplicationEvent,
    ApplicationSettings,
    ExpertApplication,
    ExpertVerification,
)
from .categories import Category, Language
from .offerings import DURATION_CHOICES, Package, SessionType
from .pages import ExpertIndexPage, ExpertPage, ExpertPageSkill
from .profiles import ExpertProfile
from .questionnaire import MAX_QUESTIONS, QUESTION_MAX_LENGTH, IntakeQuestion
from .search import ExpertSearchDocument

__all__ = [
    "DURATION_CHOICES",
    "ApplicationDocument",
    "ApplicationEvent",
    "ApplicationSettings",
    "ExpertApplication",
    "ExpertVerification",
    "Category",
    "ExpertIndexPage",
    "ExpertPage",
    "ExpertPageSkill",
    "ExpertProfile",
    "ExpertSearchDocument",
    "IntakeQuestion",
    "MAX_QUESTIONS",
    "QUESTION_MAX_LENGTH",
    "Language",
    "Package",
    "SessionType",
]
