"""The expert's intake questionnaire, shown and saved from the offerings screen."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import ApplicationError

from ..access import expert_required, own_profile
from ..forms.questionnaire import QuestionnaireForm
from ..models import IntakeQuestion
from ..services.questionnaire import intake_questions_replace


@expert_required
@require_http_methods(["GET", "POST"])
def expert_questionnaire(request: HttpRequest) -> HttpResponse:
    profile = own_profile(request)
    questions = list(IntakeQuestion.objects.filter(profile=profile))
    form = QuestionnaireForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            intake_questions_replace(profile=profile, questions=form.questions())
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Questionnaire saved. Learners answer it after they pay for a session."))
            return redirect("expert_offerings")
    return render(request, "marketplace/expert_questionnaire.html", {"questionnaire_form": form})
