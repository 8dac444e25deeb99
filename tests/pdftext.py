"""Reading a handout's text back, for tests that check what a runner reads (no tests here).

PDFium (pypdfium2) extracts text about ten times faster than pypdf, which mattered: several tests read
every page of full 36-page handouts. pypdf stays for what PDFium's text API does not give (fonts met
while drawing, metadata, page boxes)."""
from __future__ import annotations

import pypdfium2 as pdfium


def page_texts(data: bytes) -> list[str]:
    """Each page's text in reading order, lines separated by '\\n'."""
    document = pdfium.PdfDocument(data)
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_bounded().replace("\r\n", "\n"))
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def pdf_text(data: bytes) -> str:
    """The whole document's text, page after page."""
    return "\n".join(page_texts(data))
