"""The rent pages end to end through HTTP: upload an OCR file, preview, book, place the
unmatched payment, see the ledger and the arrears; the household sees its own ledger in Min
side; access per role."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from husly.audit.models import AccessEvent
from husly.portal.auth import resident_user
from husly.rent import actions, ocr
from husly.rent.models import Payment
from tests.rent.helpers import active_lease

DEC = dt.date(2026, 12, 1)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_import_book_place_and_read_the_ledger(raelingen, eirik, sara, lise) -> None:
    lease = active_lease(raelingen, eirik, start=dt.date(2026, 10, 1))
    for month in (dt.date(2026, 10, 1), dt.date(2026, 11, 1), DEC):
        actions.rent_roll_run(actor=eirik, municipality=raelingen, month=month)
    content = ocr.write(
        [
            (900000, lease.payment_kid, dt.date(2026, 10, 2), "1"),
            (400000, "12345678903", dt.date(2026, 11, 2), "2"),
        ]
    ).encode("iso-8859-1")
    client = _client(eirik)
    page = client.post(
        reverse("rent:payment_upload"),
        {"file": SimpleUploadedFile("ocr.txt", content, content_type="text/plain")},
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "klar til bokføring" in body or "klare til bokføring" in body
    assert not Payment.objects.exists()  # nothing booked before the user confirms
    batch = page.context["batch"]
    done = client.post(reverse("rent:payment_confirm", args=[batch.pk]))
    assert done.status_code == 302 and Payment.objects.count() == 2
    unmatched = client.get(reverse("rent:unmatched")).content.decode()
    assert "12345678903" in unmatched
    loose = Payment.objects.get(lease__isnull=True)
    client.post(reverse("rent:payment_place", args=[loose.pk]), {"kid": lease.payment_kid})
    loose.refresh_from_db()
    assert loose.lease == lease

    # Arrears: 3 × 9,000 claimed, 13,000 paid: 14,000 owed on 31 December.
    arrears = client.get(reverse("rent:arrears") + "?dato=2026-12-31")
    assert "14" in arrears.content.decode() and lease in [row[0] for row in arrears.context["rows"]]
    ledger = _client(sara).get(reverse("rent:ledger", args=[lease.pk]))
    assert ledger.status_code == 200
    assert [m.balance for m in ledger.context["ledger"].months][-1] == 14000
    assert AccessEvent.objects.filter(actor=sara, what="rent_ledger").exists()
    # A leader sees no ledger; a caseworker cannot book.
    assert _client(lise).get(reverse("rent:ledger", args=[lease.pk])).status_code == 404
    assert _client(sara).get(reverse("rent:payment_upload")).status_code == 403


def test_a_broken_file_is_refused_with_its_lines(raelingen, eirik) -> None:
    active_lease(raelingen, eirik)
    text = ocr.write([(900000, "00000059", DEC, "1")])
    cut = "\n".join(text.splitlines()[:-1]).encode("iso-8859-1")
    page = _client(eirik).post(
        reverse("rent:payment_upload"),
        {"file": SimpleUploadedFile("ocr.txt", cut, content_type="text/plain")},
    )
    assert "sluttpost" in page.content.decode()
    assert not Payment.objects.exists()


def test_the_household_sees_its_ledger_in_min_side(raelingen, eirik, household) -> None:
    lease = active_lease(raelingen, eirik, household=household)
    actions.rent_roll_run(actor=eirik, municipality=raelingen, month=DEC)
    person = household.members.get(relation="applicant").person
    me = _client(resident_user(request=None, national_id=person.national_id))
    page = me.get(reverse("rent:my_ledger", args=[lease.pk]))
    assert page.status_code == 200
    assert "Du skylder 9" in page.content.decode()
    other = active_lease(raelingen, eirik)
    assert me.get(reverse("rent:my_ledger", args=[other.pk])).status_code == 404
