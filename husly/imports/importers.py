"""Import of persons and dwellings from CSV or Excel: parse, validate every row, then apply all
rows in one transaction or none.

A row is validated by building the same model instance the create action would save and
running the model's own validation, so an import accepts exactly what the forms accept.
Column headers are Norwegian (see docs/user-guide.md); choice values may be given as the
code or as the Norwegian label.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.parsers import expat

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from husly.housing.actions import building_create, dwelling_create
from husly.housing.models import Building, Dwelling, DwellingCategory, DwellingStatus, Ownership
from husly.organisation.access import HOUSING_WRITE, PEOPLE_WRITE, require_permission
from husly.organisation.models import LanguageForm, Municipality, User
from husly.people.actions import person_create
from husly.people.models import Person, ResidencePermit

IMPORT_ROLES = {"persons": PEOPLE_WRITE, "dwellings": HOUSING_WRITE}
"""Who may import each kind of file (the roles that register persons or dwellings)."""

MAX_ROWS = 50_000
MAX_COLUMNS = 50
MAX_CELL_CHARS = 2_000
MAX_ARCHIVE_ENTRIES = 100
MAX_UNPACKED_BYTES = 100 * 2**20
"""A full Excel file at the row limit unpacks to some 20-60 MB in about a dozen parts."""
MAX_PART_BYTES = 10 * 2**20
"""Any part other than the sheets and the shared texts (styles, themes, the workbook)."""
MAX_SHARED_STRINGS = 20 * MAX_ROWS


class ImportFileError(ValueError):
    """The file as a whole cannot be read (wrong type, no header, too many rows)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Column:
    header: str
    target: str
    kind: str = "text"  # text, int, decimal, date, bool, choice
    required: bool = False
    choices: type[models.TextChoices] | None = None


PERSON_COLUMNS = [
    Column("fødselsnummer", "national_id"),
    Column("fødselsdato", "date_of_birth", "date"),
    Column("fornavn", "given_name", required=True),
    Column("etternavn", "family_name", required=True),
    Column("telefon", "phone"),
    Column("e-post", "email"),
    Column("adresse", "address"),
    Column("postnummer", "postal_code"),
    Column("poststed", "postal_town"),
    Column("målform", "language_form", "choice", choices=LanguageForm),
    Column("oppholdsstatus", "residence_permit", "choice", choices=ResidencePermit),
    Column("oppholdstillatelse gyldig til", "residence_permit_valid_until", "date"),
    Column("folkeregistrert i kommune", "registered_municipality_number"),
    Column("folkeregistrert siden", "registered_since", "date"),
]

DWELLING_COLUMNS = [
    Column("bygg", "building_name", required=True),
    Column("adresse", "building_address", required=True),
    Column("postnummer", "building_postal_code", required=True),
    Column("poststed", "building_postal_town", required=True),
    Column("bydel", "building_district"),
    Column("heis", "building_has_lift", "bool"),
    Column("leilighetsnummer", "number", required=True),
    Column("soverom", "rooms", "int", required=True),
    Column("areal", "area_m2", "decimal", required=True),
    Column("etasje", "floor", "int"),
    Column("rullestoltilgjengelig", "wheelchair_accessible", "bool"),
    Column("kategori", "category", "choice", choices=DwellingCategory),
    Column("eierform", "ownership", "choice", choices=Ownership),
    Column("husleie", "monthly_rent", "int", required=True),
    Column("status", "status", "choice", choices=DwellingStatus),
]

COLUMNS = {"persons": PERSON_COLUMNS, "dwellings": DWELLING_COLUMNS}
_TRUE = {"ja", "j", "yes", "true", "1", "x"}
_FALSE = {"nei", "n", "no", "false", "0", ""}


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """Rows of cells as text from a .csv (UTF-8, ; or , separated) or .xlsx file.

    The file is read as a stream and refused as soon as it passes a limit (rows, columns,
    characters in a cell), so a small file that unpacks to millions of rows costs no more than
    one at the limit. An Excel file is an archive: its table of contents is checked first, and
    an archive that would unpack to more than ``MAX_UNPACKED_BYTES`` or holds more than
    ``MAX_ARCHIVE_ENTRIES`` files is refused before anything in it is parsed.
    """
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _limited(_read_xlsx(content))
    if name.endswith(".csv"):
        return _limited(_read_csv(content))
    raise ImportFileError(_("Use a CSV file (.csv) or an Excel file (.xlsx)."))


