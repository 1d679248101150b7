"""A dashboard panel for the Wagtail admin home (``construct_homepage_panels``): a heading and a few
counts, each linking to the queue where a person acts on it.

Each app adds its own panels from its ``wagtail_hooks`` (it knows its queues and permissions); the
counts of one panel come from one query, computed when the panel renders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from wagtail.admin.ui.components import Component


@dataclass(frozen=True)
class PanelCount:
    key: str
    label: str
    url: str = ""


class CountPanel(Component):
    template_name = "core/admin/count_panel.html"

    def __init__(self, *, name: str, heading: str, counts: list[PanelCount], read: Callable[[], dict], order: int):
        self.name = name
        self.heading = heading
        self.counts = counts
        self.read = read  # one query: {key: number}
        self.order = order

    def get_context_data(self, parent_context=None):
        numbers = self.read()
        return {
            "panel_id": f"ops-panel-{self.name}",
            "heading": self.heading,
            "rows": [(count, numbers.get(count.key, 0)) for count in self.counts],
        }
