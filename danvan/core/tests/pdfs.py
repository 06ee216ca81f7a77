"""PDFs for the tests: well-formed ones written by pypdf, the ones pypdf cannot write
(object streams, cross-reference streams, damaged tables) written by hand, byte by byte."""

import io
import zlib
from collections.abc import Callable

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

Edit = Callable[[PdfWriter], None]


def name(value: str) -> NameObject:
    return NameObject(value)


def dictionary(**entries: PdfObject) -> DictionaryObject:
    """`dictionary(S=name("/GoTo"))` is `<< /S /GoTo >>`."""
    return DictionaryObject({NameObject(f"/{key}"): value for key, value in entries.items()})


def action(kind: str, **entries: PdfObject) -> DictionaryObject:
    return dictionary(Type=name("/Action"), S=name(kind), **entries)


def rect() -> ArrayObject:
    return ArrayObject([FloatObject(50), FloatObject(50), FloatObject(200), FloatObject(80)])


def written(pages: int = 3, edit: Edit | None = None) -> bytes:
    """A clean PDF of `pages` A4 pages with a line of text each, then `edit` applied."""
    writer = PdfWriter()
    for number in range(1, pages + 1):
        page = writer.add_blank_page(595, 842)
        content = DecodedStreamObject()
        content.set_data(b"BT /F1 12 Tf 72 770 Td (Trang %d) Tj ET" % number)
        page[NameObject("/Contents")] = writer._add_object(content)
    if edit is not None:
        edit(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def annotate(writer: PdfWriter, annotation: DictionaryObject, page: int = 0) -> None:
    annotation.setdefault(NameObject("/Type"), name("/Annot"))
    annotation.setdefault(NameObject("/Rect"), rect())
    target = writer.pages[page]
    annots = target.setdefault(NameObject("/Annots"), ArrayObject())
    annots.append(writer._add_object(annotation))


# Written by hand


def by_hand(objects: dict[int, bytes], *, root: int = 1, header: bytes = b"%PDF-1.4") -> bytes:
    """`objects` as written (`{1: b"<< /Type /Catalog ... >>"}`), with a classic xref table."""
    out = bytearray(header + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    size = max(objects) + 1
    table = b"".join(
        b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
        for n in range(size)
    )
    start = len(out)
    out += b"xref\n0 %d\n%s" % (size, table)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, start)
    return bytes(out)


def stream(body: bytes, keys: bytes = b"", *, deflate: bool = True) -> bytes:
    data = zlib.compress(body) if deflate else body
    flate = b" /Filter /FlateDecode" if deflate else b""
    return b"<< %s%s /Length %d >>\nstream\n%s\nendstream" % (keys, flate, len(data), data)


def packed(
    loose: dict[int, bytes], inside: dict[int, bytes], *, stream_keys: bytes = b"", root: int = 1
) -> bytes:
    """A PDF 1.5 file: `loose` objects written plainly, `inside` ones packed in one
    compressed object stream (object number `max + 1`), `stream_keys` written in that
    stream's dictionary before /Type /ObjStm; a compressed cross-reference stream."""
    holder = max(loose | inside) + 1
    body = b""
    index = []
    for number, text in sorted(inside.items()):
        index.append(b"%d %d" % (number, len(body)))
        body += text + b"\n"
    head = b" ".join(index) + b"\n"
    keys = stream_keys + b" /Type /ObjStm /N %d /First %d" % (len(inside), len(head))
    objects = dict(loose)
    objects[holder] = stream(head + body, keys)
    return _with_xref_stream(objects, inside, holder, root)


def _with_xref_stream(
    objects: dict[int, bytes], inside: dict[int, bytes], holder: int, root: int
) -> bytes:
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    rows = {0: (0, 0, 65535)}
    for number, body in sorted(objects.items()):
        rows[number] = (1, len(out), 0)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    for position, number in enumerate(sorted(inside)):
        rows[number] = (2, holder, position)
    xref = holder + 1
    rows[xref] = (1, len(out), 0)
    table = b"".join(
        bytes([kind]) + field.to_bytes(4, "big") + extra.to_bytes(2, "big")
        for kind, field, extra in (rows.get(n, (0, 0, 0)) for n in range(xref + 1))
    )
    keys = b"/Type /XRef /Size %d /W [1 4 2] /Root %d 0 R" % (xref + 1, root)
    start = len(out)
    out += b"%d 0 obj\n%s\nendobj\nstartxref\n%d\n%%%%EOF\n" % (xref, stream(table, keys), start)
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def catalog_with(extra: bytes) -> bytes:
    return b"<< /Type /Catalog /Pages 2 0 R %s >>" % extra


def text(value: str) -> TextStringObject:
    return TextStringObject(value)


def number(value: int) -> NumberObject:
    return NumberObject(value)
