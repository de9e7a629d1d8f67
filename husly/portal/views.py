"""Min side: the household's own pages. Apply once, follow the case, read decisions, appeal."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from husly.audit.events import record_access
from husly.audit.export import build_export, download, render_json, render_pdf
from husly.cases import actions as case_actions
from husly.cases.forms import ApplicationForm
from husly.cases.letters import (
    decision_letter_context,
    preliminary_reply_context,
    stored_letter,
)
from husly.cases.models import CaseStatus
from husly.consent import actions as consent_actions
from husly.consent.forms import PortalConsentForm
from husly.consent.models import GivenHow
from husly.core.forms import SubmissionForm
from husly.core.pages import add_action_errors, paginate
from husly.organisation.models import Role
from husly.people.models import Person
from husly.policy.selectors import wait_estimate
from husly.portal import actions, selectors
from husly.portal.auth import resident_of, resident_user
from husly.portal.forms import AboutYouForm, DevLoginForm, MemberFormSet, PortalAppealForm
from husly.rules import deadlines
from husly.security import oidc

portal_login_required = login_required(login_url="portal:login")


@login_not_required
@require_http_methods(["GET", "POST"])
def portal_login(request: HttpRequest) -> HttpResponse:
    """ID-porten when configured; a development login (identity number only) in development."""
    form = DevLoginForm(request.POST or None) if settings.HUSLY_DEV_RESIDENT_LOGIN else None
    if form is not None and request.method == "POST" and form.is_valid():
        user = resident_user(request=request, national_id=form.cleaned_data["national_id"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("portal:home")
    return render(
        request,
        "portal/login.html",
        {
            "form": form,
            "idporten": oidc.is_enabled("resident"),
        },
    )


@portal_login_required
def home(request: HttpRequest) -> HttpResponse:
    user = resident_of(request)
    return render(
        request,
        "portal/home.html",
        {
            "cases": selectors.my_cases(user),
            "persons": selectors.my_persons(user).select_related("municipality"),
        },
    )


def _count(data: Any, key: str) -> int:
    try:
        return max(int(data.get(key, "1")), 0)
    except ValueError:
        return 1


def _unchecked(form: Any) -> Any:
    """Show a bound form (or formset) with what was typed but without validating it: an
    intermediate step such as adding a row is not an attempt to send."""
    if hasattr(form, "forms"):
        form._errors, form._non_form_errors = [], form.error_class()
        for member in form.forms:
            _unchecked(member)
    else:
        form._errors = ErrorDict()
    return form


@portal_login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    user = resident_of(request)
    me = selectors.my_persons(user).first()
    about = AboutYouForm(
        request.POST or None,
        prefix="om",
        instance=me or Person(national_id=user.resident.national_id),
    )
    application = ApplicationForm(request.POST or None, prefix="soknad")
    submission = SubmissionForm(request.POST or None)
    if request.method == "POST" and "add_member" in request.POST:
        # «Legg til et medlem»: the same page with one more empty member row, everything typed
        # kept and no error shown yet (the household has not tried to send).
        data = request.POST.copy()
        data["medlem-TOTAL_FORMS"] = str(min(_count(data, "medlem-TOTAL_FORMS") + 1, 12))
        members = MemberFormSet(data, prefix="medlem")
        return render(
            request,
            "portal/apply.html",
            {
                "about": _unchecked(about),
                "members": _unchecked(members),
                "form": _unchecked(application),
                "submission": submission,
            },
        )
    members = MemberFormSet(request.POST or None, prefix="medlem")
    if request.method == "POST" and all(f.is_valid() for f in (about, members, application)):
        applicant = {k: v for k, v in about.cleaned_data.items() if k != "municipality"}
        try:
            case = actions.portal_application_create(
                actor=user,
                municipality=about.cleaned_data["municipality"],
                applicant=applicant,
                members=[m for m in members.cleaned_data if m],
                help_kinds=application.cleaned_data["help_kinds"],
                data=application.application_data(),
                submit="submit" in request.POST,
                submission_token=submission.value(),
            )
        except ValidationError as error:
            add_action_errors(application, error)
        else:
            if case.status == CaseStatus.DRAFT:
                messages.success(
                    request, _("Your application is saved as a draft. You can complete it later.")
                )
            else:
                messages.success(
                    request,
                    _("Your application was received. Case number: %(number)s.")
                    % {"number": case.number},
                )
            return redirect("portal:case", pk=case.pk)
    return render(
        request,
        "portal/apply.html",
        {
            "about": about,
            "members": members,
            "form": application,
            "submission": submission,
        },
    )


@portal_login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Complete a draft and send it."""
    user = resident_of(request)
    case = selectors.my_case(user, pk)
    if not selectors.is_editable(case):
        raise Http404
    kinds = list(case.routings.values_list("help_kind", flat=True))
    form = ApplicationForm(
        request.POST or None, instance=case.application, initial={"help_kinds": kinds}
    )
    if request.method == "POST" and form.is_valid():
        try:
            case_actions.case_update_application(
                actor=user,
                case=case,
                help_kinds=form.cleaned_data["help_kinds"] or kinds,
                data=form.application_data(),
            )
            if "submit" in request.POST:
                case_actions.case_submit(actor=user, case=case)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("portal:case", pk=case.pk)
    return render(request, "portal/edit.html", {"form": form, "case": case})


