"""The assessment's pages: record the facts the guideline reads, and assess with judgements and
exceptions. Thin views: parse, check access, call one action, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from husly.cases import actions, selectors
from husly.cases.assessment_forms import AssessmentFactsForm, JudgementForm
from husly.cases.views import case_page
from husly.core.pages import add_action_errors, user_of


@require_http_methods(["GET", "POST"])
def assessment_facts(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the facts every guideline criterion reads, each with its source."""
    user = user_of(request)
    case = selectors.case_read(
        user=user, pk=pk, what="assessment_facts", path=request.get_full_path()
    )
    if not selectors.can_act_on(user, case):
        raise PermissionDenied
    form = AssessmentFactsForm(request.POST or None, instance=case.application)
    if request.method == "POST" and form.is_valid():
        try:
            actions.assessment_facts_record(
                actor=user, case=case, data=form.facts(), sources=form.sources()
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The facts were saved. Assess the case again to use them."))
            return redirect(reverse("cases:case_detail", args=[case.pk]) + "#vurdering")
    return render(
        request,
        "cases/assessment_facts.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def assessment_run(request: HttpRequest, pk: int) -> HttpResponse:
    """Assess the case; on an error the case page comes back with everything typed kept."""
    user = user_of(request)
    case = selectors.case_get_for_user(user, pk)
    if not selectors.can_act_on(user, case):
        raise PermissionDenied
    previous = case.assessments.first()
    form = JudgementForm(previous, request.POST) if previous is not None else None
    if form is None or form.is_valid():
        try:
            actions.assessment_run(
                actor=user,
                case=case,
                judgements=form.judgements() if form else {},
                waivers=form.waivers() if form else {},
            )
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect(reverse("cases:case_detail", args=[case.pk]) + "#vurdering")
            add_action_errors(form, error)
        else:
            messages.success(request, _("The case was assessed against the guideline."))
            return redirect(reverse("cases:case_detail", args=[case.pk]) + "#vurdering")
    shown = selectors.case_page_read(
        user=user, pk=pk, what="case_detail", path=reverse("cases:case_detail", args=[case.pk])
    )
    return case_page(request, user, shown, judgement_form=form)
