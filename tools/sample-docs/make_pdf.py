#!/usr/bin/env python3
"""Writes the PDF samples under sample-docs/: a small three-page manual, the same file cut in
half, and the same file encrypted with a user password and with an owner password only.

Needs fpdf2 and pypdf (`pip install fpdf2 pypdf`). Run from the repository root:
`python3 tools/sample-docs/make_pdf.py`. The text is written for these samples (MIT, as the
rest of the repository)."""

import io
from datetime import datetime, timezone
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

PAGES = [
    (
        "Keeper's Manual",
        "This manual explains the daily duties of a keeper. Read every page before the first "
        "night watch. The second page describes the lamp, the third page the log book.",
    ),
    (
        "The Lamp",
        "The lighthouse lamp must be lit at sunset and put out at sunrise. Trim the wick and "
        "polish the lens each morning, so that the beam reaches the open sea.",
    ),
    (
        "The Log Book",
        "Write the weather, the passing ships and any fault of the lamp in the log book, "
        "in ink, before the end of each watch.",
    ),
]


def manual() -> bytes:
    pdf = FPDF()
    pdf.set_title("  Keeper's Manual: The Lighthouse  ")
    pdf.set_author("Lantern")
    pdf.set_creation_date(datetime(2026, 1, 1, tzinfo=timezone.utc))
    pdf.set_font("Helvetica", size=12)
    for heading, body in PAGES:
        pdf.add_page()
        pdf.set_font("Helvetica", style="B", size=16)
        pdf.cell(text=heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(w=0, text=body)
    return bytes(pdf.output())


def encrypted(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    # RC4 needs no extra package; AES would need `cryptography`.
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def main() -> None:
    root = Path("sample-docs")
    data = manual()
    (root / "documents" / "manual.pdf").write_bytes(data)
    (root / "documents" / "protected.pdf").write_bytes(encrypted(data, ""))
    (root / "broken" / "truncated.pdf").write_bytes(data[: len(data) // 2])
    (root / "broken" / "encrypted.pdf").write_bytes(encrypted(data, "secret"))


if __name__ == "__main__":
    main()
