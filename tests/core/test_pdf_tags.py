"""Every kind of PDF Husly makes is tagged PDF/UA (WCAG 2.1 for documents): a structure tree
with headings and real tables, MarkInfo, the language, and the title shown as the window title.

Letters, the appeal's case record, leases and the art. 15 export are made here the way users get
them; a source scan makes sure no other code path writes an untagged PDF.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from husly.cases import actions as cases
from husly.cases.letters import render_decision_letter
from husly.tenancy import actions as tenancy
from tests.allocation.helpers import make_dwelling
from tests.allocation.test_tenancy import _accepted, _terms
from tests.audit.test_export import anna  # noqa: F401 - a fixture
from tests.cases.test_decisions import APPROVAL, _assessed, _issued

pytestmark = pytest.mark.django_db
HUSLY = Path(__file__).resolve().parents[2] / "husly"


def _structure_kinds(node: Any, found: set[str], depth: int = 0) -> None:
    if isinstance(node, IndirectObject):
        node = node.get_object()
    if isinstance(node, ArrayObject):
        for child in node:
            _structure_kinds(child, found, depth + 1)
    elif isinstance(node, DictionaryObject) and depth < 200:
        if "/S" in node:
            found.add(str(node["/S"]))
        if "/K" in node:
            _structure_kinds(node["/K"], found, depth + 1)


def assert_tagged(pdf: bytes, *, lang: str, title: str, kinds: set[str]) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog, "no structure tree: the PDF is untagged"
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert str(catalog["/Lang"]) == lang
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata is not None
    assert title in (reader.metadata.title or "")
    assert b"pdfuaid:part" in catalog["/Metadata"].get_object().get_data()  # PDF/UA-1 claim
    found: set[str] = set()
    _structure_kinds(catalog["/StructTreeRoot"], found)
    assert kinds <= found, f"missing {kinds - found} in {sorted(found)}"


TABLE = {"/H1", "/H2", "/P", "/Table", "/TR", "/TH", "/TD"}


@time_machine.travel(dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC), tick=False)
def test_decision_letters_and_their_draft_previews_are_tagged(
    sara, geir, household, routing, housing_office
) -> None:
    decision = _issued(sara, geir, household, housing_office)
    letter = decision.letter.open("rb").read()
    assert_tagged(letter, lang="nb", title=decision.case.number, kinds=TABLE)
    assert_tagged(
        render_decision_letter(decision, "nn"), lang="nn", title=decision.case.number, kinds=TABLE
    )
    draft = cases.decision_draft(
        actor=sara,
        case=_assessed(sara, household),
        data={**APPROVAL, "follow_up_unit": housing_office},
    )
    assert_tagged(render_decision_letter(draft), lang="nb", title="", kinds={"/H1", "/P"})


def test_the_case_record_sent_with_an_appeal_is_tagged(
    sara, geir, household, routing, housing_office
) -> None:
    with time_machine.travel(dt.datetime(2024, 3, 7, 9, tzinfo=dt.UTC), tick=False):
        decision = _issued(sara, geir, household, housing_office)
    with time_machine.travel(dt.datetime(2024, 3, 20, 9, tzinfo=dt.UTC), tick=False):
        appeal = cases.appeal_register(
            actor=sara, decision=decision, received_on=dt.date(2024, 3, 20), grounds="Uenig."
        )
        cases.appeal_reconsider(actor=sara, appeal=appeal, change=False, reasoning="Ingen nye.")
        cases.appeal_forward(actor=sara, appeal=appeal)
    record = decision.case.documents.get().file.read()
    assert_tagged(record, lang="nb", title="Saksdokumenter", kinds=TABLE)


@time_machine.travel(dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC), tick=False)
def test_the_lease_is_tagged(sara, geir, eirik, raelingen, routing, housing_office) -> None:
    vacancy = make_dwelling(raelingen, eirik)
    offer = _accepted(sara, geir, raelingen, vacancy, housing_office)
    lease = tenancy.lease_create(actor=sara, offer=offer, data=_terms(dt.date(2026, 4, 1)))
    assert_tagged(
        lease.document.open("rb").read(),
        lang="nb",
        title="Leiekontrakt",
        kinds={"/H1", "/Table", "/TH", "/TD"},
    )


def test_the_art_15_export_is_tagged(arne, anna) -> None:  # noqa: F811 - the fixture
    client = Client()
    client.force_login(arne)
    response = client.get(reverse("audit:person_export_pdf", args=[anna.pk]))
    assert response.status_code == 200
    assert_tagged(response.content, lang="nb", title="", kinds={"/H1", "/H2"})


def test_every_pdf_is_written_through_the_tagged_renderer() -> None:
    """WeasyPrint is called in one place, husly/core/pdf.py, which always tags."""
    writers = [
        str(path.relative_to(HUSLY))
        for path in HUSLY.rglob("*.py")
        if "write_pdf(" in path.read_text(encoding="utf-8")
    ]
    assert writers == ["core/pdf.py"]
