from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from husly.allocation import actions as allocation
from husly.allocation.models import EntryStatus, OfferStatus, WaitingListEntry
from husly.cases import actions as cases
from husly.cases.models import DecisionKind
from husly.housing.models import DwellingStatus
from husly.tenancy import actions
from husly.tenancy.models import EndReason, Lease, LeaseStatus, RenewalReminder, TermKind
from husly.tenancy.selectors import throughput
from tests.allocation.helpers import (
    approve,
    entry_of,
    issue,
    lease_in_force,
    make_dwelling,
    make_household,
)

pytestmark = pytest.mark.django_db


def _accepted(sara, geir, raelingen, dwelling, follow_up=None, name="Berg"):  # type: ignore[no-untyped-def]
    household = make_household(raelingen, name)
    approve(sara, geir, household, follow_up)
    offer = allocation.offer_make(actor=sara, entry=entry_of(household), dwelling=dwelling)
    allocation.offer_accept(actor=sara, offer=offer)
    return offer


def _terms(start: dt.date, **extra):  # type: ignore[no-untyped-def]
    return {
        "start_date": start,
        "end_date": actions.standard_end_date(start),
        "term_kind": TermKind.STANDARD,
        "term_basis": "",
        "monthly_rent": 9800,
        "deposit_kind": "nav_guarantee",
        "deposit_amount": 29_400,
        "handover_on": start,
        "inspection_on": start + dt.timedelta(days=60),
        **extra,
    }


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@time_machine.travel(dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC), tick=False)
def test_the_lease_pdf_states_the_terms_and_the_dwelling_history_is_kept(
    sara, geir, raelingen, routing, vacancy, housing_office
) -> None:
    offer = _accepted(sara, geir, raelingen, vacancy, housing_office)
    vacancy.refresh_from_db()
    assert vacancy.status == DwellingStatus.RESERVED
    lease = actions.lease_create(actor=sara, offer=offer, data=_terms(dt.date(2026, 4, 1)))
    text = _text(lease.document.open("rb").read())
    assert "Leiekontrakt for kommunal utleiebolig" in text
    assert "01.04.2026" in text and "31.03.2029" in text
    assert "husleieloven § 9-3" in text and "§ 11-1" in text
    assert "9 800 kr" in text or "9800 kr" in text or "9 800 kr" in text
    assert "Garanti for depositum fra NAV" in text and "29" in text
    assert "Overtakelse 01.04.2026" in text and "Befaring 31.05.2026" in text
    assert "Tilknyttet fagtjeneste Tjenestekontoret" in text
    assert "30.11.2028" in text  # apply to renew four months before the end (7.5)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.LEASED
    vacancy.refresh_from_db()
    assert vacancy.status == DwellingStatus.RESERVED  # a draft lets nothing
    assert lease.status == LeaseStatus.DRAFT
    lease = lease_in_force(sara, lease)
    vacancy.refresh_from_db()
    assert vacancy.status == DwellingStatus.OCCUPIED
    assert WaitingListEntry.objects.get().status == EntryStatus.HOUSED
    statuses = list(
        vacancy.status_changes.order_by("valid_from", "pk").values_list("status", "valid_from")
    )
    assert statuses == [
        ("vacant", dt.date(2026, 1, 1)),
        ("reserved", dt.date(2026, 3, 5)),
        ("occupied", dt.date(2026, 4, 1)),
    ]
    actions.lease_end(
        actor=sara, lease=lease, ended_on=dt.date(2026, 9, 30), reason=EndReason.MOVED_OUT
    )
    vacancy.refresh_from_db()
    assert vacancy.status == DwellingStatus.VACANT
    assert vacancy.status_changes.first().valid_from == dt.date(2026, 10, 1)
    response = Client()
    response.force_login(sara)
    pdf = response.get(reverse("tenancy:lease_document", args=[lease.pk]))
    assert pdf["Content-Type"] == "application/pdf"


