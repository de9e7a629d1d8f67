"""The start-loan application as a form (the desk and Min side), documents received, the loan
administrator's payment file (upload, preview, booking) and the household's own start-loan page
in Min side. Views are thin: fetches through selectors (404 otherwise), changes through
actions."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from husly.audit.events import record_access
from husly.core.forms import SubmissionForm
from husly.core.pages import add_action_errors, user_of
from husly.loans import actions, selectors
from husly.loans.forms import LoanApplicationForm, PaymentFileForm
from husly.loans.models import AdviceAgainst, DocumentRequest, LoanApplication
from husly.loans.payment_file import parse_payment_file
from husly.organisation.access import get_or_404
from husly.organisation.models import Unit, User
from husly.people.models import Person, Relation
from husly.people.selectors import (
    household_get_for_user,
    household_list,
    log_household_reads,
    log_reads,
)
from husly.portal import selectors as portal_selectors
from husly.portal.auth import resident_of
from husly.portal.forms import AboutYouForm
from husly.portal.views import portal_login_required

# --- the desk ------------------------------------------------------------------------------------


def _require_loan_worker(user: User) -> None:
    if not selectors.loan_unit_ids(user):
        raise Http404


@require_http_methods(["GET"])
def application_new(request: HttpRequest) -> HttpResponse:
    """Find the household whose start-loan application the caseworker registers."""
    user = user_of(request)
    _require_loan_worker(user)
    search = request.GET.get("q", "").strip()[:100]
    households = list(household_list(user, search=search)[:20]) if search else []
    log_reads(
        user=user,
        persons=[m.person for h in households for m in getattr(h, "applicants", [])],
        what="loan_application_new_search",
        path=request.get_full_path(),
    )
    return render(
        request, "loans/application_new.html", {"households": households, "search": search}
    )


@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    """The caseworker registers a start-loan application for the household (paper, phone,
    meeting): one case per submission."""
    user = user_of(request)
    _require_loan_worker(user)
    household = household_get_for_user(user, household_pk)
    log_household_reads(
        user=user,
        household_ids=[household.pk],
        what="loan_application_create",
        path=request.get_full_path(),
    )
    form = LoanApplicationForm(request.POST or None, desk=True)
    submission = SubmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from husly.consent.models import GivenHow

        try:
            application = actions.loan_application_create(
                actor=user,
                household=household,
                channel=form.cleaned_data["channel"],
                data=form.loan_data(),
                case_data=form.case_data(),
                submission_token=submission.value(),
                consent_how=GivenHow.ORAL if form.cleaned_data["consent_to_fetch"] else "",
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("The start-loan application was registered as case %(number)s.")
                % {"number": application.case.number},
            )
            return redirect("loans:application", pk=application.pk)
    return render(
        request,
        "loans/application_form.html",
        {
            "form": form,
            "submission": submission,
            "household": household,
            "title": _("New start-loan application"),
        },
    )


@require_http_methods(["GET", "POST"])
def application_complete(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The start-loan unit fills in the loan's own facts for a case that came in through the
    general application form with a start loan ticked."""
    user = user_of(request)
    _require_loan_worker(user)
    case = get_or_404(selectors.cases_without_loan_details(user), case_pk)
    log_household_reads(
        user=user,
        household_ids=[case.household_id],
        what="loan_application_complete",
        path=request.get_full_path(),
    )
    form = LoanApplicationForm(request.POST or None, desk=True)
    del form.fields["channel"]
    if request.method == "POST" and form.is_valid():
        from husly.consent.models import GivenHow

        try:
            application = actions.loan_application_complete(
                actor=user,
                case=case,
                data=form.loan_data(),
                consent_how=GivenHow.ORAL if form.cleaned_data["consent_to_fetch"] else "",
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("The start-loan details of case %(number)s were registered.")
                % {"number": case.number},
            )
            return redirect("loans:application", pk=application.pk)
    return render(
        request,
        "loans/application_form.html",
        {
            "form": form,
            "household": case.household,
            "title": _("Start-loan details for case %(number)s") % {"number": case.number},
        },
    )


