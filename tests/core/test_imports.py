from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from husly.audit.models import ChangeEvent
from husly.housing.models import Building, Dwelling
from husly.imports import importers as imports
from husly.imports.models import ImportBatch
from husly.people.models import Person, ResidencePermit
from tests.factories import DwellingFactory, synthetic_number

pytestmark = pytest.mark.django_db

PERSON_HEADER = "fødselsnummer;fornavn;etternavn;oppholdsstatus;folkeregistrert siden\n"
DWELLING_HEADER = (
    "bygg;adresse;postnummer;poststed;bydel;heis;leilighetsnummer;soverom;areal;etasje;"
    "rullestoltilgjengelig;kategori;eierform;husleie;status\n"
)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _upload(client: Client, kind: str, name: str, content: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("imports:upload", args=[kind]), {"file": SimpleUploadedFile(name, content)}
    )


def test_it_previews_then_imports_persons_in_one_go(sara, raelingen) -> None:
    first, second = synthetic_number(dt.date(1970, 1, 5)), synthetic_number(dt.date(2001, 9, 9))
    with translation.override("nb"):
        citizen = str(ResidencePermit.CITIZEN.label).upper()  # labels are matched too
    csv = (
        PERSON_HEADER + f"{first};Kari;Hansen;{citizen};01.02.2010\n"
        f"{second};Ali;Ahmed;permanent;2020-05-05\n"
    ).encode()
    client = _client(sara)
    preview = _upload(client, "persons", "personer.csv", csv)
    assert preview.context["result"].ok
    assert not Person.objects.exists()  # nothing before confirmation
    batch = preview.context["batch"]
    response = client.post(reverse("imports:confirm", args=[batch.pk]))
    assert response.status_code == 302
    assert sorted(Person.objects.values_list("given_name", flat=True)) == ["Ali", "Kari"]
    assert Person.objects.get(given_name="Kari").residence_permit == "citizen"
    assert ChangeEvent.objects.filter(action="person_create").count() == 2


def test_a_bad_row_stops_the_whole_import_with_row_level_errors(sara, raelingen) -> None:
    good = synthetic_number(dt.date(1970, 1, 5))
    csv = (
        PERSON_HEADER + f"{good};Kari;Hansen;;\n"
        "12345678901;Ola;Olsen;;\n"
        f"{good};Per;Hansen;ukjent status;\n"
    ).encode()
    response = _upload(_client(sara), "persons", "personer.csv", csv)
    result = response.context["result"]
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "fødselsnummer"),
        (4, "oppholdsstatus"),
    ]
    assert "Kontrollsifrene stemmer ikke" in response.content.decode()
    assert not Person.objects.exists()
    assert not ImportBatch.objects.exists()


def test_it_finds_duplicates_within_the_file(sara, raelingen) -> None:
    number = synthetic_number(dt.date(1970, 1, 5))
    csv = (PERSON_HEADER + f"{number};Kari;Hansen;;\n{number};Kari;Hansen;;\n").encode()
    result = _upload(_client(sara), "persons", "p.csv", csv).context["result"]
    assert [(e.row, e.column) for e in result.errors] == [(3, "fødselsnummer")]


def test_it_names_missing_and_unknown_columns(sara, raelingen) -> None:
    response = _upload(_client(sara), "persons", "p.csv", b"fornavn;skonummer\nKari;42\n")
    errors = response.context["form"].errors["file"][0]
    assert "etternavn" in errors
    assert "skonummer" in errors


def test_it_refuses_other_file_types(sara, raelingen) -> None:
    response = _upload(_client(sara), "persons", "p.pdf", b"%PDF")
    assert response.context["form"].errors["file"]


