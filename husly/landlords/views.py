"""The private-market work of the housing office and the property unit: the landlord register,
the intake queue, offered dwellings and agreements; the leaders' figures. Thin views: parse,
fetch through the selectors (404 outside access), call one action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from husly.allocation.models import EntryStatus, WaitingListEntry
from husly.allocation.selectors import can_allocate
from husly.cases.models import Case, HelpKind
from husly.core.pages import act, add_action_errors, user_of
from husly.landlords import actions, forms, selectors
from husly.landlords.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Landlord,
    OfferState,
)
from husly.organisation.access import first_municipality, municipalities_for_user
from husly.organisation.models import Municipality, Unit, User
from husly.people.models import ADULT_RELATIONS, Person, Relation
from husly.people.selectors import log_household_reads, log_reads, visible_households


def _works(user: User) -> Municipality:
    return first_municipality(selectors.landlord_municipality_ids(user))


def _log_landlords(request: HttpRequest, user: User, landlords: list[Landlord], what: str) -> None:
    log_reads(
        user=user,
        persons=[landlord.person for landlord in landlords if landlord.person is not None],
        what=what,
        path=request.get_full_path(),
    )


# --- the register --------------------------------------------------------------------------------


def landlord_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _works(user)
    search = request.GET.get("q", "").strip()
    landlords = selectors.landlords_for_user(user)
    if search:
        landlords = landlords.filter(Q(name__icontains=search) | Q(org_number=search))
    shown = list(landlords[:200])
    _log_landlords(request, user, shown, "landlord_list")
    open_enquiries = selectors.enquiries_for_user(user).filter(answered_at__isnull=True).count()
    return render(
        request,
        "landlords/landlord_list.html",
        {"landlords": shown, "search": search, "open_enquiries": open_enquiries},
    )


@require_http_methods(["GET", "POST"])
def landlord_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = _works(user)
    form = forms.LandlordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            landlord = actions.landlord_register(
                actor=user,
                municipality=municipality,
                data=form.landlord_data(),
                person=form.person_data(),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The landlord was registered."))
            return redirect("landlords:landlord_detail", pk=landlord.pk)
    return render(
        request,
        "landlords/landlord_form.html",
        {"form": form, "title": _("Register a landlord")},
        status=400 if form.errors else 200,
    )


def landlord_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    landlord = selectors.landlord_get_for_user(user, pk)
    agreements = list(landlord.agreements.select_related("offered_dwelling", "household"))
    _log_landlords(request, user, [landlord], "landlord_detail")
    log_household_reads(
        user=user,
        household_ids=[a.household_id for a in agreements],
        what="landlord_detail",
        path=request.get_full_path(),
    )
    return render(
        request,
        "landlords/landlord_detail.html",
        {
            "landlord": landlord,
            "contacts": list(landlord.contacts.select_related("recorded_by")[:100]),
            "dwellings": list(landlord.dwellings.all()),
            "agreements": agreements,
            "contact_form": forms.ContactForm(),
            "dwelling_form": forms.OfferedDwellingForm(),
            "assess_form": forms.AssessForm(),
            "kinds": AgreementKind.choices,
            "offer_states": OfferState,
        },
    )


@require_http_methods(["GET", "POST"])
def landlord_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    landlord = selectors.landlord_get_for_user(user, pk)
    _log_landlords(request, user, [landlord], "landlord_edit")
    form = forms.LandlordEditForm(request.POST or None, instance=Landlord.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            actions.landlord_update(actor=user, landlord=landlord, data=form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The landlord was saved."))
            return redirect("landlords:landlord_detail", pk=landlord.pk)
    return render(
        request,
        "landlords/landlord_form.html",
        {"form": form, "title": _("Edit the landlord"), "landlord": landlord},
        status=400 if form.errors else 200,
    )


@require_POST
def landlord_contact(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    landlord = selectors.landlord_get_for_user(user, pk)
    form = forms.ContactForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: actions.landlord_contact_record(
                actor=user,
                landlord=landlord,
                channel=form.cleaned_data["channel"],
                summary=form.cleaned_data["summary"],
            ),
            _("The contact was recorded."),
        )
    else:
        messages.error(request, _("Choose the channel and write what was said."))
    return redirect("landlords:landlord_detail", pk=landlord.pk)


@require_POST
def dwelling_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    landlord = selectors.landlord_get_for_user(user, pk)
    form = forms.OfferedDwellingForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: actions.offered_dwelling_register(
                actor=user, landlord=landlord, data=form.cleaned_data
            ),
            _("The dwelling was registered."),
        )
    else:
        errors = "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())
        messages.error(
            request, _("The dwelling was not registered: %(errors)s") % {"errors": errors}
        )
    return redirect("landlords:landlord_detail", pk=landlord.pk)


@require_POST
def dwelling_assess(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    offered = selectors.offered_dwelling_get_for_user(user, pk)
    form = forms.AssessForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: actions.offered_dwelling_assess(
                actor=user,
                offered=offered,
                state=form.cleaned_data["state"],
                condition=form.cleaned_data["condition"],
            ),
            _("The assessment was recorded."),
        )
    else:
        messages.error(request, _("Choose the outcome of the assessment."))
    return redirect("landlords:landlord_detail", pk=offered.landlord_id)


# --- the intake queue ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def enquiry_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = _works(user)
    landlords = selectors.landlords_for_user(user).filter(municipality=municipality)
    form = forms.EnquiryForm(request.POST or None, landlords=landlords)
    if request.method == "POST" and form.is_valid():
        try:
            actions.enquiry_receive(actor=user, municipality=municipality, data=form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The enquiry was added to the queue."))
            return redirect("landlords:enquiry_list")
    enquiries = selectors.enquiries_for_user(user)
    open_ = list(enquiries.filter(answered_at__isnull=True))
    answered = list(enquiries.filter(answered_at__isnull=False).order_by("-answered_at")[:50])
    shown = {e.landlord_id: e.landlord for e in open_ + answered if e.landlord}
    shown.update({landlord.pk: landlord for landlord in landlords})  # the form's choices
    _log_landlords(request, user, list(shown.values()), "enquiry_list")
    return render(
        request,
        "landlords/enquiry_list.html",
        {
            "form": form,
            "open": open_,
            "answered": answered,
            "today": timezone.localdate(),
            "answer_form": forms.AnswerForm(),
            "working_days": actions.ENQUIRY_ANSWER_WORKING_DAYS,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def enquiry_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    enquiry = selectors.enquiry_get_for_user(user, pk)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: actions.enquiry_answer(
                actor=user, enquiry=enquiry, answer=form.cleaned_data["answer"]
            ),
            _("The answer was recorded."),
        )
    else:
        messages.error(request, _("Write what the landlord was told."))
    return redirect("landlords:enquiry_list")


@require_POST
def enquiry_take(request: HttpRequest, pk: int) -> HttpResponse:
    """Take an enquiry in the queue: it is assigned to the user."""
    user = user_of(request)
    enquiry = selectors.enquiry_get_for_user(user, pk)
    act(
        request,
        lambda: actions.enquiry_assign(actor=user, enquiry=enquiry, to=user),
        _("The enquiry is yours."),
    )
    return redirect("landlords:enquiry_list")


# --- agreements ---------------------------------------------------------------------------------


def _choices(user: User, landlord: Landlord, kind: str) -> dict[str, Any]:
    municipality_id = landlord.municipality_id
    offered = landlord.dwellings.filter(state__in=[OfferState.OFFERED, OfferState.APPROVED])
    if kind == AgreementKind.DEPOSIT_GUARANTEE:
        offered = landlord.dwellings.exclude(
            state__in=[OfferState.UNSUITABLE, OfferState.WITHDRAWN]
        )
    households = visible_households(user).values("pk")  # need to know: not the property unit
    return {
        "offered_dwelling": offered,
        "entry": WaitingListEntry.objects.filter(
            municipality_id=municipality_id,
            status=EntryStatus.WAITING,
            household_id__in=households,
        ).select_related("household"),
        "guarantee_case": Case.objects.filter(
            municipality_id=municipality_id,
            routings__help_kind=HelpKind.DEPOSIT_GUARANTEE,
            household_id__in=households,
        )
        .select_related("household")
        .distinct(),
        "nav_unit": Unit.objects.filter(municipality_id=municipality_id, kind="nav"),
    }


@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    user = user_of(request)
    landlord = selectors.landlord_get_for_user(user, pk)
    if kind not in AgreementKind.values:
        raise Http404
    choices = _choices(user, landlord, kind)
    form = forms.AgreementForm(
        request.POST or None,
        kind=kind,
        choices=choices,
        initial={"start_date": timezone.localdate()},
    )
    _log_landlords(request, user, [landlord], "agreement_create")
    shown = [e.household_id for e in choices["entry"]] if "entry" in form.fields else []
    shown += (
        [c.household_id for c in choices["guarantee_case"]]
        if "guarantee_case" in form.fields
        else []
    )
    log_household_reads(
        user=user, household_ids=shown, what="agreement_create", path=request.get_full_path()
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data.get("entry"):
            data["household"] = data["entry"].household
        if data.get("guarantee_case"):
            data["household"] = data["guarantee_case"].household
        try:
            agreement = actions.agreement_create(
                actor=user, landlord=landlord, kind=kind, data=data
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The agreement was registered."))
            if actions.head_lease_is_short(agreement):
                messages.warning(
                    request,
                    _(
                        "The head lease is shorter than three years. The municipality "
                        "prefers at least three years."
                    ),
                )
            return redirect("landlords:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "landlords/agreement_form.html",
        {
            "form": form,
            "landlord": landlord,
            "kind_label": AgreementKind(kind).label,
            "kind": kind,
        },
        status=400 if form.errors else 200,
    )


def agreement_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _works(user)
    kind = request.GET.get("kind", "")
    agreements = selectors.agreements_for_user(user)
    if kind in AgreementKind.values:
        agreements = agreements.filter(kind=kind)
    shown = list(agreements[:200])
    _log_landlords(request, user, [a.landlord for a in shown], "agreement_list")
    log_household_reads(
        user=user,
        household_ids=[a.household_id for a in shown],
        what="agreement_list",
        path=request.get_full_path(),
    )
    return render(
        request,
        "landlords/agreement_list.html",
        {"agreements": shown, "kinds": AgreementKind.choices, "kind": kind},
    )


def _subleases(agreement: Agreement) -> list[Any]:
    from husly.tenancy.models import Lease

    offered = agreement.offered_dwelling
    if agreement.kind != AgreementKind.HEAD_LEASE or offered is None or not offered.dwelling_id:
        return []
    return list(Lease.objects.filter(dwelling_id=offered.dwelling_id).select_related("household"))


def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = selectors.agreement_get_for_user(user, pk)
    return _render_agreement(request, user, agreement)


def _waiting_entries(user: User, municipality_id: int) -> Any:
    """Households waiting on the list that the user may see (need to know)."""
    return WaitingListEntry.objects.filter(
        municipality_id=municipality_id,
        status=EntryStatus.WAITING,
        household_id__in=visible_households(user).values("pk"),
    ).select_related("household")


def _render_agreement(request: HttpRequest, user: User, agreement: Agreement) -> HttpResponse:
    subleases = _subleases(agreement)
    referrals = list(agreement.referrals.select_related("household", "referred_by"))
    log_household_reads(
        user=user,
        household_ids=[r.household_id for r in referrals],
        what="agreement_detail",
        path=request.get_full_path(),
    )
    members = []
    if agreement.household_id:
        members = list(
            agreement.household.members.filter(relation__in=ADULT_RELATIONS).select_related(  # type: ignore[union-attr]
                "person"
            )
        )
    _log_landlords(request, user, [agreement.landlord], "agreement_detail")
    log_reads(
        user=user,
        persons=[m.person for m in members],
        what="agreement_detail",
        path=request.get_full_path(),
    )
    log_household_reads(
        user=user,
        household_ids=[lease.household_id for lease in subleases],
        what="agreement_detail",
        path=request.get_full_path(),
    )
    today = timezone.localdate()
    vacancy = None
    offered = agreement.offered_dwelling
    if agreement.kind == AgreementKind.HEAD_LEASE and offered and offered.dwelling_id:
        end = min(today + dt.timedelta(days=1), agreement.ended_on or today + dt.timedelta(days=1))
        days = selectors.vacant_days(offered.dwelling_id, agreement.start_date, end)
        vacancy = {
            "days": days,
            "cost": round(days * (agreement.rent_to_owner or 0) * 12 / 365),
        }
    persons = Person.objects.filter(pk__in=[m.person_id for m in members])
    return render(
        request,
        "landlords/agreement_detail.html",
        {
            "agreement": agreement,
            "subleases": subleases,
            "members": members,
            "vacancy": vacancy,
            "short": actions.head_lease_is_short(agreement),
            "keys": list(agreement.keys.all()),
            "key_entries": list(selectors.key_entries(agreement)),
            "faults": list(agreement.faults.all()),
            "facts": list(agreement.facts.all()),
            "end_form": forms.EndForm(initial={"ended_on": today}, auto_id="end_%s"),
            "signed_form": forms.SignedForm(initial={"signed_on": today}),
            "consent_form": forms.ConsentForm(persons=persons, initial={"given_on": today}),
            "key_form": forms.KeyForm(),
            "key_entry_form": forms.KeyEntryForm(keys=agreement.keys.all(), auto_id="entry_%s"),
            "can_allocate": can_allocate(user, agreement.municipality_id),
            "fault_form": forms.FaultForm(initial={"reported_on": today}),
            "referrals": referrals,
            "share_left": max((agreement.flats_nominated or 0) - len(referrals), 0),
            "referral_form": forms.ReferralForm(
                entries=_waiting_entries(user, agreement.municipality_id),
                initial={"referred_on": today},
                auto_id="ref_%s",
            )
            if agreement.kind == AgreementKind.NOMINATION
            else None,
            "fault_update_form": forms.FaultUpdateForm(initial={"on": today}),
            "is_live": agreement.status != AgreementStatus.ENDED,
            "AgreementKind": AgreementKind,
            "applicant_relation": Relation.APPLICANT,
        },
    )


STEPS = {"signert", "avslutt", "samtykke", "nokkel", "innpassering", "feil", "tilvisning"}


@require_POST
def agreement_step(  # noqa: PLR0912 - one branch per step
    request: HttpRequest, pk: int, step: str
) -> HttpResponse:
    user = user_of(request)
    agreement = selectors.agreement_get_for_user(user, pk)
    if step not in STEPS:
        raise Http404
    call: Callable[[], Any] | None = None
    done = ""
    if step == "signert":
        form: Any = forms.SignedForm(request.POST)
        if form.is_valid():
            call = lambda: actions.brokerage_lease_signed(  # noqa: E731
                actor=user, agreement=agreement, signed_on=form.cleaned_data["signed_on"]
            )
            done = _("The brokerage is recorded; the household has left the waiting list.")
    elif step == "avslutt":
        form = forms.EndForm(request.POST)
        if form.is_valid():
            call = lambda: actions.agreement_end(  # noqa: E731
                actor=user,
                agreement=agreement,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
            done = _("The agreement has ended.")
    elif step == "samtykke":
        members = (
            Person.objects.filter(memberships__household_id=agreement.household_id)
            if agreement.household_id
            else Person.objects.none()
        )
        form = forms.ConsentForm(request.POST, persons=members)
        if form.is_valid():
            call = lambda: actions.guarantee_consent_record(  # noqa: E731
                actor=user,
                agreement=agreement,
                given_by=form.cleaned_data["given_by"],
                given_how=form.cleaned_data["given_how"],
                given_on=form.cleaned_data["given_on"],
            )
            done = _("The consent was recorded with the guarantee.")
    elif step == "nokkel":
        form = forms.KeyForm(request.POST)
        if form.is_valid():
            call = lambda: actions.spare_key_register(  # noqa: E731
                actor=user, agreement=agreement, **form.cleaned_data
            )
            done = _("The key was registered.")
    elif step == "innpassering":
        form = forms.KeyEntryForm(request.POST, keys=agreement.keys.all())
        if form.is_valid():
            call = lambda: actions.key_entry_record(  # noqa: E731
                actor=user,
                key=form.cleaned_data["key"],
                entered_at=form.cleaned_data["entered_at"],
                reason=form.cleaned_data["reason"],
                owner_told=form.cleaned_data["owner_told"],
            )
            done = _("The entry was logged.")
    elif step == "tilvisning":
        form = forms.ReferralForm(
            request.POST, entries=_waiting_entries(user, agreement.municipality_id)
        )
        if form.is_valid():
            call = lambda: actions.nomination_referral_create(  # noqa: E731
                actor=user, agreement=agreement, **form.cleaned_data
            )
            done = _("The household was referred to the flat.")
    else:  # feil
        form = forms.FaultForm(request.POST)
        if form.is_valid():
            call = lambda: actions.fault_report(  # noqa: E731
                actor=user, agreement=agreement, **form.cleaned_data
            )
            done = _("The fault was recorded.")
    if call is None:
        errors = "; ".join(
            f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}"
            for f, e in form.errors.items()
        )
        messages.error(request, errors)
    else:
        act(request, call, done)
    return redirect("landlords:agreement_detail", pk=agreement.pk)


@require_POST
def fault_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    fault = selectors.fault_get_for_user(user, pk)
    form = forms.FaultUpdateForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: actions.fault_update(
                actor=user,
                fault=fault,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
            ),
            _("The fault report was updated."),
        )
    else:
        messages.error(request, _("Choose what happened and the date."))
    return redirect("landlords:agreement_detail", pk=fault.agreement_id)


# --- the leaders' figures ------------------------------------------------------------------------


def figures(request: HttpRequest) -> HttpResponse:
    """Aggregates from the stored facts; no person is shown."""
    user = user_of(request)
    municipality = municipalities_for_user(user, selectors.FIGURES_READ).first()
    if municipality is None:
        raise Http404
    year = timezone.localdate().year
    rows = selectors.figures(municipality.pk, [year - 2, year - 1, year])
    return render(
        request,
        "landlords/figures.html",
        {
            "municipality": municipality,
            "rows": rows,
            "kinds": AgreementKind.choices,
        },
    )