@time_machine.travel(dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC), tick=False)
def test_the_lease_is_written_in_nynorsk_when_the_applicant_reads_nynorsk(
    sara, geir, raelingen, routing, vacancy, housing_office
) -> None:
    offer = _accepted(sara, geir, raelingen, vacancy, housing_office)
    applicant = offer.entry.household.members.get(relation="applicant").person
    applicant.language_form = "nn"
    applicant.save(update_fields=["language_form"])
    lease = actions.lease_create(actor=sara, offer=offer, data=_terms(dt.date(2026, 4, 1)))
    text = _text(lease.document.open("rb").read())
    assert "Leigekontrakt for kommunal utleigebustad" in text
    assert "Leiekontrakt" not in text and "Leietaker" not in text
    assert "31.03.2029 utan oppseiing (tidsavgrensa, husleigelova § 9-3)" in text
    assert "Garanti for depositum frå NAV" in text
    assert "Overtaking 01.04.2026" in text and "Synfaring 31.05.2026" in text
    assert "Søk seinast 30.11.2028" in text


@time_machine.travel(dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize("language", ["nb", "nn"])
def test_a_dwelling_rented_from_a_private_owner_gets_a_sublease_not_a_municipal_lease(
    sara, geir, raelingen, routing, vacancy, housing_office, language
) -> None:
    vacancy.ownership = "head_lease"
    vacancy.save(update_fields=["ownership"])
    offer = _accepted(sara, geir, raelingen, vacancy, housing_office)
    applicant = offer.entry.household.members.get(relation="applicant").person
    applicant.language_form = language
    applicant.save(update_fields=["language_form"])
    lease = actions.lease_create(actor=sara, offer=offer, data=_terms(dt.date(2026, 4, 1)))
    text = " ".join(_text(lease.document.open("rb").read()).split())
    assert "kommunal utleiebolig" not in text and "kommunal utleigebustad" not in text
    if language == "nb":
        assert "Fremleiekontrakt for bolig kommunen leier inn" in text
        assert "husleieloven kapittel 7" in text
        assert "kan ikke vare lenger enn kommunens eget leieforhold med eieren" in text
    else:
        assert "Framleigekontrakt for bustad kommunen leiger inn" in text
        assert "husleigelova kapittel 7" in text
        assert "kan ikkje vare lenger enn leigeforholdet kommunen sjølv har med eigaren" in text


@time_machine.travel(dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC), tick=False)
def test_a_term_other_than_three_years_needs_its_basis(
    sara, geir, raelingen, routing, vacancy
) -> None:
    offer = _accepted(sara, geir, raelingen, vacancy)
    start = dt.date(2026, 4, 1)
    for extra in (
        {"term_kind": TermKind.INDEFINITE, "end_date": None},
        {"term_kind": TermKind.SHORTER, "end_date": dt.date(2027, 3, 31)},
        {"term_kind": TermKind.STANDARD, "end_date": dt.date(2028, 3, 31)},
        {"deposit_kind": "deposit", "deposit_amount": 7 * 9800},
    ):
        with pytest.raises(ValidationError):
            actions.lease_create(actor=sara, offer=offer, data=_terms(start, **extra))
    lease = actions.lease_create(
        actor=sara,
        offer=offer,
        data=_terms(
            start,
            term_kind=TermKind.INDEFINITE,
            end_date=None,
            term_basis="Varig behov: varig nedsatt funksjonsevne, vurdert 01.03.2026.",
        ),
    )
    assert lease.end_date is None
    assert "Varig behov" in _text(lease.document.open("rb").read())


