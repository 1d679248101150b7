"""The learner's journey screens: onboarding, goals, progress, history; the expert's students.

Views parse input, look objects up by their owner (anyone else gets the unknown id's 404),
call one service and render. Every form posts without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from bookings.models import Booking
from core.errors import ApplicationError
from core.ratelimit import rate_limit_hit

from .forms import (
    GoalEditForm,
    GoalForm,
    GoalFormSet,
    InterestsForm,
    LevelsForm,
    MilestoneDoneForm,
    MilestoneForm,
    PreferencesForm,
    SuggestionAnswerForm,
)
from .levels import LEVEL_DESCRIPTIONS, Level
from .models import ONBOARDING_STEPS, Goal, Milestone
from .selectors import (
    current_levels,
    learner_goals,
    learner_profile_of,
    onboarding_next_step,
)
from .services import (
    goal_create,
    goal_update,
    learner_interests_set,
    learner_preferences_set,
    milestone_add,
    milestone_set_done,
    milestone_suggestion_answer,
    onboarding_skip_all,
    onboarding_step_mark,
    skill_levels_assess,
)

# Writes per signed-in user per minute across this app's forms: generous for a person, a wall for a script.
WRITES_PER_MINUTE = 60
STEP_TITLES = {
    "interests": gettext_lazy("What you want to learn"),
    "goals": gettext_lazy("Your goals"),
    "levels": gettext_lazy("Where you stand"),
    "preferences": gettext_lazy("How you like to learn"),
}


def _too_many(request: HttpRequest) -> HttpResponse | None:
    if rate_limit_hit(scope="learning-write", key=str(request.user.pk), limit=WRITES_PER_MINUTE, window_seconds=60):
        return render(request, "learning/too_many.html", status=429)
    return None


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default


# --- Onboarding ---------------------------------------------------------------------------------


@login_required
def onboarding(request: HttpRequest) -> HttpResponse:
    """Resume where the learner left off; once every step is passed, the goals page holds it all."""
    step = onboarding_next_step(profile=learner_profile_of(user=request.user))
    return redirect("onboarding_step", step=step) if step else redirect("learning_goals")


def _step_categories(profile, user):
    """The skills to assess: the chosen interests and the topics of the learner's goals."""
    categories = list(profile.interests.all()) if profile else []
    seen = {category.pk for category in categories}
    for goal in Goal.objects.filter(learner=user, category__isnull=False).select_related("category"):
        if goal.category_id not in seen:
            seen.add(goal.category_id)
            categories.append(goal.category)
    return categories


def _step_form(step: str, request: HttpRequest, profile, data=None):
    user = request.user
    if step == "interests":
        initial = {"interests": list(profile.interests.all())} if profile else {}
        return InterestsForm(data, initial=initial)
    if step == "goals":
        return GoalFormSet(data, prefix="goals")
    if step == "levels":
        return LevelsForm(data, categories=_step_categories(profile, user), current=current_levels(learner=user))
    initial = {}
    if profile is not None:
        initial = {
            "session_minutes": profile.session_minutes,
            "currency": profile.currency or "EUR",
            "languages": list(profile.languages.all()),
            "times_of_day": profile.times_of_day,
        }
    return PreferencesForm(data, initial=initial)


def _save_step(step: str, request: HttpRequest, form) -> None:
    user = request.user
    if step == "interests":
        learner_interests_set(user=user, categories=form.cleaned_data["interests"])
    elif step == "goals":
        for goal_form in form.forms:
            data = goal_form.cleaned_data
            if data.get("title"):
                goal_create(learner=user, title=data["title"], target_date=data.get("target_date"))
    elif step == "levels":
        skill_levels_assess(learner=user, levels=form.levels())
    else:
        learner_preferences_set(
            user=user,
            session_minutes=form.cleaned_data["session_minutes"],
            budget_min_minor=form.minor("budget_min"),
            budget_max_minor=form.minor("budget_max"),
            currency=form.cleaned_data["currency"],
            languages=form.cleaned_data["languages"],
            times_of_day=form.cleaned_data["times_of_day"],
        )


@login_required
@require_http_methods(["GET", "POST"])
def onboarding_step(request: HttpRequest, step: str) -> HttpResponse:
    """One step: save and continue, skip this step, or skip the rest. ``?next=`` returns to the goals page."""
    if step not in ONBOARDING_STEPS:
        raise Http404
    profile = learner_profile_of(user=request.user)
    editing = bool(request.GET.get("next") or request.POST.get("next"))
    form = _step_form(step, request, profile)
    status = 200
    if request.method == "POST":
        if limited := _too_many(request):
            return limited
        if "skip_all" in request.POST:
            onboarding_skip_all(user=request.user)
            messages.info(request, _("No problem. You can set your goals any time from your goals page."))
            return redirect("learning_progress")
        if "skip" not in request.POST:
            form = _step_form(step, request, profile, data=request.POST)
            if form.is_valid():
                try:
                    _save_step(step, request, form)
                except ApplicationError as refused:
                    messages.error(request, refused.message)
                    status = 400
            else:
                status = 400
        if status == 200:
            onboarding_step_mark(user=request.user, step=step)
            if editing:
                messages.success(request, _("Saved."))
                return redirect(_safe_next(request, "/dashboard/goals/"))
            following = onboarding_next_step(profile=learner_profile_of(user=request.user), after=step)
            if following is None:
                messages.success(request, _("Thank you. Here is where your progress will show."))
                return redirect("learning_progress")
            return redirect("onboarding_step", step=following)
    index = ONBOARDING_STEPS.index(step)
    return render(
        request,
        "learning/onboarding_step.html",
        {
            "step": step,
            "step_title": STEP_TITLES[step],
            "number": index + 1,
            "total": len(ONBOARDING_STEPS),
            "form": form,
            "editing": editing,
            "next_url": _safe_next(request, "") if editing else "",
            "active_goals": Goal.objects.filter(learner=request.user, status=Goal.Status.ACTIVE).count()
            if step == "goals"
            else 0,
            "levels": [(level.label, LEVEL_DESCRIPTIONS[level]) for level in Level],
        },
        status=status,
    )