def test_it_imports_dwellings_from_excel_and_creates_buildings_once(eirik, raelingen) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(DWELLING_HEADER.strip().split(";"))
    sheet.append(
        [
            "Løvenstadtunet",
            "Løvenstadvegen 1",
            "2006",
            "Løvenstad",
            "Løvenstad",
            "ja",
            "H0101",
            2,
            54.5,
            1,
            "nei",
            "ordinary",
            "owned",
            9800,
            "vacant",
        ]
    )
    sheet.append(
        [
            "Løvenstadtunet",
            "Løvenstadvegen 1",
            "2006",
            "Løvenstad",
            "Løvenstad",
            "ja",
            "H0102",
            1,
            38,
            1,
            "ja",
            "with_services",
            "owned",
            8100,
            "occupied",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = _client(eirik)
    preview = _upload(client, "dwellings", "boliger.xlsx", buffer.getvalue())
    assert preview.context["result"].ok, preview.context["result"].errors
    client.post(reverse("imports:confirm", args=[preview.context["batch"].pk]))
    assert Building.objects.count() == 1
    assert sorted(Dwelling.objects.values_list("number", "status")) == [
        ("H0101", "vacant"),
        ("H0102", "occupied"),
    ]


def test_it_refuses_a_dwelling_already_registered(eirik, raelingen) -> None:
    existing = DwellingFactory(building__municipality=raelingen, number="H0101")
    b = existing.building
    csv = (
        DWELLING_HEADER + f"{b.name};{b.address};2008;Fjerdingby;;nei;H0101;2;50;1;nei;;;9000;\n"
    ).encode()
    result = _upload(_client(eirik), "dwellings", "b.csv", csv).context["result"]
    assert [(e.row, e.column) for e in result.errors] == [(2, "leilighetsnummer")]


def test_an_import_is_applied_once_even_if_confirmed_twice(sara, raelingen) -> None:
    csv = (PERSON_HEADER + f"{synthetic_number(dt.date(1970, 1, 5))};Kari;Hansen;;\n").encode()
    client = _client(sara)
    batch = _upload(client, "persons", "p.csv", csv).context["batch"]
    client.post(reverse("imports:confirm", args=[batch.pk]))
    second = client.post(reverse("imports:confirm", args=[batch.pk]))
    assert second.status_code == 404
    assert Person.objects.count() == 1


def test_a_failure_while_applying_rolls_back_every_row(sara, raelingen) -> None:
    number = synthetic_number(dt.date(1970, 1, 5))
    rows = [
        {
            "_row": 2,
            "national_id": number,
            "given_name": "Kari",
            "family_name": "Hansen",
            "date_of_birth": "1970-01-05",
        },
        {
            "_row": 3,
            "national_id": number,
            "given_name": "Kari",
            "family_name": "Hansen",
            "date_of_birth": "1970-01-05",
        },
    ]
    with pytest.raises(Exception):  # noqa: B017 - the second row breaks uniqueness
        imports.import_apply(actor=sara, kind="persons", municipality=raelingen, rows=rows)
    assert not Person.objects.exists()


def test_another_municipality_cannot_confirm_a_batch(sara, olga, raelingen) -> None:
    csv = (PERSON_HEADER + f"{synthetic_number(dt.date(1970, 1, 5))};Kari;Hansen;;\n").encode()
    batch = _upload(_client(sara), "persons", "p.csv", csv).context["batch"]
    assert _client(olga).post(reverse("imports:confirm", args=[batch.pk])).status_code == 404


def test_the_command_line_import_writes_all_rows_or_none(raelingen, tmp_path) -> None:
    from django.core.management import CommandError, call_command

    good = synthetic_number(dt.date(1970, 1, 5))
    bad = tmp_path / "bad.csv"
    bad.write_text(PERSON_HEADER + f"{good};Kari;Hansen;;\n1;Ola;Olsen;;\n", encoding="utf-8")
    with pytest.raises(CommandError, match="ingenting er importert"):
        call_command("import_file", "persons", str(bad), municipality="3224")
    assert not Person.objects.exists()
    ok = tmp_path / "ok.csv"
    ok.write_text(PERSON_HEADER + f"{good};Kari;Hansen;;\n", encoding="utf-8")
    call_command("import_file", "persons", str(ok), municipality="3224")
    assert Person.objects.count() == 1


# --- Issue 10 item 8: hostile files are refused while streaming, before they cost much -------


def _sheet_xlsx(rows_xml: str, extra_parts: int = 0) -> bytes:
    """A minimal Excel file with one sheet and no stated size, as a hostile one is written."""
    from benchmarks.imports import _xlsx

    return _xlsx(iter([rows_xml]), extra=extra_parts)


def _rows_xml(count: int) -> str:
    header = '<row r="1"><c r="A1" t="inlineStr"><is><t>fornavn</t></is></c></row>'
    return header + "".join(
        f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(2, count + 2)
    )


def test_an_excel_file_with_too_many_rows_is_refused_while_streaming(monkeypatch) -> None:
    monkeypatch.setattr(imports, "MAX_ROWS", 100)
    content = _sheet_xlsx(_rows_xml(20_000))
    loaded: list[bool] = []
    import openpyxl

    real = openpyxl.load_workbook
    monkeypatch.setattr(
        openpyxl, "load_workbook", lambda *a, **k: loaded.append(True) or real(*a, **k)
    )
    with (
        translation.override("nb"),
        pytest.raises(imports.ImportFileError, match="mer enn 100 rader"),
    ):
        imports.read_table("rader.xlsx", content)
    assert not loaded  # refused by counting, before the Excel reader parsed the sheet


def test_a_csv_file_with_too_many_rows_is_refused_while_streaming(monkeypatch) -> None:
    monkeypatch.setattr(imports, "MAX_ROWS", 100)
    with (
        translation.override("nb"),
        pytest.raises(imports.ImportFileError, match="mer enn 100 rader"),
    ):
        imports.read_table("rader.csv", b"fornavn;etternavn\n" + b"a;b\n" * 100_000)


def test_an_excel_file_that_unpacks_to_too_much_is_refused_before_parsing(monkeypatch) -> None:
    monkeypatch.setattr(imports, "MAX_UNPACKED_BYTES", 2**20)
    cell = '<c r="A2" t="inlineStr"><is><t>' + "x" * 1000 + "</t></is></c>"
    content = _sheet_xlsx('<row r="2">' + cell * 3000 + "</row>")
    assert len(content) < 100_000  # small when packed
    with translation.override("nb"), pytest.raises(imports.ImportFileError, match="pakkes ut til"):
        imports.read_table("bombe.xlsx", content)


def test_an_excel_file_with_too_many_parts_is_refused(monkeypatch) -> None:
    content = _sheet_xlsx(_rows_xml(2), extra_parts=imports.MAX_ARCHIVE_ENTRIES + 1)
    with translation.override("nb"), pytest.raises(imports.ImportFileError, match="deler"):
        imports.read_table("deler.xlsx", content)


def test_an_excel_file_with_too_many_shared_texts_is_refused(monkeypatch) -> None:
    import zipfile

    monkeypatch.setattr(imports, "MAX_SHARED_STRINGS", 10)
    buffer = io.BytesIO(_sheet_xlsx(_rows_xml(2)))
    texts = "".join(f"<si><t>tekst {n}</t></si>" for n in range(20))
    with zipfile.ZipFile(buffer, "a") as archive:  # under any name the workbook links to
        archive.writestr("xl/tekster.xml", f"<sst>{texts}</sst>")
    with translation.override("nb"), pytest.raises(imports.ImportFileError, match="tekster"):
        imports.read_table("tekster.xlsx", buffer.getvalue())


def test_too_wide_rows_and_too_long_cells_are_refused() -> None:
    wide = ";".join(["fornavn", "etternavn"] + ["x"] * imports.MAX_COLUMNS).encode()
    with translation.override("nb"), pytest.raises(imports.ImportFileError, match="kolonner"):
        imports.read_table("brei.csv", wide + b"\n")
    long_cell = b"fornavn;etternavn\n" + b"K" * (imports.MAX_CELL_CHARS + 1) + b";Hansen\n"
    with translation.override("nb"), pytest.raises(imports.ImportFileError, match="tegn"):
        imports.read_table("lang.csv", long_cell)
    giant = b"fornavn;etternavn\n" + b"K" * 500_000 + b";Hansen\n"
    with translation.override("nb"), pytest.raises(imports.ImportFileError, match="CSV-fila"):
        imports.read_table("enorm.csv", giant)


def test_a_hostile_upload_gets_a_norwegian_message_and_nothing_is_written(
    sara, raelingen, monkeypatch
) -> None:
    monkeypatch.setattr(imports, "MAX_ROWS", 5)
    number = synthetic_number(dt.date(1970, 1, 5))
    csv = (PERSON_HEADER + f"{number};Kari;Hansen;;\n" * 10).encode()
    response = _upload(_client(sara), "persons", "personer.csv", csv)
    assert response.status_code == 200
    assert "mer enn 5 rader" in response.context["form"].errors["file"][0]
    bomb = _sheet_xlsx('<row r="2">' + "<c r='A2'><v>1</v></c>" * 10 + "</row>", extra_parts=500)
    response = _upload(_client(sara), "persons", "personer.xlsx", bomb)
    assert "Excel-fila" in response.context["form"].errors["file"][0]
    assert not ImportBatch.objects.exists()
    assert not Person.objects.exists()


def test_a_person_file_at_the_row_limit_still_reads(monkeypatch) -> None:
    monkeypatch.setattr(imports, "MAX_ROWS", 200)
    workbook = Workbook()
    workbook.active.append(["fornavn", "etternavn"])
    for n in range(200):
        workbook.active.append([f"Kari{n}", "Hansen"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = imports.read_table("personer.xlsx", buffer.getvalue())
    assert len(table) == 201 and table[-1] == ["Kari199", "Hansen"]
