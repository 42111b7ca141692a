#!/usr/bin/env python3
"""Writes sample-docs/documents/novel.epub: a tiny EPUB 3 book with two chapters.

Only the standard library: run `python3 tools/sample-docs/make_epub.py` from the repository
root. The `mimetype` part comes first and is stored uncompressed, as EPUB requires, so that
the file is recognised by its first bytes. Timestamps are fixed so the output is reproducible.
"""

import pathlib
import zipfile

OUT = pathlib.Path(__file__).resolve().parents[2] / "sample-docs" / "documents" / "novel.epub"
DATE = (2024, 1, 1, 0, 0, 0)

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""

PACKAGE = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">urn:uuid:5b0c3f56-lantern-sample-novel</dc:identifier>
    <dc:title>The Cartographer&#8217;s Daughter</dc:title>
    <dc:language>en</dc:language>
    <meta property="dcterms:modified">2024-01-01T00:00:00Z</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ch1" href="text/chapter%201.xhtml" media-type="application/xhtml+xml"/>
    <item id="ch2" href="text/chapter%202.xhtml" media-type="application/xhtml+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
  </manifest>
  <spine>
    <itemref idref="ch1"/>
    <itemref idref="ch2"/>
  </spine>
</package>
"""

NAV = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>Contents</title></head>
<body><nav epub:type="toc"><ol>
  <li><a href="text/chapter%201.xhtml">The Map Room</a></li>
  <li><a href="text/chapter%202.xhtml">The Astrolabe</a></li>
</ol></nav></body>
</html>
"""

CHAPTER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml">
<head><title>{title}</title><link rel="stylesheet" href="../style.css"/></head>
<body>
<h1>{title}</h1>
{body}
</body>
</html>
"""

CHAPTERS = [
    ("The Map Room", """<p>Ines unrolled the <em>portolan</em> chart across the oak table; its
rhumb lines ran from a compass rose no bigger than a coin.</p>
<p>&#8220;Every coastline here was walked,&#8221; her father said, &#8220;not guessed.&#8221;</p>"""),
    ("The Astrolabe", """<p>At midnight she climbed to the roof with the brass astrolabe and
sighted Polaris between the chimneys.</p>
<p>By dawn the latitude was written in the margin, in ink that would outlast them both.</p>"""),
]

STYLE = "h1 { font-variant: small-caps; }\n"


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(OUT, "w") as book:
        def add(name: str, text: str, compress: int = zipfile.ZIP_DEFLATED) -> None:
            info = zipfile.ZipInfo(name, date_time=DATE)
            info.compress_type = compress
            book.writestr(info, text.encode("utf-8"))

        add("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        add("META-INF/container.xml", CONTAINER)
        add("OEBPS/content.opf", PACKAGE)
        add("OEBPS/nav.xhtml", NAV)
        for number, (title, body) in enumerate(CHAPTERS, start=1):
            add(f"OEBPS/text/chapter {number}.xhtml", CHAPTER.format(title=title, body=body))
        add("OEBPS/style.css", STYLE)


if __name__ == "__main__":
    main()
