"""The procedure for one tenant, from the first missed rent to the petition, with the rent meeting
in between and a repayment plan that is broken; and a tenant whose plan is kept and whose case
closes. Both check the letters' text (the legal content of each letter)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from husly.arrears import actions, selectors
from husly.arrears.engine import Stage
from husly.arrears.letters import letter_text
from husly.arrears.models import (
    AgreementStatus,
    ArrearsCase,
    ArrearsFact,
    CaseStatus,
    StepStatus,
)
from husly.arrears.procedure import LETTER_KINDS
from husly.audit.models import AccessEvent
from tests.arrears.helpers import FakeLedger, make_lease, make_units

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def setup(raelingen, eirik, sara, household, routing):  # type: ignore[no-untyped-def]
    make_units(raelingen)
    lease = make_lease(raelingen, eirik, household)
    return raelingen, eirik, sara, household, lease, FakeLedger()


def take(case: ArrearsCase, actor, on: dt.date, **kw):  # type: ignore[no-untyped-def]
    found = selectors.assessment(case, on)
    assert found is not None and found.next is not None, found
    step = actions.arrears_step_prepare(
        actor=actor, case=case, step_id=found.next.step.id, taken_on=on, **kw
    )
    assert step.status == StepStatus.PREPARED and not step.document  # nothing sent yet
    text = letter_text(step) if step.kind in LETTER_KINDS else ""
    step = actions.arrears_step_confirm(actor=actor, step=step)
    return found.next, step, text


def test_walk_to_the_petition_with_meeting_and_broken_plan(setup) -> None:  # type: ignore[no-untyped-def]
    raelingen, eirik, sara, _household, lease, ledger = setup
    ledger.set(D(2026, 1, 5), lease, 9000, 1, D(2026, 1, 5))
    assert (
        actions.arrears_scan(
            actor=eirik, municipality=raelingen, as_of=D(2026, 1, 10), source=ledger
        )["opened"]
        == 1
    )
    # Rerunning opens nothing new.
    assert (
        actions.arrears_scan(
            actor=None, municipality=raelingen, as_of=D(2026, 1, 10), source=ledger
        )["opened"]
        == 0
    )
    case = ArrearsCase.objects.get(lease=lease)
    assert selectors.assessment(case, D(2026, 1, 10)).next.due == D(2026, 1, 19)

    due, step, text = take(case, eirik, D(2026, 1, 19))
    assert due.step.id == "purring-1" and step.document and len(step.document_sha256) == 64
    assert "Påminnelse om ubetalt husleie" in text and "Du skylder 9 000 kr" in text
    assert "nedbetalingsplan" in text and "NAV" in text

    due, step, _text = take(case, eirik, D(2026, 2, 2))
    assert due.step.id == "purring-2"
    due, step, text = take(case, eirik, D(2026, 2, 16))
    assert due.step.id == "inkassovarsel" and step.deadline == D(2026, 3, 2)
    assert "Inkassovarsel" in text and "Betal innen 02.03.2026" in text
    assert "inkassokostnader" in text and "inkassoloven § 9" in text

    # The measures meeting must wait: notices have gone out for one month's rent only.
    with pytest.raises(ValidationError):
        actions.arrears_step_prepare(
            actor=eirik, case=case, step_id="tiltaksmote", taken_on=D(2026, 3, 3)
        )

    # The rent meeting: the new case is on the agenda; the minutes name who talks to the tenant.
    meeting = actions.rent_meeting_create(
        actor=sara, municipality=raelingen, held_on=D(2026, 2, 20)
    )
    item = meeting.items.get()
    assert item.case == case and item.reasons == ["new"]
    with pytest.raises(ValidationError):
        actions.rent_meeting_close(actor=sara, meeting=meeting)
    actions.rent_meeting_item_record(
        actor=sara, item=item, responsible=sara, agreed="Sara ringer leietaker om nedbetalingsplan."
    )
    actions.rent_meeting_close(actor=sara, meeting=meeting)
    case.refresh_from_db()
    assert case.responsible == sara

    # A repayment plan: the procedure stands still.
    agreement = actions.repayment_agreement_create(
        actor=sara,
        case=case,
        agreed_on=D(2026, 2, 25),
        instalments=[(D(2026, 3, 15), 5000), (D(2026, 4, 15), 4000)],
    )
    assert selectors.assessment(case, D(2026, 3, 1)).stage == Stage.REPAYMENT_PLAN

    # The first instalment is not paid and February's rent is unpaid too: broken on 22 March.
    ledger.set(D(2026, 2, 5), lease, 18000, 2, D(2026, 1, 5))
    result = actions.arrears_scan(
        actor=None, municipality=raelingen, as_of=D(2026, 3, 22), source=ledger
    )
    assert result["broken"] == 1
    agreement.refresh_from_db()
    case.refresh_from_db()
    assert agreement.status == AgreementStatus.BROKEN and "Avdrag 1" in agreement.explanation
    assert case.returned_to_procedure_on == D(2026, 3, 22) and case.arrears == 18000

    # The next meeting has the broken plan and the growing arrears on its agenda.
    second = actions.rent_meeting_create(actor=sara, municipality=raelingen, held_on=D(2026, 3, 24))
    assert set(second.items.get().reasons) >= {"growing", "plan_broken"}

    # Back in the procedure: a collection notice for the second month, due from the breach
    # (22 March is a Sunday: Monday 23); its deadline (6 April, Easter Monday) moves to 7 April.
    due, step, text = take(case, eirik, D(2026, 3, 23))
    assert due.step.id == "inkassovarsel" and due.repeat and due.due == D(2026, 3, 23)
    assert step.deadline == D(2026, 4, 7) and "Du skylder 18 000 kr" in text

    due, step, _text = take(case, eirik, D(2026, 4, 8), note="Verge vurdert, ikke aktuelt.")
    assert due.step.id == "tiltaksmote" and due.due == D(2026, 4, 8)

    due, step, text = take(case, eirik, D(2026, 4, 8))
    assert due.step.id == "varsel-4-18" and step.deadline == D(2026, 4, 22)
    assert "Varsel om begjæring om fravikelse" in text
    assert "tvangsfullbyrdelsesloven § 4-18" in text and "§ 13-2 tredje ledd bokstav a" in text
    assert "Betal eller avtal en nedbetalingsplan med oss innen 22.04.2026" in text
    assert "Kopi til: NAV Rælingen, Konsulent for boligsosialt arbeid" in text
    assert "Barneverntjenesten" in text  # a child lives there

    # Not before the notice's deadline has run out.
    with pytest.raises(ValidationError, match=r"23\.04\.2026"):
        actions.arrears_step_prepare(
            actor=eirik, case=case, step_id="begjaering", taken_on=D(2026, 4, 22)
        )
    due, step, text = take(case, eirik, D(2026, 4, 23))
    assert due.step.id == "begjaering"
    assert "Begjæring om fravikelse" in text and "Namsmannen" in text
    assert "Varsel etter tvangsfullbyrdelsesloven § 4-18 ble sendt 08.04.2026" in text
    assert "Kopi til: NAV Rælingen" in text

    found = selectors.assessment(case, D(2026, 4, 24))
    assert found.next.step.id == "fravikelsesdato" and found.next.step.decision == "person"
    kinds = list(ArrearsFact.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds.count("collection_notice") == 2 and "eviction_notice" in kinds
    assert "petition" in kinds and "agreement_broken" in kinds and "case_opened" in kinds

    # Eviction date, then the eviction (with children) closes the case.
    take(
        case,
        eirik,
        D(2026, 5, 4),
        scheduled_for=D(2026, 6, 2),
        attendees=["EIE", "Konsulent for boligsosialt arbeid", "Namsmannen"],
    )
    take(case, eirik, D(2026, 6, 2))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.close_reason == "evicted"
    assert ArrearsFact.objects.get(case=case, kind="eviction").with_children is True


def test_plan_kept_and_the_case_closes(setup) -> None:  # type: ignore[no-untyped-def]
    raelingen, eirik, sara, _household, lease, ledger = setup
    ledger.set(D(2026, 1, 5), lease, 9000, 1, D(2026, 1, 5))
    actions.arrears_scan(actor=None, municipality=raelingen, as_of=D(2026, 1, 10), source=ledger)
    case = ArrearsCase.objects.get(lease=lease)
    _due, _step, text = take(case, eirik, D(2026, 1, 19))
    assert "Påminnelse om ubetalt husleie" in text
    meeting = actions.rent_meeting_create(
        actor=eirik, municipality=raelingen, held_on=D(2026, 1, 21)
    )
    actions.rent_meeting_item_record(
        actor=eirik, item=meeting.items.get(), responsible=sara, agreed="Nedbetalingsplan avtales."
    )
    agreement = actions.repayment_agreement_create(
        actor=sara,
        case=case,
        agreed_on=D(2026, 1, 22),
        instalments=[(D(2026, 2, 10), 4500), (D(2026, 3, 10), 4500)],
    )
    ledger.set(D(2026, 2, 12), lease, 4500, 1, D(2026, 1, 5))
    assert (
        actions.arrears_scan(
            actor=None, municipality=raelingen, as_of=D(2026, 2, 17), source=ledger
        )["broken"]
        == 0
    )
    assert selectors.assessment(case, D(2026, 2, 17)).stage == Stage.REPAYMENT_PLAN
    ledger.set(D(2026, 3, 9), lease, 0, 0, None)
    result = actions.arrears_scan(
        actor=None, municipality=raelingen, as_of=D(2026, 3, 17), source=ledger
    )
    assert result["completed"] == 1
    agreement.refresh_from_db()
    case.refresh_from_db()
    assert agreement.status == AgreementStatus.COMPLETED
    assert case.status == CaseStatus.CLOSED and case.close_reason == "agreement_completed"
    assert ArrearsFact.objects.filter(case=case, kind="case_closed").count() == 1


def test_roles_and_pages(setup, lise, client: Client) -> None:  # type: ignore[no-untyped-def]
    raelingen, eirik, sara, _household, lease, ledger = setup
    ledger.set(D(2026, 1, 5), lease, 9000, 1, D(2026, 1, 5))
    actions.arrears_scan(actor=None, municipality=raelingen, as_of=D(2026, 1, 10), source=ledger)
    case = ArrearsCase.objects.get(lease=lease)
    # Only the property unit (with collections) sends reminders; a leader may not scan.
    with pytest.raises(PermissionDenied):
        actions.arrears_step_prepare(
            actor=sara, case=case, step_id="purring-1", taken_on=D(2026, 1, 19)
        )
    with pytest.raises(PermissionDenied):
        actions.arrears_scan(
            actor=lise, municipality=raelingen, as_of=D(2026, 1, 10), source=ledger
        )
    client.force_login(eirik)
    page = client.get(f"/restanser/{case.pk}/")
    assert page.status_code == 200 and "Første purring" in page.content.decode()
    client.force_login(lise)
    assert client.get(f"/restanser/{case.pk}/").status_code == 404
    # The case page wrote one access event per member of the household, for the property unit.
    events = AccessEvent.objects.filter(actor=eirik, what="arrears_case")
    assert events.count() == case.household.members.count()


def test_demo_has_tenants_at_every_stage(raelingen, eirik, sara, routing) -> None:  # type: ignore[no-untyped-def]
    from husly.arrears.demo import STAGES, seed_arrears
    from husly.organisation.models import Membership, Unit
    from tests.factories import HouseholdFactory

    nav = Unit.objects.get(municipality=raelingen, kind="nav")
    nina = Membership.objects.create(
        user=type(sara).objects.create_user(username="nina"), unit=nav, role="caseworker"
    ).user
    del nina
    for _ in STAGES:
        make_lease(raelingen, eirik, HouseholdFactory(municipality=raelingen))
    HouseholdFactory(municipality=raelingen)
    today = D(2026, 11, 30)
    seed_arrears(raelingen, today)
    stages = {}
    for case in ArrearsCase.objects.filter(origin="municipal_lease"):
        found = selectors.assessment(case, today)
        last = found.last.step_id if found and found.last else None
        stages[last] = (case.status, found.stage if found else None)
    assert stages["purring-1"][0] == "open"
    assert stages["inkassovarsel"][1] == Stage.REPAYMENT_PLAN
    assert "varsel-4-18" in stages and "begjaering" in stages
    assert stages["fravikelse"] == ("closed", Stage.EVICTED)
    assert ArrearsCase.objects.filter(origin="external_petition").count() == 1


def test_min_side_shows_the_case_agreement_and_letters(setup, client: Client) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from husly.portal.auth import resident_user
    from tests.factories import synthetic_number

    raelingen, eirik, sara, household, lease, ledger = setup
    applicant = household.members.get(relation="applicant").person
    applicant.national_id = synthetic_number(dt.date(1980, 3, 3))
    applicant.save()
    ledger.set(D(2026, 1, 5), lease, 9000, 1, D(2026, 1, 5))
    actions.arrears_scan(actor=None, municipality=raelingen, as_of=D(2026, 1, 10), source=ledger)
    case = ArrearsCase.objects.get(lease=lease)
    _due, step, _text = take(case, eirik, D(2026, 1, 19))
    actions.repayment_agreement_create(
        actor=sara, case=case, agreed_on=D(2026, 1, 22), instalments=[(D(2026, 2, 10), 9000)]
    )
    client.force_login(resident_user(request=None, national_id=applicant.national_id))
    body = client.get(reverse("portal:home")).content.decode()
    assert "Du skylder 9\xa0000 kr i husleie" in body or "Du skylder 9 000 kr i husleie" in body
    assert "Første purring" in body and "10.02.2026" in body
    letter = client.get(reverse("arrears:my_letter", kwargs={"pk": step.pk}))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    stranger = resident_user(request=None, national_id=synthetic_number(dt.date(1970, 1, 1)))
    client.force_login(stranger)
    assert client.get(reverse("arrears:my_letter", kwargs={"pk": step.pk})).status_code == 404
    assert "Første purring" not in client.get(reverse("portal:home")).content.decode()
