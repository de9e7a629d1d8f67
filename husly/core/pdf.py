"""PDF documents (letters, leases, the art. 15 export) from HTML with WeasyPrint.

Every PDF is tagged PDF/UA-1 (WCAG 2.1 for documents; forskrift om universell utforming av IKT):
a structure tree from the HTML (headings, paragraphs, lists, tables with header cells), MarkInfo,
the document language from ``<html lang>``, and the ``<title>`` shown as the window title
(DisplayDocTitle). The output is deterministic for the same HTML (a fixed identifier, no dates
of generation), so a stored letter's hash can be checked by generating it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def render_pdf(html: str, *, stylesheets: Sequence[Path] = ()) -> bytes:
    """Tagged PDF/UA-1 bytes for a complete HTML document (with ``lang`` and ``<title>``)."""
    from weasyprint import CSS, HTML

    return bytes(
        HTML(string=html).write_pdf(
            stylesheets=[CSS(filename=str(path)) for path in stylesheets],
            pdf_variant="pdf/ua-1",
            pdf_tags=True,
            pdf_identifier=b"husly",
            uncompressed_pdf=False,
            custom_metadata=False,
        )
    )
