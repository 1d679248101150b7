"""What higher apps add to the operations console's person page, and what they do when a person is
suspended; accounts may not import them (they build on accounts), so they register here.

- ``person_section_register(PersonSection(key, title, permission, read, order))``: ``read(user)``
  returns rows of ``(text, url)`` with a fixed number of queries (bookings, payments, reviews,
  applications...); shown only to staff holding ``permission`` (a support user sees no payments).
- ``suspension_rule_register(SuspensionRule(key, label, apply))``: a choice offered when suspending;
  ``apply(user=, by=, reason=)`` runs after the suspension committed and returns how many sessions it
  handled (billing registers "cancel the upcoming sessions with a full refund").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonSection:
    key: str
    title: str
    permission: str
    read: Callable[[Any], list[tuple[str, str]]]
    order: int = 100


@dataclass(frozen=True)
class SuspensionRule:
    key: str
    label: str
    apply: Callable[..., int]


_SECTIONS: dict[str, PersonSection] = {}
_RULES: dict[str, SuspensionRule] = {}


def person_section_register(section: PersonSection) -> PersonSection:
    _SECTIONS[section.key] = section
    return section


def person_sections() -> list[PersonSection]:
    return sorted(_SECTIONS.values(), key=lambda section: section.order)


def suspension_rule_register(rule: SuspensionRule) -> SuspensionRule:
    _RULES[rule.key] = rule
    return rule


def suspension_rules() -> dict[str, SuspensionRule]:
    return dict(_RULES)