def _limited(rows: Iterator[list[str]]) -> list[list[str]]:
    """Take rows from the stream until a limit is passed; then stop reading and refuse."""
    table: list[list[str]] = []
    for number, cells in enumerate(rows, start=1):
        if number > MAX_ROWS + 1:  # the header and MAX_ROWS rows below it
            raise ImportFileError(
                _("The file has more than %(max)s rows. Split it into smaller files.")
                % {"max": MAX_ROWS}
            )
        if len(cells) > MAX_COLUMNS and any(cells[MAX_COLUMNS:]):
            raise ImportFileError(
                _("Row %(row)s has more than %(max)s columns.")
                % {"row": number, "max": MAX_COLUMNS}
            )
        kept = cells[:MAX_COLUMNS]
        if any(len(cell) > MAX_CELL_CHARS for cell in kept):
            raise ImportFileError(
                _("Row %(row)s has a cell with more than %(max)s characters.")
                % {"row": number, "max": MAX_CELL_CHARS}
            )
        table.append(kept)
    return table


def _read_csv(content: bytes) -> Iterator[list[str]]:
    first_line = content.split(b"\n", 1)[0]
    delimiter = ";" if first_line.count(b";") >= first_line.count(b",") else ","
    text = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
    try:
        yield from csv.reader(text, delimiter=delimiter)
    except UnicodeDecodeError:
        raise ImportFileError(_("The CSV file must be saved as UTF-8.")) from None
    except csv.Error:
        raise ImportFileError(
            _("The CSV file could not be read: a cell is too long or a quote is not closed.")
        ) from None


class _Stop(Exception):  # noqa: N818 - a signal to stop the scan, not an error
    pass


def _over_limit(archive: zipfile.ZipFile, name: str, limits: dict[str, int]) -> str | None:
    """The first element name in ``limits`` that the part holds more of than its limit, read
    as a stream and stopped there; None when every count is within its limit."""
    counts = dict.fromkeys(limits, 0)
    over: list[str] = []

    def start(element: str, _attributes: object) -> None:
        tag = element.rpartition(":")[2]
        if tag in counts:
            counts[tag] += 1
            if counts[tag] > limits[tag]:
                over.append(tag)
                raise _Stop

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    try:
        with archive.open(name) as part:
            parser.ParseFile(part)
    except _Stop:
        return over[0]
    except expat.ExpatError:
        raise ImportFileError(_("The Excel file could not be read.")) from None
    return None


def _check_archive_end(content: bytes) -> None:
    """Refuse an archive that says it holds too many parts, from its end record alone (22 bytes
    plus a comment at the end of the file), before the table of contents is read."""
    end = content.rfind(b"PK\x05\x06", max(0, len(content) - 22 - 0xFFFF))
    if end < 0 or len(content) < end + 22:
        raise ImportFileError(_("The Excel file could not be read."))
    (entries,) = struct.unpack_from("<H", content, end + 10)
    if entries > MAX_ARCHIVE_ENTRIES:  # 0xFFFF (more, in a ZIP64 record) is refused too
        raise ImportFileError(
            _("The Excel file holds %(count)s parts, more than an import can hold.")
            % {"count": entries}
        )


