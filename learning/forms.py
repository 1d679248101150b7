"""Plain Django forms for onboarding and goals: they validate; services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import CURRENCY_CHOICES, Money
from core.widgets import CheckboxList
from marketplace.models import Category, Language

from .levels import (
    GOAL_TITLE_MAX,
    LEVEL_DESCRIPTIONS,
    MAX_ACTIVE_GOALS,
    MILESTONE_TITLE_MAX,
    SESSION_LENGTHS,
    Level,
    TimeOfDay,
)
from .models import Goal


class InterestsForm(forms.Form):
    interests = forms.ModelMultipleChoiceField(
        label=_("What do you want to learn?"),
        queryset=Category.objects.order_by("sort_order", "name"),
        widget=CheckboxList,
        required=False,
        help_text=_("Pick as many topics as you like; you can change them later."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Subcategories grouped under their category (one query for the whole tree).
        categories = list(Category.objects.order_by("sort_order", "name"))
        groups = []
        for top in (category for category in categories if not category.parent_id):
            children = [(child.pk, child.name) for child in categories if child.parent_id == top.pk]
            groups.append((top.name, [(top.pk, top.name), *children]))
        self.fields["interests"].choices = groups


class GoalForm(forms.Form):
    title = forms.CharField(
        label=_("Goal"),
        max_length=GOAL_TITLE_MAX,
        required=False,
        help_text=_("In your own words, e.g. “Pass the AWS Solutions Architect exam”."),
    )
    target_date = forms.DateField(
        label=_("Target date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_target_date(self):
        value = self.cleaned_data.get("target_date")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("The target date must be today or later."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target_date") and not cleaned.get("title"):
            self.add_error("title", _("Write the goal this date is for."))
        return cleaned


class BaseGoalFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        filled = [form for form in self.forms if form.cleaned_data.get("title")]
        if len(filled) > MAX_ACTIVE_GOALS:
            raise forms.ValidationError(_("Up to %(count)s goals, please.") % {"count": MAX_ACTIVE_GOALS})


GoalFormSet = forms.formset_factory(
    GoalForm,
    formset=BaseGoalFormSet,
    extra=MAX_ACTIVE_GOALS,
    max_num=MAX_ACTIVE_GOALS,
    absolute_max=MAX_ACTIVE_GOALS,
    validate_max=True,
)


class GoalEditForm(GoalForm):
    title = forms.CharField(label=_("Goal"), max_length=GOAL_TITLE_MAX)
    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices)

    def __init__(self, *args, goal: Goal | None = None, **kwargs):
        self.goal = goal
        super().__init__(*args, **kwargs)

    def clean_target_date(self):
        value = self.cleaned_data.get("target_date")
        # A date already set may have passed; only a new date must be in the future.
        if self.goal is not None and value == self.goal.target_date:
            return value
        return super().clean_target_date()


class LevelsForm(forms.Form):
    """One choice of level per chosen skill; an unknown skill or level is refused, not stored."""

    def __init__(self, *args, categories=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        self.categories = list(categories)
        choices = [("", _("Not sure yet"))] + [
            (str(level.value), f"{level.label} — {LEVEL_DESCRIPTIONS[level]}") for level in Level
        ]
        for category in self.categories:
            self.fields[f"level_{category.pk}"] = forms.ChoiceField(
                label=category.name,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                initial=str(current[category.pk]) if category.pk in current else "",
            )

    def levels(self) -> dict:
        return {
            category: int(self.cleaned_data[f"level_{category.pk}"])
            for category in self.categories
            if self.cleaned_data.get(f"level_{category.pk}")
        }


class PreferencesForm(forms.Form):
    session_minutes = forms.TypedChoiceField(
        label=_("Session length"),
        choices=[("", _("No preference")), *SESSION_LENGTHS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES, initial="EUR")
    budget_min = forms.DecimalField(
        label=_("Budget per session from"),
        min_value=Decimal(0),
        max_value=Decimal(100000),
        decimal_places=2,
        required=False,
    )
    budget_max = forms.DecimalField(
        label=_("Budget per session up to"),
        min_value=Decimal(0),
        max_value=Decimal(100000),
        decimal_places=2,
        required=False,
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages you can learn in"),
        queryset=Language.objects.order_by("name"),
        widget=CheckboxList,
        required=False,
    )
    times_of_day = forms.MultipleChoiceField(
        label=_("Preferred times"), choices=TimeOfDay.choices, widget=CheckboxList, required=False
    )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("budget_min"), cleaned.get("budget_max")
        if low is not None and high is not None and low > high:
            self.add_error("budget_max", _("The highest budget must not be below the lowest."))
        return cleaned

    def minor(self, name: str) -> int | None:
        value = self.cleaned_data.get(name)
        return None if value is None else Money.from_major(value, self.cleaned_data["currency"]).amount


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("New milestone"), max_length=MILESTONE_TITLE_MAX)


class MilestoneDoneForm(forms.Form):
    done = forms.BooleanField(required=False)


class SuggestionAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class BookingGoalForm(forms.Form):
    goal = forms.ModelChoiceField(
        label=_("Which goal does this session serve?"),
        queryset=Goal.objects.none(),
        required=False,
        empty_label=_("No goal"),
        help_text=_("Your expert sees this goal and its milestones, nothing else of yours."),
    )

    def __init__(self, *args, learner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Goal.objects.filter(learner=learner, status=Goal.Status.ACTIVE).order_by("pk")