@time_machine.travel(dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC), tick=False)
def test_renewal_reminders_go_out_once_and_show_on_min_side(
    sara, geir, raelingen, routing, vacancy
) -> None:
    offer = _accepted(sara, geir, raelingen, vacancy)
    lease = actions.lease_create(actor=sara, offer=offer, data=_terms(dt.date(2026, 4, 1)))
    lease = lease_in_force(sara, lease)
    out = io.StringIO()
    call_command("renewal_reminders", "--today", "2028-09-01", stdout=out)
    assert "0 renewal reminders" in out.getvalue()  # seven months before the end: too early
    call_command("renewal_reminders", "--today", "2028-10-01", stdout=out)
    call_command("renewal_reminders", "--today", "2028-10-02", stdout=out)
    reminder = RenewalReminder.objects.get()
    assert reminder.lease == lease and reminder.apply_by == dt.date(2028, 11, 30)
    assert "1 renewal reminders" in out.getvalue()
    client = Client()
    client.force_login(sara)
    with CaptureQueriesContext(connection) as queries:
        work = client.get(reverse("cases:work_list")).content.decode()
    assert reverse("tenancy:lease_detail", args=[lease.pk]) in work  # on the work list
    assert f">{lease.household.name}</a>:" in work
    assert "30.11.2028" in work and f"{lease.end_date:%d.%m.%Y}" in work
    # What the item shows is read with the leases (only those fields): none read on its own.
    one_by_one = re.compile(r'WHERE "(tenancy_lease|tenancy_renewalreminder)"\."id" = ')
    assert not [q["sql"] for q in queries if one_by_one.search(q["sql"])]


def test_a_renewal_is_a_case_decided_after_guidance_and_the_alternatives(
    sara, geir, raelingen, routing, vacancy
) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC), tick=False):
        offer = _accepted(sara, geir, raelingen, vacancy)
        lease = actions.lease_create(actor=sara, offer=offer, data=_terms(dt.date(2026, 4, 1)))
        lease = lease_in_force(sara, lease)
    with time_machine.travel(dt.datetime(2028, 10, 3, 10, tzinfo=dt.UTC), tick=False):
        renewal = actions.renewal_apply(actor=sara, lease=lease)
        case = renewal.case
        assert case.routings.get().help_kind == "rental_dwelling"
        assert case.application.lease_end_date == dt.date(2029, 3, 31)
        with pytest.raises(ValidationError, match="veiledningssamtalen"):
            actions.renewal_alternatives_record(
                actor=sara, renewal=renewal, alternative="same_dwelling", note="x"
            )
        cases.journal_note_add(
            actor=sara,
            case=case,
            data={
                "kind": "guidance",
                "held_on": dt.date(2028, 10, 3),
                "text": "Snakket om startlån og leie-til-eie; ikke aktuelt nå.",
            },
        )
        with pytest.raises(ValidationError, match="alternativ"):
            issue(sara, geir, case, kind=DecisionKind.RENEWAL)
        actions.renewal_alternatives_record(
            actor=sara,
            renewal=renewal,
            alternative="same_dwelling",
            note="Boligen passer fortsatt; inntekten er for lav for startlån.",
        )
        decision = issue(sara, geir, case, kind=DecisionKind.RENEWAL)
        renewal.refresh_from_db()
        assert renewal.decision == decision
        new = actions.lease_renew(actor=sara, lease=lease, data=_terms(dt.date(2029, 4, 1)))
        lease.refresh_from_db()
        assert lease.status == LeaseStatus.ACTIVE  # until the new lease is signed and starts
        new = lease_in_force(sara, new)
    lease.refresh_from_db()
    assert lease.status == LeaseStatus.ENDED and lease.end_reason == EndReason.RENEWED
    assert new.renews == lease and new.status == LeaseStatus.ACTIVE
    vacancy.refresh_from_db()
    assert vacancy.status == DwellingStatus.OCCUPIED  # a renewal is no move


