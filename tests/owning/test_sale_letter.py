"""The offer letter when a municipal dwelling is offered to its tenant: price = valuation less
the dated discount, the cooperative's pre-emption, start loan and grant, the answer date, in
the tenant's written standard; linked from the sale page, in Min side, the export and
retention (issue 14, gap 1 c)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from husly.audit.export import Scope, build_export
from husly.audit.models import AccessEvent
from husly.owning import actions
from husly.owning.hooks import household_anonymised
from husly.portal.auth import resident_user
from tests.factories import synthetic_number
from tests.owning.helpers import tenant_lease

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def _offer(actor: Any, lease: Any, **data: Any) -> Any:
    return actions.municipal_sale_offer(
        actor=actor,
        lease=lease,
        data={
            "valuation": 2_100_000,
            "valued_by": "Megler AS",
            "valued_on": TODAY,
            "offered_on": TODAY,
            **data,
        },
    )


def test_the_offer_letter_states_price_pre_emption_loan_and_deadline(sara, raelingen) -> None:  # type: ignore[no-untyped-def]
    lease = tenant_lease(raelingen, sara, "Eiesen")
    with pytest.raises(ValidationError):
        _offer(sara, lease, answer_by=TODAY)
    sale = _offer(
        sara,
        lease,
        answer_by=TODAY + dt.timedelta(days=21),
        pre_emption="pending",
        start_loan=1_900_000,
        grant=100_000,
    )
    assert len(sale.letter_sha256) == 64
    with sale.letter.open("rb") as handle:
        text = _text(handle.read())
    assert "Tilbud om å kjøpe boligen du leier" in text
    assert "Eiesen Test" in text
    assert "taksert til 2 100 000 kroner av Megler AS" in text
    assert "50 000 kroner i rabatt" in text and "Prisen til deg er 2 050 000 kroner" in text
    assert "andre kan ha forkjøpsrett" in text
    assert "startlån 1 900 000 kroner, tilskudd 100 000 kroner" in text
    deadline = (TODAY + dt.timedelta(days=21)).strftime("%d.%m.%Y")
    assert f"Svar oss innen {deadline}" in text
    assert "ikke et enkeltvedtak" in text and "Leieavtalen din gjelder som før" in text


def test_the_default_deadline_nynorsk_pages_min_side_export_and_retention(sara, raelingen) -> None:  # type: ignore[no-untyped-def]
    lease = tenant_lease(raelingen, sara, "Eiesen")
    person = lease.household.members.get(relation="applicant").person
    person.language_form = "nn"
    person.national_id = synthetic_number(dt.date(1985, 5, 5))
    person.save()
    sale = _offer(sara, lease, pre_emption="not_cooperative")
    assert sale.answer_by == TODAY + actions.ANSWER_TIME
    staff = Client()
    staff.force_login(sara)
    url = reverse("owning:sale_letter", args=[sale.pk])
    assert url in staff.get(reverse("owning:sale_detail", args=[sale.pk])).content.decode()
    text = _text(staff.get(url).content)
    assert "Tilbod om å kjøpe bustaden du leiger" in text
    assert "Ingen har forkjøpsrett" in text
    assert "Du kan søkje kommunen om startlån og tilskot" in text
    assert "Svar oss innan" in text
    assert AccessEvent.objects.filter(what="owning_sale_letter", person_id=person.pk).exists()
    resident = Client()
    resident.force_login(resident_user(request=None, national_id=person.national_id))
    mine = reverse("owning:my_sale_letter", args=[sale.pk])
    assert mine in resident.get(reverse("portal:home")).content.decode()
    assert "Tilbod om å kjøpe" in _text(resident.get(mine).content)
    other = Client()
    other.force_login(
        resident_user(request=None, national_id=synthetic_number(dt.date(1970, 1, 1)))
    )
    assert other.get(mine).status_code == 404
    export = build_export(person, Scope(user=sara, household_ids=frozenset({lease.household_id})))
    rows = next(s for s in export["sections"] if s.key == "owning").rows
    assert sale.letter_sha256 in {r["letter"] for r in rows}
    name = sale.letter.name
    assert household_anonymised(lease.household_id)["sale_letters_deleted"] == 1
    sale.refresh_from_db()
    assert not sale.letter and not sale.letter.storage.exists(name)