def _check_archive(content: bytes) -> None:
    """Refuse an Excel file whose archive is broken or would unpack to something absurd, from
    its table of contents (whose sizes also bound what unpacking yields), then count the rows of
    every sheet and the shared texts while streaming, stopping at the limit: the Excel reader
    reads a sheet without a stated size, and the shared texts, in full when it opens the file."""
    _check_archive_end(content)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(_("The Excel file could not be read.")) from None
    with archive:
        entries = archive.infolist()
        unpacked = sum(entry.file_size for entry in entries)
        too_big_part = any(
            entry.file_size > MAX_PART_BYTES
            and not entry.filename.startswith("xl/worksheets/")
            and entry.filename != "xl/sharedStrings.xml"
            for entry in entries
        )
        if len(entries) > MAX_ARCHIVE_ENTRIES or unpacked > MAX_UNPACKED_BYTES or too_big_part:
            raise ImportFileError(
                _(
                    "The Excel file unpacks to %(size)s MB in %(count)s parts, more than an "
                    "import can hold (at most %(max)s MB). Check the file, or split it into "
                    "smaller files."
                )
                % {
                    "size": unpacked // 2**20,
                    "count": len(entries),
                    "max": MAX_UNPACKED_BYTES // 2**20,
                }
            )
        # Every XML part, wherever the workbook's links put its sheets and shared texts.
        limits = {"row": MAX_ROWS + 1, "si": MAX_SHARED_STRINGS}
        for entry in entries:
            if not entry.filename.endswith(".xml"):
                continue
            over = _over_limit(archive, entry.filename, limits)
            if over == "row":
                raise ImportFileError(
                    _("The file has more than %(max)s rows. Split it into smaller files.")
                    % {"max": MAX_ROWS}
                )
            if over == "si":
                raise ImportFileError(
                    _("The Excel file holds more than %(max)s different texts.")
                    % {"max": MAX_SHARED_STRINGS}
                )


def _read_xlsx(content: bytes) -> Iterator[list[str]]:
    _check_archive(content)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise ImportFileError(_("The Excel file could not be read.")) from None
    try:
        sheet = workbook.worksheets[0]
        # Read one column past the limit, so a wider row is refused rather than cut.
        for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
            cells = [_cell_text(value) for value in values]
            while cells and not cells[-1]:  # the reader pads every row to the widest
                cells.pop()
            yield cells
    except Exception:
        raise ImportFileError(_("The Excel file could not be read.")) from None
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    lookup = {value.lower(): value for value in choices.values}
    for language in ("nb", "nn", "en"):
        with translation.override(language):
            lookup.update({str(label).lower(): value for value, label in choices.choices})
    return lookup