# --- Goals --------------------------------------------------------------------------------------


def _goals_page(request: HttpRequest, *, goal_form=None, status: int = 200) -> HttpResponse:
    profile = learner_profile_of(user=request.user)
    goals = learner_goals(learner=request.user)
    levels_form = LevelsForm(
        categories=_step_categories(profile, request.user), current=current_levels(learner=request.user)
    )
    return render(
        request,
        "learning/goals.html",
        {
            "goals": goals,
            "active_count": sum(1 for goal in goals if goal.status == Goal.Status.ACTIVE),
            "goal_form": goal_form or GoalForm(),
            "milestone_form": MilestoneForm(),
            "levels_form": levels_form,
            "profile": profile,
            "booking_id": request.GET.get("booking", ""),
        },
        status=status,
    )


@login_required
def goals_page(request: HttpRequest) -> HttpResponse:
    return _goals_page(request)


@require_POST
@login_required
def goal_add(request: HttpRequest) -> HttpResponse:
    if limited := _too_many(request):
        return limited
    form = GoalForm(request.POST)
    if not form.is_valid() or not form.cleaned_data.get("title"):
        if form.is_valid():
            form.add_error("title", _("Write your goal in a few words."))
        return _goals_page(request, goal_form=form, status=400)
    try:
        goal_create(
            learner=request.user, title=form.cleaned_data["title"], target_date=form.cleaned_data["target_date"]
        )
    except ApplicationError as refused:
        form.add_error(None, refused.message)
        return _goals_page(request, goal_form=form, status=400)
    messages.success(request, _("Goal added."))
    return redirect("learning_goals")


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal, pk=pk, learner=request.user)
    if request.method == "POST":
        if limited := _too_many(request):
            return limited
        form = GoalEditForm(request.POST, goal=goal)
        if form.is_valid():
            try:
                goal_update(
                    goal=goal,
                    learner=request.user,
                    title=form.cleaned_data["title"],
                    target_date=form.cleaned_data["target_date"],
                    status=form.cleaned_data["status"],
                    category=goal.category,
                )
            except ApplicationError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Goal saved."))
                return redirect("learning_goals")
        return render(request, "learning/goal_edit.html", {"goal": goal, "form": form}, status=400)
    form = GoalEditForm(
        goal=goal, initial={"title": goal.title, "target_date": goal.target_date, "status": goal.status}
    )
    return render(request, "learning/goal_edit.html", {"goal": goal, "form": form})


@require_POST
@login_required
def milestone_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal, pk=pk, learner=request.user)
    if limited := _too_many(request):
        return limited
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect("learning_goals")
    try:
        milestone_add(goal=goal, learner=request.user, title=form.cleaned_data["title"])
    except ApplicationError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Milestone added."))
    return redirect("learning_goals")


@require_POST
@login_required
def milestone_done_view(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone, pk=pk, goal__learner=request.user)
    if limited := _too_many(request):
        return limited
    form = MilestoneDoneForm(request.POST)
    form.is_valid()
    try:
        milestone_set_done(milestone=milestone, learner=request.user, done=bool(form.cleaned_data.get("done")))
    except ApplicationError as refused:
        messages.error(request, refused.message)
    return redirect(_safe_next(request, "/dashboard/goals/"))


@require_POST
@login_required
def milestone_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone, pk=pk, goal__learner=request.user)
    if limited := _too_many(request):
        return limited
    form = SuggestionAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or decline."))
        return redirect("learning_goals")
    try:
        milestone_suggestion_answer(
            milestone=milestone, learner=request.user, accept=form.cleaned_data["answer"] == "accept"
        )
    except ApplicationError as refused:
        messages.error(request, refused.message)
    return redirect("learning_goals")


@require_POST
@login_required
def levels_update(request: HttpRequest) -> HttpResponse:
    """Re-assess the levels, optionally after one of the learner's own sessions (``booking``)."""
    if limited := _too_many(request):
        return limited
    profile = learner_profile_of(user=request.user)
    form = LevelsForm(request.POST, categories=_step_categories(profile, request.user))
    booking = None
    raw_booking = request.POST.get("booking", "")
    if raw_booking:
        booking = Booking.objects.filter(
            pk=int(raw_booking) if raw_booking.isdigit() else 0, learner=request.user
        ).first()
        if booking is None:
            messages.error(request, _("That session is not one of yours."))
            return redirect("learning_goals")
    if not form.is_valid():
        messages.error(request, _("Choose a level from the list for each skill."))
        return redirect("learning_goals")
    skill_levels_assess(learner=request.user, levels=form.levels(), booking=booking)
    messages.success(request, _("Levels saved."))
    return redirect("learning_goals")
