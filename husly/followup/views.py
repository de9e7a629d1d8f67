"""The follow-up pages: the housing team's overview, bo-plans and contacts, warnings,
inspections, moving out and vacancy, refused households, the municipality's settings, and the
warning letter in Min side. Thin views: fetch through a selector (404 without access), call one
action, log every person shown."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from husly.core.pages import add_action_errors, paginate, querystring_without_page, user_of
from husly.followup import actions, selectors
from husly.followup.forms import (
    AnswerForm,
    ContactForm,
    FollowedUpForm,
    IncidentForm,
    InspectionForm,
    NoticeForm,
    PeriodForm,
    PlanForm,
    ReadyForm,
    RefusalFollowUpForm,
    ScheduleForm,
    SettingsForm,
    WarningForm,
)
from husly.followup.models import FollowUpSettings, WrittenWarning
from husly.organisation.access import has_role
from husly.organisation.models import User
from husly.people.selectors import log_household_reads, log_reads
from husly.portal.auth import resident_of
from husly.tenancy.models import Lease


def _log_household(request: HttpRequest, user: User, household_id: int, what: str) -> None:
    from husly.people.models import HouseholdMember

    persons = [
        m.person
        for m in HouseholdMember.objects.filter(household_id=household_id).select_related("person")
    ]
    log_reads(user=user, persons=persons, what=what, path=request.get_full_path())


def _form_action(
    request: HttpRequest, form: forms.Form, call: Callable[[dict[str, Any]], Any]
) -> Any:
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except ValidationError as error:
        add_action_errors(form, error)
        return None


def _page(
    request: HttpRequest, form: forms.Form, title: str, cancel_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "followup/form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, **extra},
        status=400 if form.errors else 200,
    )


# --- the housing team's overview ---------------------------------------------------------------


def overview(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = selectors.municipality_for(user, selectors.PLAN_ROLES)
    today = timezone.localdate()
    show = request.GET.get("vis", selectors.SHOW_ALL)
    if show not in {selectors.SHOW_ALL, selectors.SHOW_FLAGGED, selectors.SHOW_WITHOUT_PLAN}:
        show = selectors.SHOW_ALL
    page = paginate(request, selectors.overview(user, today=today, show=show))
    log_household_reads(
        user=user,
        household_ids=[lease.household_id for lease in page],
        what="followup_overview",
        path=request.get_full_path(),
    )
    return render(
        request,
        "followup/overview.html",
        {
            "page": page,
            "show": show,
            "counts": selectors.overview_counts(user, today=today),
            "querystring": querystring_without_page(request),
            "municipality": municipality,
            "today": today,
        },
    )


def tenant(request: HttpRequest, pk: int) -> HttpResponse:
    """One tenancy as the follow-up service and the property unit see it."""
    user = user_of(request)
    lease = selectors.lease_get_for_user(user, pk, selectors.ANY_FOLLOW_UP)
    _log_household(request, user, lease.household_id, "followup_tenant")
    m = lease.municipality_id
    plan = getattr(lease, "housing_plan", None)
    return render(
        request,
        "followup/tenant.html",
        {
            "lease": lease,
            "plan": plan if has_role(user, m, selectors.PLAN_ROLES) else None,
            "can_plan": has_role(user, m, selectors.PLAN_ROLES),
            "can_warn": has_role(user, m, selectors.WARNING_WRITE),
            "can_incident": has_role(user, m, selectors.WARNING_WRITE | selectors.MOVE_OUT_WRITE),
            "can_inspect": has_role(user, m, selectors.INSPECTION_ROLES),
            "incidents": lease.incidents.all(),
            "warnings": lease.warnings.all(),
            "inspections": lease.inspections.all(),
            "move_out": getattr(lease, "move_out", None),
            "schedule_form": ScheduleForm(),
            "threshold": selectors.settings_for(m).warnings_before_takeover,
        },
    )


@require_POST
def plan_offer(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    lease = selectors.lease_get_for_user(user, pk, selectors.PLAN_ROLES)
    try:
        plan = actions.housing_plan_offer(actor=user, lease=lease, today=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("followup:tenant", pk=lease.pk)
    messages.success(request, _("The bo-plan was offered to the tenant."))
    return redirect("followup:plan_detail", pk=plan.pk)


@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    plan = selectors.plan_get_for_user(user, pk)
    _log_household(request, user, plan.household_id, "housing_plan")
    m = plan.municipality_id
    step = request.POST.get("step", "plan")
    posted = request.method == "POST"
    plan_form = PlanForm(
        request.POST if posted and step == "plan" else None, instance=plan, municipality_id=m
    )
    answer_form = AnswerForm(
        request.POST if posted and step == "svar" else None,
        prefix="svar",
        initial={"answered_on": timezone.localdate()},
    )
    contact_form = ContactForm(
        request.POST if posted and step == "kontakt" else None,
        prefix="kontakt",
        municipality_id=m,
        initial={"contact_on": timezone.localdate(), "unit": plan.responsible_unit_id},
    )
    done = None
    if step == "plan":
        done = _form_action(
            request,
            plan_form,
            lambda d: actions.housing_plan_update(actor=user, plan=plan, data=d),
        )
    elif step == "svar":
        done = _form_action(
            request,
            answer_form,
            lambda d: actions.housing_plan_answer(
                actor=user,
                plan=plan,
                accepted=d["answer"] == "accepted",
                answered_on=d["answered_on"],
            ),
        )
    elif step == "kontakt":
        done = _form_action(
            request,
            contact_form,
            lambda d: actions.contact_record(actor=user, plan=plan, data=d),
        )
    if done is not None:
        messages.success(request, _("Saved."))
        return redirect("followup:plan_detail", pk=plan.pk)
    errors = plan_form.errors or answer_form.errors or contact_form.errors
    return render(
        request,
        "followup/plan_detail.html",
        {
            "plan": plan,
            "plan_form": plan_form,
            "answer_form": answer_form,
            "contact_form": contact_form,
            "contacts": plan.contacts.select_related("unit", "recorded_by"),
        },
        status=400 if errors else 200,
    )


# --- incidents and warnings -------------------------------------------------------------------


def warning_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    selectors.municipality_for(user, selectors.WARNING_READ)
    warnings = list(selectors.warnings_for_user(user)[:100])
    incidents = list(selectors.incidents_for_user(user)[:100])
    taken = list(selectors.taken_over(user)[:100])
    log_household_reads(
        user=user,
        household_ids=[w.household_id for w in warnings]
        + [i.household_id for i in incidents]
        + [lease.household_id for lease in taken],
        what="warning_list",
        path=request.get_full_path(),
    )
    return render(
        request,
        "followup/warning_list.html",
        {"warnings": warnings, "incidents": incidents, "taken": taken},
    )


@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    roles = selectors.WARNING_WRITE | selectors.MOVE_OUT_WRITE
    lease = selectors.lease_get_for_user(user, pk, roles)
    _log_household(request, user, lease.household_id, "incident_form")
    form = IncidentForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if _form_action(
        request, form, lambda d: actions.incident_record(actor=user, lease=lease, data=d)
    ):
        messages.success(request, _("The incident was recorded."))
        return redirect("followup:tenant", pk=lease.pk)
    return _page(request, form, _("Record a breach or complaint"), "../", lease=lease)


@require_http_methods(["GET", "POST"])
def warning_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    lease = selectors.lease_get_for_user(user, pk, selectors.WARNING_WRITE)
    _log_household(request, user, lease.household_id, "warning_form")
    form = WarningForm(
        request.POST or None, lease=lease, initial={"conversation_on": timezone.localdate()}
    )
    warning = _form_action(
        request, form, lambda d: actions.warning_issue(actor=user, lease=lease, data=d)
    )
    if warning is not None:
        messages.success(
            request,
            _("Warning number %(n)s was written and copied to the property unit.")
            % {"n": warning.number},
        )
        return redirect("followup:tenant", pk=lease.pk)
    count = lease.warnings.count()
    return _page(
        request,
        form,
        _("Write a warning"),
        "../",
        lease=lease,
        intro=_(
            "Warning number %(n)s. After %(limit)s written warnings the property unit takes "
            "over the case."
        )
        % {
            "n": count + 1,
            "limit": selectors.settings_for(lease.municipality_id).warnings_before_takeover,
        },
    )


def _letter(warning: WrittenWarning) -> HttpResponse:
    content = warning.letter.open("rb").read()
    if hashlib.sha256(content).hexdigest() != warning.letter_sha256:
        msg = f"Stored warning {warning.pk} does not match its hash"
        raise RuntimeError(msg)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="advarsel-{warning.pk}.pdf"'
    return response


def warning_letter(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    warning = selectors.warning_get_for_user(user, pk)
    _log_household(request, user, warning.household_id, "warning_letter")
    return _letter(warning)


@login_required(login_url="portal:login")
@require_POST
def my_plan_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The household accepts or declines the bo-plan it was offered at moving in (Min side)."""
    user = resident_of(request)
    plan = selectors.my_plan(user, pk)
    answer = request.POST.get("answer")
    if answer not in {"accepted", "declined"}:
        messages.error(request, _("Choose whether you accept the bo-plan."))
        return redirect("portal:home")
    try:
        actions.housing_plan_answer(
            actor=user,
            plan=plan,
            accepted=answer == "accepted",
            answered_on=timezone.localdate(),
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("portal:home")
    messages.success(
        request,
        _("Thank you. You have accepted the bo-plan.")
        if answer == "accepted"
        else _("Thank you. You have said no to the bo-plan."),
    )
    return redirect("portal:home")


@login_required(login_url="portal:login")
def my_warning_letter(request: HttpRequest, pk: int) -> HttpResponse:
    user = resident_of(request)
    return _letter(selectors.my_warning(user, pk))


# --- inspections ------------------------------------------------------------------------------


def inspection_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    selectors.municipality_for(user, selectors.INSPECTION_ROLES)
    today = timezone.localdate()
    overdue = paginate(request, selectors.overdue_inspections(user, today=today))
    inspections = selectors.inspections_for_user(user)
    planned = list(inspections.filter(inspected_on__isnull=True).order_by("planned_on")[:100])
    recent = list(inspections.filter(inspected_on__isnull=False)[:50])
    log_household_reads(
        user=user,
        household_ids=[lease.household_id for lease in overdue]
        + [i.household_id for i in planned + recent],
        what="inspection_list",
        path=request.get_full_path(),
    )
    return render(
        request,
        "followup/inspection_list.html",
        {
            "page": overdue,
            "planned": planned,
            "recent": recent,
            "querystring": querystring_without_page(request),
        },
    )


@require_POST
def inspection_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    lease = selectors.lease_get_for_user(user, pk, selectors.INSPECTION_ROLES)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the inspection is planned for."))
    else:
        try:
            actions.inspection_schedule(
                actor=user, lease=lease, planned_on=form.cleaned_data["planned_on"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The inspection was planned; the tenant sees it in Min side.")
            )
    return redirect("followup:tenant", pk=lease.pk)


@require_http_methods(["GET", "POST"])
def inspection_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    lease = selectors.lease_get_for_user(user, pk, selectors.INSPECTION_ROLES)
    _log_household(request, user, lease.household_id, "inspection_form")
    planned = None
    if request.GET.get("planlagt"):
        planned = selectors.inspection_get_for_user(user, request.GET["planlagt"])
    form = InspectionForm(request.POST or None, initial={"inspected_on": timezone.localdate()})
    done = _form_action(
        request,
        form,
        lambda d: actions.inspection_record(actor=user, lease=lease, data=d, inspection=planned),
    )
    if done is not None:
        messages.success(request, _("The inspection was recorded."))
        return redirect("followup:tenant", pk=lease.pk)
    return _page(request, form, _("Record an inspection"), "../", lease=lease)


# --- moving out and vacancy -------------------------------------------------------------------


def move_out_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = selectors.municipality_for(user, selectors.MOVE_OUT_READ)
    today = timezone.localdate()
    period = PeriodForm(
        request.GET if "fra" in request.GET else None,
        initial={"fra": today.replace(month=1, day=1), "til": today + dt.timedelta(days=1)},
    )
    start, end = today.replace(month=1, day=1), today + dt.timedelta(days=1)
    if period.is_bound and period.is_valid():
        start, end = period.cleaned_data["fra"], period.cleaned_data["til"]
    vacancy = selectors.vacancy_days(municipality.pk, start, end)
    move_outs = list(selectors.move_outs_for_user(user)[:100])
    log_household_reads(
        user=user,
        household_ids=[m.household_id for m in move_outs],
        what="move_out_list",
        path=request.get_full_path(),
    )
    from husly.followup.models import VacancyCause
    from husly.housing.models import Dwelling
    from husly.tenancy.models import EndReason

    dwellings = Dwelling.objects.in_bulk(list(vacancy.by_dwelling)[:200])
    return render(
        request,
        "followup/move_out_list.html",
        {
            "move_outs": move_outs,
            "period": period,
            "start": start,
            "end": end,
            "vacancy": vacancy,
            "causes": VacancyCause.choices,
            "by_end_reason": [
                (label, vacancy.by_end_reason[code])
                for code, label in EndReason.choices
                if vacancy.by_end_reason.get(code)
            ],
            "per_dwelling": [
                (dwellings[d], [days[c] for c, _label in VacancyCause.choices])
                for d, days in vacancy.by_dwelling.items()
                if d in dwellings
            ],
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
def move_out_notice(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    lease = selectors.lease_get_for_user(user, pk, selectors.MOVE_OUT_READ)
    _log_household(request, user, lease.household_id, "notice_form")
    form = NoticeForm(request.POST or None, initial={"notice_received_on": timezone.localdate()})
    move_out = _form_action(
        request,
        form,
        lambda d: actions.move_out_notice(
            actor=user,
            lease=lease,
            notice_received_on=d["notice_received_on"],
            notice_months=d["notice_months"],
            agreed_last_day=d.get("agreed_last_day"),
        ),
    )
    if move_out is not None:
        messages.success(
            request,
            _("The notice was recorded. The tenancy's last day is %(date)s.")
            % {"date": move_out.moving_out_on.strftime("%d.%m.%Y")},
        )
        return redirect("followup:move_out_detail", pk=move_out.pk)
    return _page(request, form, _("The tenant gives notice"), "../", lease=lease)


@require_http_methods(["GET", "POST"])
def move_out_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    move_out = selectors.move_out_get_for_user(user, pk)
    _log_household(request, user, move_out.household_id, "move_out")
    can_write = has_role(user, move_out.municipality_id, selectors.MOVE_OUT_WRITE)
    step = request.POST.get("step")
    ready_form = ReadyForm(
        request.POST if step == "klar" else None, initial={"ready_on": timezone.localdate()}
    )
    if request.method == "POST":
        if not can_write:
            raise Http404
        if step == "fullfor":
            try:
                actions.move_out_complete(actor=user, move_out=move_out)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The tenant has moved out; the dwelling is vacant."))
            return redirect("followup:move_out_detail", pk=move_out.pk)
        if step == "klar" and _form_action(
            request,
            ready_form,
            lambda d: actions.move_out_ready(actor=user, move_out=move_out, **d),
        ):
            messages.success(request, _("The dwelling is ready for the next tenant."))
            return redirect("followup:move_out_detail", pk=move_out.pk)
    return render(
        request,
        "followup/move_out_detail.html",
        {
            "move_out": move_out,
            "lease": move_out.lease,
            "segments": move_out.segments.all(),
            "ready_form": ready_form,
            "can_write": can_write,
            "can_inspect": has_role(user, move_out.municipality_id, selectors.INSPECTION_ROLES),
            "today": timezone.localdate(),
        },
        status=400 if ready_form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def final_inspection(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    move_out = selectors.move_out_get_for_user(user, pk)
    if not has_role(user, move_out.municipality_id, selectors.INSPECTION_ROLES):
        raise Http404
    _log_household(request, user, move_out.household_id, "inspection_form")
    lease = Lease.objects.get(pk=move_out.lease_id)
    form = InspectionForm(request.POST or None, initial={"inspected_on": timezone.localdate()})
    done = _form_action(
        request,
        form,
        lambda d: actions.inspection_record(actor=user, lease=lease, data=d, move_out=move_out),
    )
    if done is not None:
        messages.success(request, _("The final inspection was recorded."))
        return redirect("followup:move_out_detail", pk=move_out.pk)
    return _page(request, form, _("Final inspection"), "../", lease=lease)


# --- refused households -----------------------------------------------------------------------


def refusal_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not selectors.can_follow_up_refusals(user):
        raise Http404
    show = request.GET.get("vis", "uten")
    shown = (
        selectors.refusals_waiting(user, timezone.localdate())
        if show == "uten"
        else selectors.refusals_for_user(user)
    )
    page = paginate(request, shown.select_related("refusal_follow_up"))
    log_household_reads(
        user=user,
        household_ids=[d.case.household_id for d in page],
        what="refusal_list",
        path=request.get_full_path(),
    )
    return render(
        request,
        "followup/refusal_list.html",
        {
            "page": page,
            "show": show,
            "querystring": querystring_without_page(request),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def refusal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    decision = selectors.refusal_get_for_user(user, pk)
    _log_household(request, user, decision.case.household_id, "refusal_follow_up")
    follow_up = getattr(decision, "refusal_follow_up", None)
    step = request.POST.get("step", "henvist") if request.method == "POST" else ""
    record_form = RefusalFollowUpForm(
        request.POST if step == "henvist" else None,
        initial={"referred_to": follow_up.referred_to, "follow_up_on": follow_up.follow_up_on}
        if follow_up
        else {"follow_up_on": timezone.localdate() + dt.timedelta(days=30)},
    )
    done_form = FollowedUpForm(
        request.POST if step == "fulgt" else None,
        initial={"followed_up_on": timezone.localdate()},
    )
    result = None
    if step == "henvist":
        result = _form_action(
            request,
            record_form,
            lambda d: actions.refusal_follow_up_record(actor=user, decision=decision, data=d),
        )
    elif step == "fulgt" and follow_up is not None:
        result = _form_action(
            request,
            done_form,
            lambda d: actions.refusal_followed_up(actor=user, follow_up=follow_up, **d),
        )
    if result is not None:
        messages.success(request, _("Saved."))
        return redirect("followup:refusal_detail", pk=decision.pk)
    return render(
        request,
        "followup/refusal_detail.html",
        {
            "decision": decision,
            "follow_up": follow_up,
            "record_form": record_form,
            "done_form": done_form,
        },
        status=400 if record_form.errors or done_form.errors else 200,
    )


# --- settings ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def followup_settings(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = selectors.municipality_for(user, selectors.SETTINGS_WRITE)
    found = FollowUpSettings.objects.filter(municipality=municipality).first()
    form = SettingsForm(request.POST or None, instance=found, municipality_id=municipality.pk)
    if _form_action(
        request,
        form,
        lambda d: actions.followup_settings_save(actor=user, municipality=municipality, data=d),
    ):
        messages.success(request, _("The follow-up settings were saved."))
        return redirect("followup:settings")
    return _page(request, form, _("Follow-up settings"), "/")
