#!/usr/bin/env python3
"""Writes the office samples of sample-docs/ with the standard library only: minimal, valid
Office Open XML (.docx .pptx .xlsx) and OpenDocument (.odt .odp .ods) files, and a zip bomb.

Run from the repository root: python3 tools/sample-docs/make_office.py
The output is deterministic (fixed timestamps), so re-running it changes nothing.
"""

import os
import zipfile

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "sample-docs")
STAMP = (2026, 11, 30, 0, 0, 0)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
X = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def write_zip(path, parts, stored_first=None):
    """Writes `parts` (name -> text) to the zip at `path`, deflated; `stored_first` is an
    uncompressed first part (the OpenDocument `mimetype`)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        if stored_first:
            name, text = stored_first
            archive.writestr(zipfile.ZipInfo(name, STAMP), text, zipfile.ZIP_STORED)
        for name, text in parts.items():
            archive.writestr(zipfile.ZipInfo(name, STAMP), text, zipfile.ZIP_DEFLATED)


def core_properties(title):
    return (
        DECL + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{title}</dc:title><dc:creator>Lantern</dc:creator></cp:coreProperties>"
    )


def content_types(overrides):
    items = "".join(
        f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in overrides
    )
    return (
        DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f"{items}</Types>"
    )


def package_rels(main):
    return (
        DECL + f'<Relationships xmlns="{PKG_REL}">'
        f'<Relationship Id="rId1" Type="{R}/officeDocument" Target="{main}"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        "</Relationships>"
    )


def docx():
    def run(text):
        return f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'

    body = (
        # Paragraph properties hold tab stops (w:tab) that are not text.
        '<w:p><w:pPr><w:pStyle w:val="Title"/><w:tabs><w:tab w:val="left" w:pos="720"/>'
        "</w:tabs></w:pPr>" + run("Quarterly report") + "</w:p>"
        # One word split over two runs; an entity; a tab and a line break.
        "<w:p>" + run("The aur") + run("ora team met") + run(" at Smith &amp; Sons.")
        + "<w:r><w:tab/><w:t>Tabbed</w:t><w:br/><w:t>broken line</w:t></w:r></w:p>"
        "<w:p>" + run("Second paragraph") + "</w:p>"
        "<w:p>" + run("third paragraph") + "</w:p>"
        '<w:tbl><w:tr><w:tc><w:p>' + run("cell one") + "</w:p></w:tc><w:tc><w:p>"
        + run("cell two") + "</w:p></w:tc></w:tr><w:tr><w:tc><w:p>" + run("cell three")
        + "</w:p></w:tc><w:tc><w:p>" + run("cell four") + "</w:p></w:tc></w:tr></w:tbl>"
        '<w:sectPr><w:headerReference w:type="default" r:id="rId2"/></w:sectPr>'
    )
    document = (
        DECL + f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}</w:body></w:document>'
    )
    header = DECL + f'<w:hdr xmlns:w="{W}"><w:p>' + run("Confidential header") + "</w:p></w:hdr>"
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    write_zip(
        os.path.join(ROOT, "documents", "report.docx"),
        {
            "[Content_Types].xml": content_types(
                [
                    ("word/document.xml", main + ".document.main+xml"),
                    ("word/header1.xml", main + ".header+xml"),
                    ("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
                ]
            ),
            "_rels/.rels": package_rels("word/document.xml"),
            "word/_rels/document.xml.rels": DECL + f'<Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId2" Type="{R}/header" Target="header1.xml"/></Relationships>',
            "word/document.xml": document,
            "word/header1.xml": header,
            "docProps/core.xml": core_properties("Aurora quarterly report"),
        },
    )


def pptx():
    def slide(*paragraphs):
        body = "".join(
            "<a:p>" + "".join(f"<a:r><a:t>{run}</a:t></a:r>" for run in runs) + "</a:p>"
            for runs in paragraphs
        )
        return (
            DECL + f'<p:sld xmlns:a="{A}" xmlns:p="{P}"><p:cSld><p:spTree><p:sp><p:txBody>'
            f"<a:bodyPr/>{body}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
        )

    slides = {
        1: slide(["Glacier ", "talk"], ["first slide"]),
        2: slide(["second slide"]),
        3: slide(["third ", "slide &lt;3"]),
        # Numbered past 9, so that name order and slide order differ.
        10: slide(["tenth slide mentions the ", "fj", "ord"]),
    }
    kind = "application/vnd.openxmlformats-officedocument.presentationml"
    ids = "".join(f'<p:sldId id="{255 + n}" r:id="rId{n}"/>' for n in slides)
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{R}/slide" Target="slides/slide{n}.xml"/>'
        for n in slides
    )
    parts = {
        "[Content_Types].xml": content_types(
            [("ppt/presentation.xml", kind + ".presentation.main+xml")]
            + [(f"ppt/slides/slide{n}.xml", kind + ".slide+xml") for n in slides]
        ),
        "_rels/.rels": package_rels("ppt/presentation.xml"),
        "ppt/presentation.xml": DECL + f'<p:presentation xmlns:p="{P}" xmlns:r="{R}">'
        f"<p:sldIdLst>{ids}</p:sldIdLst></p:presentation>",
        "ppt/_rels/presentation.xml.rels": DECL + f'<Relationships xmlns="{PKG_REL}">{rels}'
        "</Relationships>",
        "docProps/core.xml": core_properties("Glacier talk"),
    }
    # Stored in reverse, so that archive order is not slide order either.
    for n in sorted(slides, reverse=True):
        parts[f"ppt/slides/slide{n}.xml"] = slides[n]
    write_zip(os.path.join(ROOT, "documents", "slides.pptx"), parts)


def xlsx():
    strings = ["Item", "Cost", "tundra tent", "Stove &amp; fuel", "<r><t>sleeping </t></r><r><t>bag</t></r>"]
    sst = "".join(
        f"<si>{s}</si>" if s.startswith("<r>") else f"<si><t>{s}</t></si>" for s in strings
    )

    def sheet(rows):
        cells = ""
        for number, row in enumerate(rows, 1):
            cells += f'<row r="{number}">' + "".join(row) + "</row>"
        return (
            DECL + f'<worksheet xmlns="{X}"><sheetData>{cells}</sheetData></worksheet>'
        )

    def shared(ref, index):
        return f'<c r="{ref}" t="s"><v>{index}</v></c>'

    def number(ref, value):
        return f'<c r="{ref}"><v>{value}</v></c>'

    first = sheet(
        [
            [shared("A1", 0), shared("B1", 1)],
            [shared("A2", 2), number("B2", "249.5")],
            [shared("A3", 3), '<c r="B3"><f>B2/10</f><v>24.95</v></c>'],
            [shared("A4", 4), number("B4", "120")],
        ]
    )
    second = sheet(
        [[f'<c r="A1" t="inlineStr"><is><t>Saffron</t></is></c>', number("B1", "7")]]
    )
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    write_zip(
        os.path.join(ROOT, "documents", "budget.xlsx"),
        {
            "[Content_Types].xml": content_types(
                [
                    ("xl/workbook.xml", kind + ".sheet.main+xml"),
                    ("xl/worksheets/sheet1.xml", kind + ".worksheet+xml"),
                    ("xl/worksheets/sheet2.xml", kind + ".worksheet+xml"),
                    ("xl/sharedStrings.xml", kind + ".sharedStrings+xml"),
                ]
            ),
            "_rels/.rels": package_rels("xl/workbook.xml"),
            "xl/workbook.xml": DECL + f'<workbook xmlns="{X}" xmlns:r="{R}"><sheets>'
            '<sheet name="Gear" sheetId="1" r:id="rId1"/><sheet name="Food" sheetId="2" '
            'r:id="rId2"/></sheets></workbook>',
            "xl/_rels/workbook.xml.rels": DECL + f'<Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{R}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{R}/worksheet" Target="worksheets/sheet2.xml"/>'
            f'<Relationship Id="rId3" Type="{R}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
            "xl/sharedStrings.xml": DECL + f'<sst xmlns="{X}" count="{len(strings)}">{sst}</sst>',
            "xl/worksheets/sheet1.xml": first,
            "xl/worksheets/sheet2.xml": second,
            "docProps/core.xml": core_properties("Tundra trip budget"),
        },
    )


ODF_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "presentation": "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}
NS_DECLS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in ODF_NS.items())


def odf(path, mime, body, title):
    content = (
        DECL + f'<office:document-content {NS_DECLS} office:version="1.3">'
        # Styles hold no text; the body is pretty-printed, as some writers do.
        '<office:automatic-styles><style:style style:name="P1" style:family="paragraph"/>'
        f"</office:automatic-styles>\n  <office:body>\n    {body}\n  </office:body>\n"
        "</office:document-content>"
    )
    meta = (
        DECL + f'<office:document-meta {NS_DECLS} office:version="1.3"><office:meta>'
        f"<dc:title>{title}</dc:title><meta:generator>Lantern</meta:generator>"
        "</office:meta></office:document-meta>"
    )
    manifest = (
        DECL + f'<manifest:manifest xmlns:manifest="{ODF_NS["manifest"]}" manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mime}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    write_zip(
        os.path.join(ROOT, "documents", path),
        {"content.xml": content, "meta.xml": meta, "META-INF/manifest.xml": manifest},
        stored_first=("mimetype", mime),
    )


def odt():
    body = (
        "<office:text>\n"
        '      <text:h text:outline-level="1">Letter from the <text:span>jun</text:span>iper grove</text:h>\n'
        "      <text:p>Dear   reader,\n        spaces<text:s text:c=\"3\"/>counted, a<text:tab/>tab"
        "<text:line-break/>and a new line &amp; an entity.</text:p>\n"
        "      <text:p>Second paragraph</text:p><text:p>third paragraph</text:p>\n"
        "      <table:table><table:table-row><table:table-cell><text:p>left cell</text:p>"
        "</table:table-cell><table:table-cell><text:p>right cell</text:p></table:table-cell>"
        "</table:table-row></table:table>\n"
        "    </office:text>"
    )
    odf("letter.odt", "application/vnd.oasis.opendocument.text", body, "Juniper letter")


def odp():
    def page(name, *paragraphs):
        text = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
        return (
            f'<draw:page draw:name="{name}"><draw:frame><draw:text-box>{text}'
            "</draw:text-box></draw:frame></draw:page>"
        )

    body = (
        "<office:presentation>"
        + page("one", "Obsidian <text:span>talk</text:span>", "first page")
        + '<draw:page draw:name="two"/>'
        + page("three", "third page about the lag<text:span>oon</text:span>")
        + "</office:presentation>"
    )
    odf("talk.odp", "application/vnd.oasis.opendocument.presentation", body, "Obsidian talk")


def ods():
    def cell(text):
        return f"<table:table-cell><text:p>{text}</text:p></table:table-cell>"

    def row(*texts):
        return "<table:table-row>" + "".join(cell(t) for t in texts) + "</table:table-row>"

    body = (
        "<office:spreadsheet>"
        '<table:table table:name="Stock">' + row("Item", "Count") + row("pelican feed", "12")
        + '<table:table-row><table:table-cell table:number-columns-repeated="3"/></table:table-row>'
        + row("quasar lamp", "3") + "</table:table>"
        '<table:table table:name="Notes">' + row("marzipan") + "</table:table>"
        "</office:spreadsheet>"
    )
    ods_title = "Marzipan stock"
    odf("sheet.ods", "application/vnd.oasis.opendocument.spreadsheet", body, ods_title)


def bomb():
    """A .docx whose document.xml inflates to 300 MiB of spaces inside a paragraph."""
    path = os.path.join(ROOT, "broken", "bomb.docx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", STAMP), content_types([]))
        info = zipfile.ZipInfo("word/document.xml", STAMP)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as part:
            part.write((DECL + f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>').encode())
            chunk = b" " * (1 << 20)
            for _ in range(300):
                part.write(chunk)
            part.write(b"</w:t></w:r></w:p></w:body></w:document>")


if __name__ == "__main__":
    docx()
    pptx()
    xlsx()
    odt()
    odp()
    ods()
    bomb()