def test_a_swap_moves_the_household_and_ends_the_old_lease(
    sara, geir, raelingen, routing, eirik
) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC), tick=False):
        old_home = make_dwelling(raelingen, eirik)
        offer = _accepted(sara, geir, raelingen, old_home)
        old = actions.lease_create(actor=sara, offer=offer, data=_terms(dt.date(2026, 4, 1)))
        old = lease_in_force(sara, old)
        household = old.household
        case = cases.case_create(
            actor=sara,
            household=household,
            channel="meeting",
            help_kinds=["rental_dwelling"],
            data={"housing_kind": "rented_municipal"},
            submit=True,
        )
        swap = issue(sara, geir, case, kind=DecisionKind.SWAP)
        entry = WaitingListEntry.objects.get(decision=swap)
        assert entry.current_lease == old
        new_home = make_dwelling(raelingen, eirik, address="Nordbyvegen 2")
        offer = allocation.offer_make(actor=sara, entry=entry, dwelling=new_home)
        allocation.offer_accept(actor=sara, offer=offer)
        new = actions.lease_create(actor=sara, offer=offer, data=_terms(dt.date(2026, 5, 1)))
        old.refresh_from_db()
        assert old.status == LeaseStatus.ACTIVE  # the household moves when the new one starts
        new = lease_in_force(sara, new)
    old.refresh_from_db()
    assert old.end_reason == EndReason.SWAP and old.ended_on == dt.date(2026, 4, 30)
    old_home.refresh_from_db()
    new_home.refresh_from_db()
    assert old_home.status == DwellingStatus.VACANT
    assert new_home.status == DwellingStatus.OCCUPIED and new.household == household


def test_a_swap_refusal_places_nobody_and_cannot_be_appealed(
    sara, geir, raelingen, routing
) -> None:
    household = make_household(raelingen, "Berg")
    case = cases.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data={"housing_kind": "rented_municipal"},
        submit=True,
    )
    refusal = issue(sara, geir, case, kind=DecisionKind.SWAP_REFUSAL)
    assert not WaitingListEntry.objects.exists()
    with pytest.raises(ValidationError):
        cases.appeal_register(
            actor=sara, decision=refusal, received_on=refusal.issued_on, grounds="Vil bytte."
        )


def test_throughput_counts_moves_waits_and_vacancy_days_without_names(
    sara, geir, lise, raelingen, routing, vacancy
) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC), tick=False):
        offer = _accepted(sara, geir, raelingen, vacancy)
        lease_in_force(
            sara, actions.lease_create(actor=sara, offer=offer, data=_terms(dt.date(2026, 3, 10)))
        )
        months = throughput(raelingen, months=3, today=dt.date(2026, 3, 31))
    march = months[-1]
    assert march.month == dt.date(2026, 3, 1)
    assert march.moves_in == 1 and march.moves_out == 0
    assert march.median_days_to_offer == 0
    assert march.vacancy_days == 4  # vacant 1 March to reserved 5 March
    assert months[0].vacancy_days == 31  # January
    client = Client()
    client.force_login(lise)
    page = client.get(reverse("tenancy:throughput")).content.decode()
    assert "Berg" not in page
    sara_page = Client()
    sara_page.force_login(sara)
    assert sara_page.get(reverse("tenancy:throughput")).status_code == 403


def test_the_database_refuses_two_active_leases_for_one_dwelling(
    sara, geir, raelingen, routing, vacancy
) -> None:
    from django.db import IntegrityError

    offer = _accepted(sara, geir, raelingen, vacancy)
    lease = actions.lease_create(
        actor=sara, offer=offer, data=_terms(timezone.localdate() + dt.timedelta(days=1))
    )
    lease.pk = None
    lease.offer = None
    with pytest.raises(IntegrityError):
        Lease.objects.bulk_create([lease])


def test_a_renewal_that_finds_another_dwelling_fits_places_the_household_as_a_move(
    sara, geir, raelingen, routing, vacancy
) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC), tick=False):
        offer = _accepted(sara, geir, raelingen, vacancy)
        lease = actions.lease_create(actor=sara, offer=offer, data=_terms(dt.date(2026, 4, 1)))
        lease = lease_in_force(sara, lease)
        renewal = actions.renewal_apply(actor=sara, lease=lease)
        cases.journal_note_add(
            actor=sara,
            case=renewal.case,
            data={"kind": "guidance", "held_on": dt.date(2026, 3, 5), "text": "Trenger større."},
        )
        actions.renewal_alternatives_record(
            actor=sara, renewal=renewal, alternative="other_dwelling", note="Familien har vokst."
        )
        decision = issue(sara, geir, renewal.case, kind=DecisionKind.RENEWAL)
    entry = WaitingListEntry.objects.get(decision=decision)
    assert entry.current_lease == lease and entry.status == EntryStatus.WAITING


