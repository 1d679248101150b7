from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


@login_required
def learner_dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/learner_dashboard.html")


@login_required
def expert_dashboard(request: HttpRequest) -> HttpResponse:
    if not request.user.is_expert:
        raise PermissionDenied(_("The expert area is for approved experts. You can apply to join as an expert."))
    return render(request, "marketplace/expert_dashboard.html")
