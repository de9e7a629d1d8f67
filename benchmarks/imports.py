"""Benchmark: refusing hostile import files (row bombs, zip bombs, giant cells).

Run:  ./dev bench imports   (or ``uv run python -m benchmarks.imports``)

Builds hostile files of about 10 MB (the upload limit) and one normal file at the row limit,
then reads each with ``husly.imports.importers.read_table`` in a fresh subprocess, so that each
figure is that file's own: wall time (without tracing), ``peak_mib`` (tracemalloc peak of the
read, a second run) and ``rss_mib`` (the subprocess's maximum resident set, Python and Django
included). Prints ONE JSON line:

* ``xlsx_rows``: an Excel file of a million rows and no stated sheet size (a few MB packed,
  under the unpacked limit), refused at the row limit by a streaming count;
* ``xlsx_zip_bomb``: a 10 MB Excel file whose sheet unpacks to gigabytes, refused from the
  archive's table of contents before parsing;
* ``xlsx_entries``: an Excel file with tens of thousands of parts, refused from the table of
  contents;
* ``csv_rows``: a 10 MB CSV file of millions of short rows, refused at the row limit;
* ``csv_giant_cell``: a 10 MB CSV file that is one cell, refused by the CSV reader's field limit;
* ``normal_xlsx`` / ``normal_csv``: a valid person file at the row limit, read in full (the work
  an honest file at the limit costs), and ``*_vs_normal`` = hostile time / normal time.

Targets (issue 10): every refusal under 2 s and under 200 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

TARGET_S = 2.0
TARGET_MIB = 200.0
TEN_MB = 10 * 2**20

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Ark1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _xlsx(sheet_chunks: Any, extra: int = 0) -> bytes:
    """An Excel file written part by part (the sheet from an iterator of XML chunks), with
    ``extra`` empty parts added to the archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD.encode())
            for chunk in sheet_chunks:
                sheet.write(chunk.encode())
            sheet.write(SHEET_TAIL.encode())
        for index in range(extra):
            archive.writestr(f"xl/media/part{index}.xml", "")
    return buffer.getvalue()


def million_rows_xlsx() -> bytes:
    header = "<row r='1'>" + _cell("A1", "fornavn") + _cell("B1", "etternavn") + "</row>"

    def rows() -> Any:
        yield header
        for start in range(2, 1_000_002, 10_000):
            yield "".join(
                f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>'
                for n in range(start, min(start + 10_000, 1_000_002))
            )

    return _xlsx(rows())


def zip_bomb_xlsx() -> bytes:
    """A sheet of one repeated cell, packed at deflate's ~1000:1 until the file is 10 MB."""
    block = _cell("A1", "x" * 1000) * 1000  # ~1 MB of text that deflates to ~1 KB

    def chunks() -> Any:
        for _ in range(4_500):
            yield block

    return _xlsx(chunks())


def many_entries_xlsx() -> bytes:
    return _xlsx(iter(["<row r='1'>" + _cell("A1", "fornavn") + "</row>"]), extra=60_000)


def rows_csv() -> bytes:
    line = b"a;b\n"
    return b"fornavn;etternavn\n" + line * ((TEN_MB - 20) // len(line))


def giant_cell_csv() -> bytes:
    return b"fornavn;etternavn\n" + b"A" * (TEN_MB - 20) + b";Hansen\n"


def normal_rows(n: int) -> list[list[str]]:
    start = dt.date(1950, 1, 1)
    header = ["fødselsnummer", "fornavn", "etternavn", "telefon", "adresse", "postnummer"]
    rows = [header]
    for i in range(n):
        born = start + dt.timedelta(days=i % 20_000)
        rows.append(
            [
                f"{born:%d%m%y}{i % 100_000:05d}",  # read only, not validated
                f"Kari{i}",
                f"Hansen{i}",
                f"4{i:07d}",
                f"Storgata {i % 300}",
                "2005",
            ]
        )
    return rows


def normal_xlsx(n: int) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in normal_rows(n):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def normal_csv(n: int) -> bytes:
    return "\n".join(";".join(row) for row in normal_rows(n)).encode() + b"\n"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "husly.settings")
    os.environ.setdefault("HUSLY_ENV", "development")
    import django

    django.setup()


def measure(path: Path) -> dict[str, Any]:
    """Read one file as an upload would; run in a subprocess of its own."""
    _setup_django()
    from django.utils import translation

    from husly.imports.importers import ImportFileError, read_table

    content = path.read_bytes()
    with translation.override("nb"):
        str(ImportFileError(translation.gettext("The file is empty.")))  # load the catalogue

    def once() -> str:
        with translation.override("nb"):
            try:
                rows = read_table(path.name, content)
            except ImportFileError as exc:
                return f"refused: {exc}"
            return f"read {len(rows) - 1} rows"

    start = time.perf_counter()
    outcome = once()
    seconds = time.perf_counter() - start
    rss = _high_water_mib()
    tracemalloc.start()
    once()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {
        "s": round(seconds, 3),
        "peak_mib": round(peak, 1),
        "rss_mib": round(rss, 1),
        "file_mib": round(len(content) / 2**20, 2),
        "outcome": outcome[:160],
    }


def _high_water_mib() -> float:
    """This process's peak resident set (VmHWM; ru_maxrss would carry the parent's over exec)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(path: Path) -> dict[str, Any]:
    out = subprocess.run(  # noqa: S603 - our own module, our own file
        [sys.executable, "-m", "benchmarks.imports", "--measure", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def _baseline_rss() -> float:
    """RSS of a subprocess that only starts Django (what every figure includes)."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.imports", "--baseline"],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        return measure(args.measure)
    _setup_django()
    from husly.imports.importers import MAX_ROWS

    files = {
        "xlsx_rows": ("rader.xlsx", million_rows_xlsx()),
        "xlsx_zip_bomb": ("bombe.xlsx", zip_bomb_xlsx()),
        "xlsx_entries": ("deler.xlsx", many_entries_xlsx()),
        "csv_rows": ("rader.csv", rows_csv()),
        "csv_giant_cell": ("celle.csv", giant_cell_csv()),
        "normal_xlsx": ("personer.xlsx", normal_xlsx(MAX_ROWS)),
        "normal_csv": ("personer.csv", normal_csv(MAX_ROWS)),
    }
    report: dict[str, Any] = {"name": "imports", "max_rows": MAX_ROWS}
    with tempfile.TemporaryDirectory() as folder:
        for key, (filename, content) in files.items():
            path = Path(folder) / filename
            path.write_bytes(content)
            report[key] = _child(path)
    hostile = [k for k in files if not k.startswith("normal")]
    for key in hostile:
        normal = report["normal_xlsx" if key.startswith("xlsx") else "normal_csv"]
        report[f"{key}_vs_normal"] = round(report[key]["s"] / max(normal["s"], 1e-6), 3)
    report["django_only_rss_mib"] = round(_baseline_rss(), 1)
    report["all_refused"] = all(report[k]["outcome"].startswith("refused") for k in hostile)
    report["within_target"] = all(
        report[k]["s"] < TARGET_S and report[k]["rss_mib"] < TARGET_MIB for k in hostile
    )
    report["python"] = platform.python_version()
    return report


if __name__ == "__main__":
    if "--baseline" in sys.argv:
        _setup_django()
        sys.stdout.write(f"{_high_water_mib()}\n")
    else:
        sys.stdout.write(json.dumps(main(), separators=(",", ":"), ensure_ascii=False) + "\n")