def _parse_cell(column: Column, raw: str) -> Any:  # noqa: PLR0911, PLR0912 - one branch per kind
    value = raw.strip()
    if value == "":
        if column.required:
            raise ValueError(_("A value is required."))
        return None
    if column.kind == "int":
        try:
            return int(value.replace(" ", ""))
        except ValueError:
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value}) from None
    if column.kind == "decimal":
        try:
            return Decimal(value.replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from None
    if column.kind == "date":
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a date only
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date; use dd.mm.åååå.") % {"value": value})
    if column.kind == "bool":
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ValueError(_("Write “ja” or “nei”."))
    if column.kind == "choice" and column.choices is not None:
        lookup = _choice_lookup(column.choices)
        if value.lower() not in lookup:
            allowed = ", ".join(str(label).lower() for label in column.choices.labels)
            raise ValueError(
                _("“%(value)s” is not allowed here. Use one of: %(allowed)s.")
                % {"value": value, "allowed": allowed}
            )
        return lookup[value.lower()]
    return value


def parse_rows(kind: str, table: list[list[str]]) -> ImportResult:
    """Turn the table into typed rows keyed by target field, with per-cell errors."""
    columns = COLUMNS[kind]
    if not table:
        raise ImportFileError(_("The file is empty."))
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows. Split it into smaller files.")
            % {"max": MAX_ROWS}
        )
    header = [cell.strip().lower() for cell in table[0]]
    by_header = {column.header: column for column in columns}
    unknown = [h for h in header if h and h not in by_header]
    missing = [c.header for c in columns if c.required and c.header not in header]
    if unknown or missing:
        parts = []
        if missing:
            parts.append(_("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)})
        if unknown:
            parts.append(_("Unknown columns: %(cols)s.") % {"cols": ", ".join(unknown)})
        parts.append(
            _("Expected columns: %(cols)s.") % {"cols": ", ".join(c.header for c in columns)}
        )
        raise ImportFileError(" ".join(parts))
    result = ImportResult()
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row: dict[str, Any] = {"_row": number}
        for index, head in enumerate(header):
            if not head:
                continue
            column = by_header[head]
            raw = cells[index] if index < len(cells) else ""
            try:
                row[column.target] = _parse_cell(column, raw)
            except ValueError as exc:
                result.errors.append(RowError(number, column.header, str(exc)))
        result.rows.append(row)
    if not result.rows and not result.errors:
        raise ImportFileError(_("The file has no rows below the header."))
    return result


def _without_none(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    return {
        key[len(prefix) :]: value
        for key, value in row.items()
        if value is not None and key.startswith(prefix) and not key.startswith("_")
    }


def _person_instance(municipality: Municipality, row: dict[str, Any]) -> Person:
    return Person(municipality=municipality, **_without_none(row))


def _header_of(kind: str, field_name: str) -> str:
    for column in COLUMNS[kind]:
        if column.target in {field_name, f"building_{field_name}"}:
            return column.header
    return field_name


def _collect(
    kind: str, number: int, error: ValidationError, prefix_fields: Iterable[str] = ()
) -> list[RowError]:
    found: list[RowError] = []
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            header = _header_of(kind, name) if name != "__all__" else ""
            found.extend(
                RowError(number, header, message) for e in errors for message in e.messages
            )
    else:
        found.extend(RowError(number, "", message) for message in error.messages)
    return found


def validate(kind: str, municipality: Municipality, result: ImportResult) -> ImportResult:
    """Model validation of every row, plus duplicates within the file and against the register."""
    validators: dict[str, Callable[[Municipality, ImportResult], None]] = {
        "persons": _validate_persons,
        "dwellings": _validate_dwellings,
    }
    validators[kind](municipality, result)
    result.errors.sort(key=lambda e: e.row)
    return result


def _validate_persons(municipality: Municipality, result: ImportResult) -> None:
    seen: dict[str, int] = {}
    failed_rows = {e.row for e in result.errors}
    for row in result.rows:
        number = row["_row"]
        if number in failed_rows:
            continue
        person = _person_instance(municipality, row)
        try:
            person.full_clean()
        except ValidationError as error:
            result.errors.extend(_collect("persons", number, error))
            continue
        row["national_id"] = person.national_id or None
        row["date_of_birth"] = person.date_of_birth
        if person.national_id:
            if person.national_id in seen:
                message = _("The same identity number is on row %(row)s.") % {
                    "row": seen[person.national_id]
                }
                result.errors.append(RowError(number, "fødselsnummer", message))
            seen[person.national_id] = number


def _validate_dwellings(municipality: Municipality, result: ImportResult) -> None:
    buildings = {b.address.lower(): b for b in Building.objects.filter(municipality=municipality)}
    existing = set(
        Dwelling.objects.filter(building__municipality=municipality).values_list(
            "building__address", "number"
        )
    )
    existing = {(address.lower(), number) for address, number in existing}
    seen: dict[tuple[str, str], int] = {}
    failed_rows = {e.row for e in result.errors}
    for row in result.rows:
        number = row["_row"]
        if number in failed_rows:
            continue
        building_data = _without_none(row, "building_")
        address_key = building_data["address"].lower()
        building = buildings.get(address_key) or Building(
            municipality=municipality, **building_data
        )
        try:
            if building.pk is None:
                building.full_clean(validate_unique=False)
            dwelling = Dwelling(
                building=building,
                **_without_none(
                    {
                        k: v
                        for k, v in row.items()
                        if not k.startswith("building_") and k != "status"
                    }
                ),
            )
            dwelling.full_clean(exclude=["building"], validate_unique=False)
        except ValidationError as error:
            result.errors.extend(_collect("dwellings", number, error))
            continue
        key = (address_key, dwelling.number)
        if key in existing:
            result.errors.append(
                RowError(number, "leilighetsnummer", _("The dwelling is already registered."))
            )
        elif key in seen:
            result.errors.append(
                RowError(
                    number,
                    "leilighetsnummer",
                    _("The same dwelling is on row %(row)s.") % {"row": seen[key]},
                )
            )
        seen[key] = number


def to_json_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def plain(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return value

    return [{key: plain(value) for key, value in row.items()} for row in rows]


def _from_json(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    typed = dict(row)
    for column in COLUMNS[kind]:
        value = typed.get(column.target)
        if value is None:
            continue
        if column.kind == "date" or column.target == "date_of_birth":
            typed[column.target] = dt.date.fromisoformat(value)
        elif column.kind == "decimal":
            typed[column.target] = Decimal(value)
    return typed


@transaction.atomic
def import_apply(
    *,
    actor: User | None,
    kind: str,
    municipality: Municipality,
    rows: list[dict[str, Any]],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Create every row through the register's own actions, all in one transaction.

    Any failure raises and rolls back every row written so far.
    """
    require_permission(actor, municipality.pk, IMPORT_ROLES[kind])
    buildings: dict[str, Building] = {}
    for index, json_row in enumerate(rows, start=1):
        row = _from_json(kind, json_row)
        if kind == "persons":
            person_create(actor=actor, data={"municipality": municipality, **_without_none(row)})
        else:
            data = _without_none(row, "building_")
            key = data["address"].lower()
            building = (
                buildings.get(key)
                or Building.objects.filter(
                    municipality=municipality, address__iexact=data["address"]
                ).first()
            )
            if building is None:
                building = building_create(actor=actor, data={"municipality": municipality, **data})
            buildings[key] = building
            dwelling_data = _without_none(
                {k: v for k, v in row.items() if not k.startswith("building_") and k != "status"}
            )
            dwelling_create(
                actor=actor,
                data={"building": building, **dwelling_data},
                status=row.get("status") or DwellingStatus.VACANT,
            )
        if progress is not None:
            progress(index)
    return len(rows)


@transaction.atomic
def import_batch_apply(*, actor: User, batch: Any) -> int:
    """Apply a confirmed, pending batch once; the batch is locked so a double click cannot
    import it twice."""
    require_permission(actor, batch.municipality_id, IMPORT_ROLES[batch.kind])
    from husly.imports.models import ImportBatch, ImportStatus

    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != ImportStatus.PENDING:
        raise ValidationError(_("This file has already been imported."))
    count = import_apply(
        actor=actor, kind=locked.kind, municipality=locked.municipality, rows=locked.rows
    )
    locked.status = ImportStatus.APPLIED
    locked.rows = []
    locked.applied_count = count
    locked.finished_at = timezone.now()
    locked.save(update_fields=["status", "rows", "applied_count", "finished_at"])
    return count


def import_batch_queue(*, actor: User, batch: Any) -> Any:
    """Put a confirmed, pending batch on the job queue (a large file); the job ``imports_apply``
    applies it as the user who confirmed it. Deferred in this transaction: no job for a
    confirmation that rolled back, no confirmation without its job."""
    require_permission(actor, batch.municipality_id, IMPORT_ROLES[batch.kind])
    from husly.audit.events import record_change
    from husly.imports.models import ImportBatch, ImportStatus
    from husly.imports.tasks import imports_apply

    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportStatus.PENDING:
            raise ValidationError(_("This file has already been imported."))
        locked.job_id = imports_apply.defer(
            batch_id=locked.pk, municipality_id=locked.municipality_id
        )
        locked.status = ImportStatus.QUEUED
        locked.save(update_fields=["status", "job_id"])
        record_change(
            actor=actor,
            action="import_batch_queue",
            instance=locked,
            municipality=locked.municipality,
            changes={
                "status": [ImportStatus.PENDING, ImportStatus.QUEUED],
                "rows": [None, len(locked.rows)],
            },
        )
    return locked


def import_batch_run(*, batch_id: int) -> int:
    """The queue job's work: apply a queued batch once, as the user who confirmed it. A rerun
    (a retry after a crash) finds the batch no longer queued and does nothing. Bad data or a
    lost right ends the batch *not imported* with the reason, nothing written; any other error
    rolls back and is raised, so the queue retries it."""
    from husly.imports.models import ImportBatch, ImportStatus

    with transaction.atomic():
        locked = (
            ImportBatch.objects.select_for_update()
            .select_related("municipality", "uploaded_by")
            .filter(pk=batch_id)
            .first()
        )
        if locked is None or locked.status != ImportStatus.QUEUED:
            return 0
        try:
            with transaction.atomic():
                count = import_apply(
                    actor=locked.uploaded_by,
                    kind=locked.kind,
                    municipality=locked.municipality,
                    rows=locked.rows,
                )
        except PermissionDenied:
            locked.status = ImportStatus.FAILED
            locked.error = _("You no longer have the right to import into this municipality.")
        except ValidationError as error:
            locked.status = ImportStatus.FAILED
            locked.error = _("Nothing was imported: %(errors)s") % {
                "errors": " ".join(error.messages)
            }
        else:
            locked.status = ImportStatus.APPLIED
            locked.applied_count = count
        locked.rows = []
        locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "error", "applied_count", "rows", "finished_at"])
        return locked.applied_count or 0