@require_POST
def document_receive(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a requested document as received today."""
    user = user_of(request)
    document = DocumentRequest.objects.filter(
        application__in=selectors.applications_for_user(user), pk=pk
    ).first()
    if document is None:
        raise Http404
    try:
        actions.loan_document_receive(
            actor=user, request=document, received_on=timezone.localdate()
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The document was marked as received."))
    return redirect("loans:application", pk=document.application_id)


# --- the payment file ----------------------------------------------------------------------------


def _rows_for_preview(rows: list[dict[str, Any]], known: set[str]) -> list[dict[str, Any]]:
    return [{**row, "matched": row["loan_number"] in known} for row in rows]


@require_http_methods(["GET", "POST"])
def payment_file(request: HttpRequest) -> HttpResponse:
    """Upload the loan administrator's payment file, see every row (and which match no loan)
    before anything is booked, then book all rows or none."""
    user = user_of(request)
    units = Unit.objects.filter(pk__in=selectors.loan_unit_ids(user)).select_related("municipality")
    if not units:
        raise Http404
    municipality = units[0].municipality
    known = set(selectors.loans_for_user(user).values_list("number", flat=True))
    form = PaymentFileForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and "content" in request.POST:
        try:
            content = base64.b64decode(request.POST["content"], validate=True)
        except (binascii.Error, ValueError):
            content = b""
        name = request.POST.get("filename", "")
        parsed = parse_payment_file(name, content)
        if parsed.errors or not parsed.rows:
            messages.error(request, _("The file could not be read again. Upload it once more."))
            return redirect("loans:payment_file")
        try:
            count = actions.loan_payments_import(
                actor=user, municipality=municipality, rows=parsed.rows
            )
        except ValidationError as error:
            context["errors"] = error.messages
            context["form"] = PaymentFileForm()
        else:
            messages.success(request, _("%(count)s payments were booked.") % {"count": count})
            return redirect("loans:overview")
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        parsed = parse_payment_file(upload.name, content)
        context["errors"] = parsed.errors
        if not parsed.errors:
            rows = _rows_for_preview(parsed.rows, known)
            context.update(
                {
                    "rows": rows,
                    "unmatched": [r for r in rows if not r["matched"]],
                    "filename": upload.name,
                    "content": base64.b64encode(content).decode("ascii"),
                }
            )
    return render(request, "loans/payment_file.html", context)


# --- Min side ------------------------------------------------------------------------------------


@portal_login_required
@require_http_methods(["GET", "POST"])
def portal_apply(request: HttpRequest) -> HttpResponse:
    """The household applies for a start loan itself: one case per submission."""
    user = resident_of(request)
    me = portal_selectors.my_persons(user).first()
    about = AboutYouForm(
        request.POST or None,
        prefix="om",
        instance=me or Person(national_id=user.resident.national_id),
    )
    form = LoanApplicationForm(request.POST or None, prefix="lan")
    submission = SubmissionForm(request.POST or None)
    if request.method == "POST" and about.is_valid() and form.is_valid():
        applicant = {k: v for k, v in about.cleaned_data.items() if k != "municipality"}
        try:
            application = actions.loan_application_apply_self(
                actor=user,
                municipality=about.cleaned_data["municipality"],
                applicant=applicant,
                data=form.loan_data(),
                case_data=form.case_data(),
                consent=form.cleaned_data["consent_to_fetch"],
                submission_token=submission.value(),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Your start-loan application was received. Case number: %(number)s.")
                % {"number": application.case.number},
            )
            return redirect("portal:loan_case", pk=application.pk)
    return render(
        request,
        "loans/portal_apply.html",
        {"about": about, "form": form, "members": None, "submission": submission},
    )


def _my_application(user: User, pk: object) -> LoanApplication:
    application = LoanApplication.objects.filter(
        case__in=portal_selectors.my_cases(user), pk=pk
    ).first()
    if application is None:
        raise Http404
    return application


@portal_login_required
@require_http_methods(["GET"])
def portal_loan(request: HttpRequest, pk: int) -> HttpResponse:
    """The household's own start loan: the application, the team's decision, the letters and
    the loan (balance, rate, term, payments). The read is logged on the resident's person."""
    user = resident_of(request)
    application = _my_application(user, pk)
    case = application.case
    me = portal_selectors.me_in(user, case)
    record_access(actor=user, person=me, what="portal_loan", path=request.get_full_path())
    approvals = [
        a for a in application.approvals.select_related("decision") if a.decision.status == "issued"
    ]
    loans = [a.loan for a in approvals if hasattr(a, "loan")]
    return render(
        request,
        "loans/portal_loan.html",
        {
            "application": application,
            "case": case,
            "decisions": case.decisions.filter(status="issued"),
            "approvals": approvals,
            "loans": [
                {"loan": loan, "rate_percent": float(loan.annual_rate) * 100} for loan in loans
            ],
            "advice": application.advice_against.all(),
            "documents": application.document_requests.all(),
            "today": timezone.localdate(),
            "applicant_ids": [
                m.person_id for m in case.household.members.filter(relation=Relation.APPLICANT)
            ],
        },
    )


@portal_login_required
@require_http_methods(["GET"])
def portal_advice_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The written advice against (frarådning) as the household received it."""
    user = resident_of(request)
    advice = AdviceAgainst.objects.filter(
        application__case__in=portal_selectors.my_cases(user), pk=pk
    ).first()
    if advice is None or not advice.letter:
        raise Http404
    me = portal_selectors.me_in(user, advice.application.case)
    record_access(
        actor=user, person=me, what="portal_loan_advice_letter", path=request.get_full_path()
    )
    with advice.letter.open("rb") as letter:
        response = HttpResponse(letter.read(), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="fraradning-{advice.application.case.number}.pdf"'
    )
    return response