@time_machine.travel(dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC), tick=False)
def test_the_dwelling_history_is_written_in_the_municipalitys_language_whatever_the_users(
    sara, geir, raelingen, routing, vacancy, housing_office
) -> None:
    from django.utils import translation

    raelingen.language_form = "nn"
    raelingen.save(update_fields=["language_form"])
    with translation.override("en"):  # e.g. a caseworker who uses the English interface
        offer = _accepted(sara, geir, raelingen, vacancy, housing_office)
        lease = actions.lease_create(actor=sara, offer=offer, data=_terms(dt.date(2026, 4, 1)))
        lease = lease_in_force(sara, lease)
        actions.lease_end(
            actor=sara, lease=lease, ended_on=dt.date(2026, 9, 30), reason=EndReason.MOVED_OUT
        )
    with translation.override("nn"):
        moved_out = str(EndReason.MOVED_OUT.label)
    reasons = vacancy.status_changes.order_by("valid_from", "pk").values_list("reason", flat=True)
    assert list(reasons)[1:] == [
        "Tilbodet er teke imot",
        "Leigeforholdet startar",
        f"Leigetakar flytta ut: {moved_out}",
    ]


@time_machine.travel(dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC), tick=False)
def test_a_lease_is_signed_by_each_party_before_it_comes_into_force(
    sara, geir, eirik, raelingen, routing, vacancy
) -> None:
    from husly.audit.models import ChangeEvent
    from tests.allocation.helpers import lease_terms

    offer = _accepted(sara, geir, raelingen, vacancy)
    lease = actions.lease_create(actor=sara, offer=offer, data=_terms(dt.date(2026, 4, 1)))
    assert lease.status == LeaseStatus.DRAFT
    with pytest.raises(ValidationError, match="leievilkår"):
        actions.lease_send(actor=sara, lease=lease)  # no house rules recorded yet
    with pytest.raises(ValidationError):
        actions.lease_sign(
            actor=sara, lease=lease, party="tenant", signed_on=dt.date(2026, 3, 5), how="paper"
        )  # a draft cannot be signed
    lease_terms(raelingen, eirik)  # the property manager records the terms
    lease = actions.lease_send(actor=sara, lease=lease)
    assert lease.status == LeaseStatus.SENT and lease.sent_on == dt.date(2026, 3, 5)
    text = _text(lease.document.open("rb").read())
    assert "Kontonummer 1234.56.78903" in text
    assert f"KID {lease.payment_kid}" in text and len(lease.payment_kid) == 8
    assert "senest den 1. i hver måned" in text
    assert "Leietaker sier opp" in text and "§ 9-5" in text and "§ 9-9" in text
    assert "Garanti for depositum fra NAV på 29 400 kr" in text
    assert "Vedlegg 1: Husordensregler" in text and "Søppel sorteres." in text
    assert "Utleier: Rælingen kommune" in text and "Leietaker: " in text
    assert (
        text.count("Underskrift:") == 1 + lease.household.members.exclude(relation="child").count()
    )
    assert "signert" not in text.lower()
    for wrong in (
        {"signed_on": dt.date(2026, 3, 6)},  # in the future
        {"signed_on": dt.date(2026, 3, 4)},  # before it was sent
        {"how": "email"},
        {"party": "neighbour"},
    ):
        with pytest.raises(ValidationError):
            actions.lease_sign(
                actor=sara,
                lease=lease,
                **{"party": "tenant", "signed_on": dt.date(2026, 3, 5), "how": "paper", **wrong},
            )
    lease = actions.lease_sign(
        actor=sara, lease=lease, party="tenant", signed_on=dt.date(2026, 3, 5), how="scanned"
    )
    assert lease.status == LeaseStatus.SENT and lease.tenant_signed_how == "scanned"
    with pytest.raises(ValidationError):
        actions.lease_sign(
            actor=sara, lease=lease, party="tenant", signed_on=dt.date(2026, 3, 5), how="paper"
        )
    lease = actions.lease_sign(
        actor=geir, lease=lease, party="landlord", signed_on=dt.date(2026, 3, 5), how="paper"
    )
    assert lease.status == LeaseStatus.SIGNED
    vacancy.refresh_from_db()
    assert vacancy.status == DwellingStatus.RESERVED
    with pytest.raises(ValidationError, match=r"01\.04\.2026"):
        actions.lease_activate(actor=sara, lease=lease, today=dt.date(2026, 3, 31))
    assert actions.leases_activate_due(today=dt.date(2026, 3, 31)) == []
    out = io.StringIO()
    call_command("lease_activations", "--today", "2026-04-01", stdout=out)
    assert "1 leases put into force" in out.getvalue()
    lease.refresh_from_db()
    vacancy.refresh_from_db()
    assert lease.status == LeaseStatus.ACTIVE and vacancy.status == DwellingStatus.OCCUPIED
    assert vacancy.status_changes.first().valid_from == dt.date(2026, 4, 1)
    assert WaitingListEntry.objects.get().status == EntryStatus.HOUSED
    recorded = list(
        ChangeEvent.objects.filter(object_id=str(lease.pk), action__startswith="lease_")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert recorded == [
        "lease_create",
        "lease_send",
        "lease_sign_tenant",
        "lease_sign_landlord",
        "lease_activate",
    ]


def test_a_three_year_lease_from_29_february_ends_on_28_february() -> None:
    assert actions.standard_end_date(dt.date(2024, 2, 29)) == dt.date(2027, 2, 28)
    assert actions.standard_end_date(dt.date(2024, 3, 1)) == dt.date(2027, 2, 28)
    assert actions.standard_end_date(dt.date(2025, 3, 1)) == dt.date(2028, 2, 29)
    assert actions.standard_end_date(dt.date(2026, 4, 1)) == dt.date(2029, 3, 31)
    assert actions.standard_end_date(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 28)


@time_machine.travel(dt.datetime(2024, 2, 1, 10, 0, tzinfo=dt.UTC), tick=False)
def test_a_lease_starting_29_february_is_written_to_28_february_three_years_on(
    sara, geir, raelingen, routing, eirik
) -> None:
    vacancy = make_dwelling(raelingen, eirik, start=dt.date(2024, 1, 1))
    offer = _accepted(sara, geir, raelingen, vacancy)
    start = dt.date(2024, 2, 29)
    assert actions.default_terms(vacancy, start)["end_date"] == dt.date(2027, 2, 28)
    with pytest.raises(ValidationError, match=r"28\.02\.2027"):
        actions.lease_create(
            actor=sara, offer=offer, data=_terms(start, end_date=dt.date(2027, 2, 27))
        )
    lease = actions.lease_create(
        actor=sara, offer=offer, data=_terms(start, end_date=dt.date(2027, 2, 28))
    )
    assert lease.end_date == dt.date(2027, 2, 28)


def test_the_lease_form_caps_the_deposit_or_guarantee_at_six_months_rent(db) -> None:
    from django.utils import translation

    from husly.tenancy.forms import LeaseForm

    data = {
        "start_date": "2026-04-01",
        "term_kind": "standard",
        "end_date": "2029-03-31",
        "monthly_rent": "9800",
        "payment_due_day": "1",
        "payment_account": "12345678903",
    }
    for kind in ("deposit", "nav_guarantee"):
        with translation.override("nb"):
            form = LeaseForm({**data, "deposit_kind": kind, "deposit_amount": str(6 * 9800 + 1)})
            assert not form.is_valid()
            assert form.errors["deposit_amount"] == [
                "Depositum eller garanti kan være høyst seks måneders husleie, 58\u00a0800 kroner "
                "(husleieloven §§ 3-5 og 3-6)."
            ]
        form = LeaseForm({**data, "deposit_kind": kind, "deposit_amount": str(6 * 9800)})
        assert form.is_valid(), form.errors
    bad_account = LeaseForm(
        {**data, "deposit_kind": "none", "deposit_amount": "0", "payment_account": "12345678901"}
    )
    assert not bad_account.is_valid() and "payment_account" in bad_account.errors