@portal_login_required
@require_http_methods(["GET", "POST"])
def case_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a sent application nothing has been decided on yet, after a confirmation."""
    user = resident_of(request)
    case = selectors.my_case(user, pk)
    if not selectors.can_withdraw(case):
        raise Http404
    if request.method == "POST":
        try:
            actions.portal_application_withdraw(actor=user, case=case)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your application is withdrawn, and the case is closed."))
        return redirect("portal:case", pk=case.pk)
    return render(
        request,
        "portal/confirm.html",
        {
            "case": case,
            "title": _("Withdraw the application"),
            "text": _(
                "If you withdraw the application, the municipality stops working on it and "
                "closes the case. Nothing is decided. You cannot undo this yourself: to go on, "
                "contact the municipality or send a new application."
            ),
            "confirm": _("Yes, withdraw the application"),
        },
    )


@portal_login_required
@require_http_methods(["GET", "POST"])
def case_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft that was never sent, after a confirmation."""
    user = resident_of(request)
    case = selectors.my_case(user, pk)
    if not selectors.is_editable(case):
        raise Http404
    if request.method == "POST":
        try:
            case_actions.case_draft_delete(actor=user, case=case)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("portal:case", pk=case.pk)
        messages.success(request, _("The draft is deleted."))
        return redirect("portal:home")
    return render(
        request,
        "portal/confirm.html",
        {
            "case": case,
            "title": _("Delete the draft"),
            "text": _(
                "The draft has not been sent, so the municipality has not seen it. "
                "If you delete it, what you have written is gone."
            ),
            "confirm": _("Yes, delete the draft"),
        },
    )


@portal_login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = resident_of(request)
    case = selectors.my_case(user, pk)
    decisions = [
        {
            "decision": d,
            "deadline": deadlines.appeal_deadline(d.notified_on) if d.notified_on else None,
            "appeal_form": PortalAppealForm(auto_id=f"klage-{d.pk}-%s"),
        }
        for d in case.decisions.filter(status="issued")
    ]
    today = timezone.localdate()
    waiting = selectors.my_waiting_place(case, today)
    return render(
        request,
        "portal/case.html",
        {
            "case": case,
            "routings": case.routings.select_related("unit", "assigned_to"),
            "decisions": decisions,
            "replies": case.preliminary_replies.all(),
            "today": today,
            "waiting": waiting,
            "wait_estimate": _wait_estimate(waiting),
            "can_withdraw": selectors.can_withdraw(case),
        },
    )


PERIODS = {
    3: gettext_lazy("three months"),
    6: gettext_lazy("six months"),
    12: gettext_lazy("twelve months"),
}


def _wait_estimate(waiting: selectors.WaitingPlace | None) -> dict[str, Any] | None:
    """The chance of an offer within 3, 6 and 12 months in plain words (from the newest
    simulation of today's policy, husly.policy), or None when there is none for this entry."""
    if waiting is None or waiting.accepted_offer:
        return None
    estimate = wait_estimate(waiting.entry.municipality, waiting.entry.pk)
    if estimate is None:
        return None
    lines = []
    for months, n in estimate["in_ten"].items():
        period = PERIODS[months]
        if n <= 0:
            text = _("Fewer than 1 in 10 households like yours get an offer within %(period)s.")
        elif n >= 10:  # noqa: PLR2004
            text = _("Nearly all households like yours get an offer within %(period)s.")
        else:
            text = _("About %(n)d in 10 households like yours get an offer within %(period)s.")
        lines.append(text % {"n": n, "period": period})
    return {**estimate, "lines": lines}


@portal_login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The issued decision as a page, in the household's written standard: the same text as
    the letter, readable on a phone and with a screen reader."""
    user = resident_of(request)
    decision = selectors.my_decision(user, pk)
    context = decision_letter_context(decision, draft=False)
    return render(request, "portal/decision.html", context)


@portal_login_required
def preliminary_reply_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = resident_of(request)
    reply = selectors.my_preliminary_reply(user, pk)
    return render(request, "portal/preliminary_reply.html", preliminary_reply_context(reply))


@portal_login_required
def preliminary_reply_letter(request: HttpRequest, pk: int) -> HttpResponse:
    user = resident_of(request)
    reply = selectors.my_preliminary_reply(user, pk)
    response = HttpResponse(stored_letter(reply), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="forelopig-svar-{reply.case.number}.pdf"'
    return response


@portal_login_required
def decision_letter(request: HttpRequest, pk: int) -> HttpResponse:
    user = resident_of(request)
    decision = selectors.my_decision(user, pk)
    response = HttpResponse(stored_letter(decision), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="vedtak-{decision.case.number}.pdf"'
    return response


@portal_login_required
@require_http_methods(["POST"])
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    user = resident_of(request)
    decision = selectors.my_decision(user, pk)
    form = PortalAppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what you want changed, and why."))
        return redirect("portal:case", pk=decision.case_id)
    try:
        case_actions.appeal_register(
            actor=user,
            decision=decision,
            received_on=timezone.localdate(),
            grounds=form.cleaned_data["grounds"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your appeal was received. The municipality will consider the decision again."),
        )
    return redirect("portal:case", pk=decision.case_id)


WHAT_LABELS = {
    "followup_overview": gettext_lazy("Saw you in the housing team's overview"),
    "followup_tenant": gettext_lazy("Read the follow-up of your tenancy"),
    "housing_plan": gettext_lazy("Read your bo-plan"),
    "incident_form": gettext_lazy("Recorded a breach or complaint"),
    "warning_form": gettext_lazy("Wrote a warning"),
    "warning_list": gettext_lazy("Saw you in the list of warnings"),
    "warning_letter": gettext_lazy("Opened a warning letter"),
    "inspection_list": gettext_lazy("Saw you in the list of inspections"),
    "inspection_form": gettext_lazy("Recorded an inspection of your dwelling"),
    "notice_form": gettext_lazy("Recorded your notice"),
    "move_out_list": gettext_lazy("Saw you in the list of move-outs"),
    "move_out": gettext_lazy("Read about your moving out"),
    "refusal_list": gettext_lazy("Saw you in the list of refused households"),
    "refusal_follow_up": gettext_lazy("Read the follow-up after a refusal"),
    "case_detail": gettext_lazy("Read your case"),
    "loan_overview": gettext_lazy("Saw your start-loan application in the start-loan list"),
    "loan_application": gettext_lazy("Read your start-loan application"),
    "loan_meeting": gettext_lazy("Read your start-loan case in the decision team"),
    "loan_detail": gettext_lazy("Read your start loan"),
    "grant_list": gettext_lazy("Saw your grant application in the list of grants"),
    "grant_create": gettext_lazy("Opened the form for a grant application for your household"),
    "grant": gettext_lazy("Read your grant application"),
    "decision_detail": gettext_lazy("Read a decision in your case"),
    "decision_letter": gettext_lazy("Opened a decision letter"),
    "preliminary_reply_letter": gettext_lazy("Opened a preliminary reply in your case"),
    "appeal_detail": gettext_lazy("Read your appeal"),
    "document_download": gettext_lazy("Opened a document in your case"),
    "person_detail": gettext_lazy("Read your personal data"),
    "person_edit": gettext_lazy("Opened your personal data to change it"),
    "person_list": gettext_lazy("Saw you in a list of persons"),
    "person_access_log": gettext_lazy("Read the log of who has seen your data"),
    "household_detail": gettext_lazy("Read your household"),
    "household_list": gettext_lazy("Saw your household in a list"),
    "audit_search": gettext_lazy("Searched the audit log (internal control)"),
    "person_export_pdf": gettext_lazy("Exported all data about you (PDF)"),
    "person_export_json": gettext_lazy("Exported all data about you (JSON)"),
    "break_the_glass": gettext_lazy("Opened your data in an emergency"),
    "application_edit": gettext_lazy("Opened your application to change it"),
    "case_close": gettext_lazy("Opened your case to close it"),
    "case_create": gettext_lazy("Registered an application for your household"),
    "case_list": gettext_lazy("Saw your case in a list of cases"),
    "work_list": gettext_lazy("Saw your case in a work list"),
    "start_page": gettext_lazy("Saw your case in their tasks on the start page"),
    "case_new_household_search": gettext_lazy("Found your household to register an application"),
    "consent_create": gettext_lazy("Opened your case to record a consent"),
    "assessment_facts": gettext_lazy("Opened your case to record facts for the assessment"),
    "calculator_prefill": gettext_lazy("Used your case in a calculator"),
    "household_create": gettext_lazy("Registered a household with you"),
    "household_edit": gettext_lazy("Opened your household to change it"),
    "household_member_add": gettext_lazy("Opened your household to add a member"),
    "waiting_list": gettext_lazy("Saw your household on the waiting list"),
    "waiting_list_entry": gettext_lazy("Read your place on the waiting list"),
    "allocation_meeting": gettext_lazy("Saw your household in an allocation meeting"),
    "matching_run": gettext_lazy("Saw your household in a shortlist for a dwelling"),
    "offer_detail": gettext_lazy("Read an offer of a dwelling to you"),
    "lease_list": gettext_lazy("Saw your lease in a list of leases"),
    "lease_detail": gettext_lazy("Read your lease"),
    "lease_document": gettext_lazy("Opened your lease contract"),
    "lease_create": gettext_lazy("Wrote your lease"),
    "lease_renew": gettext_lazy("Opened your lease to renew it"),
    "arrears_case_list": gettext_lazy("Saw your arrears case in a list"),
    "arrears_case": gettext_lazy("Read your arrears case"),
    "arrears_letter": gettext_lazy("Opened a letter about your arrears"),
    "rent_meeting": gettext_lazy("Saw your arrears case in a rent meeting"),
    "rent_arrears": gettext_lazy("Saw your rent arrears in a list"),
    "rent_ledger": gettext_lazy("Read your rent ledger"),
    "rent_notice": gettext_lazy("Opened a notice of a change in your rent"),
    "rent_index_due": gettext_lazy("Saw your lease in a list of rents due for adjustment"),
    "rent_export": gettext_lazy("Exported your rent arrears for collection"),
    "temporary_stay": gettext_lazy("Read your stay in temporary accommodation"),
    "temporary_stay_list": gettext_lazy("Saw your household in a list of temporary stays"),
    "homeless_list": gettext_lazy("Saw your household in the list of homeless households"),
    "housing_situation": gettext_lazy("Read or recorded your housing situation"),
    "settlement_overview": gettext_lazy("Saw your settlement in the refugee service's list"),
    "settlement_request": gettext_lazy("Read IMDi's request to settle you"),
    "settlement_case": gettext_lazy("Read your settlement case"),
    "settlement_letter": gettext_lazy("Opened a settlement letter"),
    "needs_registrations": gettext_lazy("Saw you in the needs survey (boligsosial lov § 5)"),
    "landlord_list": gettext_lazy("Saw you in the list of landlords"),
    "landlord_detail": gettext_lazy("Read your details as a landlord, or an agreement about you"),
    "landlord_edit": gettext_lazy("Opened your details as a landlord to change them"),
    "enquiry_list": gettext_lazy("Saw your enquiry as a landlord in the queue"),
    "agreement_list": gettext_lazy("Saw an agreement with a landlord that concerns you in a list"),
    "agreement_detail": gettext_lazy("Read an agreement with a landlord that concerns you"),
    "agreement_create": gettext_lazy("Saw you as a possible party to an agreement with a landlord"),
    "owning_screening_list": gettext_lazy("Saw you in the list of tenants screened for owning"),
    "owning_assessment": gettext_lazy("Read the assessment of your ownership potential"),
    "owning_sale": gettext_lazy("Read the offer to buy your dwelling"),
    "owning_sale_letter": gettext_lazy("Opened the letter offering you your dwelling"),
    "owning_agreement": gettext_lazy("Read your rent-to-own agreement"),
    "portal_export_pdf": gettext_lazy("You downloaded your data from My page (PDF)"),
    "portal_export_json": gettext_lazy("You downloaded your data from My page (JSON)"),
}


@portal_login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """Who in the municipality has looked at the resident's data, and through which unit."""
    user = resident_of(request)
    page = paginate(request, selectors.my_access_events(user), per_page=50)
    rows = [
        {
            "event": event,
            "what": WHAT_LABELS.get(event.what, _("Read your data")),
            "role": Role(event.role).label
            if event.role in Role.values
            else (_("System (API)") if event.role == "api_client" else ""),
            "who": (
                _("You")
                if event.actor_id == user.pk
                else event.actor.get_full_name() or event.actor.get_username()
            ),
        }
        for event in page
    ]
    return render(request, "portal/access_log.html", {"page": page, "rows": rows})


def _my_export(request: HttpRequest, pk: int, what: str) -> tuple[dict[str, object], str]:
    """The resident's own data (art. 15), logged as a read of their person like any other."""
    user = resident_of(request)
    person = selectors.my_person(user, pk)
    record_access(actor=user, person=person, what=what, path=request.get_full_path())
    stamp = timezone.localdate().isoformat()
    return build_export(person, selectors.my_export_scope(user, person)), f"husly-{stamp}"


@portal_login_required
@require_GET
def my_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    export, name = _my_export(request, pk, "portal_export_json")
    return download(render_json(export), "application/json; charset=utf-8", f"{name}.json")


@portal_login_required
@require_GET
def my_export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    export, name = _my_export(request, pk, "portal_export_pdf")
    return download(render_pdf(export), "application/pdf", f"{name}.pdf")


@portal_login_required
def sharing(request: HttpRequest) -> HttpResponse:
    """What is shared with which units, on which basis; the resident withdraws consent here."""
    user = resident_of(request)
    return render(
        request,
        "portal/sharing.html",
        {"cases": selectors.my_sharing(user), "today": timezone.localdate()},
    )


@portal_login_required
@require_http_methods(["GET", "POST"])
def consent_give(request: HttpRequest, pk: int) -> HttpResponse:
    """The household consents digitally to share its case with other units."""
    user = resident_of(request)
    case = selectors.my_case(user, pk)
    if case.status == CaseStatus.DRAFT:
        raise Http404
    form = PortalConsentForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            consent_actions.consent_give(
                actor=user,
                case=case,
                given_by=selectors.me_in(user, case),
                given_how=GivenHow.DIGITAL,
                **form.scope(),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Thank you. The units you chose can now see your case."))
            return redirect("portal:sharing")
    return render(request, "portal/consent_form.html", {"form": form, "case": case})


@portal_login_required
@require_http_methods(["POST"])
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = resident_of(request)
    consent = selectors.my_consent(user, pk)
    try:
        consent_actions.consent_withdraw(actor=user, consent=consent)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Your consent is withdrawn. The units no longer see your case.")
        )
    return redirect("portal:sharing")
