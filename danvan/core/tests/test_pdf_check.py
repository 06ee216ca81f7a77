"""Attached PDFs are read with a real parser: whatever could act on its own is refused,
wherever it sits (object streams, long dictionaries, name trees); a file we cannot read
without guessing is refused too; a plain document passes unchanged. No database."""

import io
import logging
import threading

import pytest
from django.test import override_settings
from django.utils import translation
from pypdf import PdfWriter
from pypdf.actions import JavaScript, PageTrigger
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject, NullObject

from danvan.core.pdf_check import (
    ALLOWED_ACTIONS,
    REFUSED_ACTIONS,
    REFUSED_SUBTYPES,
    PdfLimits,
    PdfRefused,
    check_pdf,
    warnings_refused,
)
from danvan.core.tests.pdfs import (
    CATALOG,
    PAGE,
    PAGES,
    action,
    annotate,
    by_hand,
    catalog_with,
    dictionary,
    name,
    number,
    packed,
    text,
    written,
)
from danvan.core.uploads import UploadRejected, check_upload

LIMITS = PdfLimits(max_objects=20_000, max_pages=1000, max_inflated=16 * 1024 * 1024)
# Every action type of ISO 32000-2 12.6.4, and one no reader knows.
ALL_ACTIONS = sorted(
    REFUSED_ACTIONS
    | ALLOWED_ACTIONS
    | {"/Named", "/Hide", "/SetOCGState", "/Trans", "/Thread", "/NoSuchAction"}
)


def refusal(data, limits=LIMITS):
    with pytest.raises(PdfRefused) as caught:
        check_pdf(data, limits)
    return caught.value.code


# What passes


def test_a_clean_multi_page_pdf_passes_unchanged_with_its_type_from_the_content():
    data = written(pages=12)
    clean = check_upload("Đơn kiến nghị.PDF", data)
    assert (clean.name, clean.content_type, clean.data) == (
        "Đơn kiến nghị.pdf",
        "application/pdf",
        data,
    )


def goto_link(writer):
    target = ArrayObject([writer.pages[1].indirect_reference, name("/Fit")])
    annotate(writer, dictionary(Subtype=name("/Link"), A=action("/GoTo", D=target)))


def open_at_first_page(writer):
    target = ArrayObject([writer.pages[0].indirect_reference, name("/Fit")])
    writer._root_object[NameObject("/OpenAction")] = target


def open_with_goto(writer):
    target = ArrayObject([writer.pages[2].indirect_reference, name("/Fit")])
    writer._root_object[NameObject("/OpenAction")] = action("/GoTo", D=target)


def outline_and_labels(writer):
    writer.add_outline_item(title="Phần 1", page_number=1)
    writer.set_page_label(0, 2, style="/r")


def tagged_structure(writer):
    """Word's tagged PDFs: structure elements with /S roles and /A attribute objects."""
    layout = dictionary(O=name("/Layout"), Placement=name("/Block"))
    element = dictionary(Type=name("/StructElem"), S=name("/P"), A=layout)
    listed = dictionary(S=name("/Figure"), A=ArrayObject([layout, number(0)]))
    root = dictionary(Type=name("/StructTreeRoot"), K=ArrayObject([element, listed]))
    writer._root_object[NameObject("/StructTreeRoot")] = writer._add_object(root)


@pytest.mark.parametrize(
    "edit",
    [goto_link, open_at_first_page, open_with_goto, outline_and_labels, tagged_structure],
)
def test_jumps_inside_the_document_and_ordinary_structure_pass(edit):
    check_pdf(written(edit=edit), LIMITS)


def test_a_pdf_with_object_and_cross_reference_streams_passes():
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    check_pdf(packed({3: PAGE}, {1: CATALOG, 2: PAGES, 4: font}), LIMITS)


def test_bytes_after_the_end_marker_are_tolerated():
    check_pdf(written() + b"\r\n" + b" " * 1000, LIMITS)


# Every action type


@pytest.mark.parametrize("kind", ALL_ACTIONS)
def test_every_action_type_but_an_inner_jump_is_refused_behind_a_link(kind):
    def link(writer):
        annotate(writer, dictionary(Subtype=name("/Link"), A=action(kind)))

    data = written(edit=link)
    if kind in ALLOWED_ACTIONS:
        check_pdf(data, LIMITS)
    else:
        assert refusal(data) == "pdf_unsafe"


@pytest.mark.parametrize("kind", sorted(REFUSED_ACTIONS))
def test_a_dangerous_action_is_refused_even_where_no_reader_would_look_for_one(kind):
    def stray(writer):
        holder = dictionary(Note=text("x"), Later=action(kind))
        writer._root_object[NameObject("/Custom")] = writer._add_object(holder)

    assert refusal(written(edit=stray)) == "pdf_unsafe"


# Every place an action or a file can sit


def script():
    return action("/JavaScript", JS=text("app.alert(1)"))


def document_open_action(writer):
    writer._root_object[NameObject("/OpenAction")] = script()


def document_named_open(writer):
    writer._root_object[NameObject("/OpenAction")] = action("/Named", N=name("/Print"))


def document_additional_actions(writer):
    writer._root_object[NameObject("/AA")] = dictionary(WC=action("/GoTo"))


def document_scripts_name_tree(writer):
    writer.add_open_action(JavaScript("this.print({bUI:false});"))


def page_open_action(writer):
    writer.pages[1].add_action(PageTrigger.OPEN, JavaScript("app.alert(1)"))


def annotation_additional_actions(writer):
    annotate(writer, dictionary(Subtype=name("/Link"), AA=dictionary(E=action("/GoTo"))))


def form_field_actions(writer):
    field = dictionary(
        Subtype=name("/Widget"), FT=name("/Tx"), T=text("ten"), AA=dictionary(K=script())
    )
    annotate(writer, field)
    writer._root_object[NameObject("/AcroForm")] = dictionary(Fields=ArrayObject())


def xfa_form(writer):
    xfa = DecodedStreamObject()
    xfa.set_data(b"<xdp:xdp/>")
    form = dictionary(Fields=ArrayObject(), XFA=writer._add_object(xfa))
    writer._root_object[NameObject("/AcroForm")] = form


def outline_item_action(writer):
    writer.add_outline_item_dict(dictionary(Title=text("Mở"), A=action("/Launch")))


def chained_after_a_jump(writer):
    step = action("/GoTo", Next=action("/URI", URI=text("https://x.example")))
    annotate(writer, dictionary(Subtype=name("/Link"), A=step))


def chained_in_a_list(writer):
    step = action("/GoTo", Next=ArrayObject([action("/GoTo"), action("/SubmitForm")]))
    writer._root_object[NameObject("/OpenAction")] = step


def action_type_behind_a_reference(writer):
    kind = writer._add_object(name("/JavaScript"))
    annotate(writer, dictionary(Subtype=name("/Link"), A=dictionary(S=kind, JS=text("x"))))


def link_original_action(writer):
    annotate(writer, dictionary(Subtype=name("/Link"), PA=action("/Launch")))


def attached_file(writer):
    writer.add_attachment("hoa-don.exe", b"MZ")


def loose_embedded_file_stream(writer):
    embedded = DecodedStreamObject()
    embedded.set_data(b"MZ")
    embedded[NameObject("/Type")] = name("/EmbeddedFile")
    writer._add_object(embedded)


def file_attachment_annotation(writer):
    spec = dictionary(Type=name("/Filespec"), F=text("a.exe"))
    annotate(writer, dictionary(Subtype=name("/FileAttachment"), FS=spec))


def rich_media_content(writer):
    holder = dictionary(RichMediaContent=dictionary(Assets=dictionary()))
    writer._root_object[NameObject("/Custom")] = writer._add_object(holder)


PLACES = [
    document_open_action,
    document_named_open,
    document_additional_actions,
    document_scripts_name_tree,
    page_open_action,
    annotation_additional_actions,
    form_field_actions,
    xfa_form,
    outline_item_action,
    chained_after_a_jump,
    chained_in_a_list,
    action_type_behind_a_reference,
    link_original_action,
    attached_file,
    loose_embedded_file_stream,
    file_attachment_annotation,
    rich_media_content,
]


@pytest.mark.parametrize("edit", PLACES)
def test_actions_scripts_and_files_are_refused_wherever_they_sit(edit):
    assert refusal(written(edit=edit)) == "pdf_unsafe"


@pytest.mark.parametrize("subtype", sorted(REFUSED_SUBTYPES))
def test_media_and_attachment_annotations_are_refused(subtype):
    def media(writer):
        annotate(writer, dictionary(Subtype=name(subtype)))

    assert refusal(written(edit=media)) == "pdf_unsafe"


# Hidden by the file's layout (the byte scan this replaced missed the first two)

LONG = b"/Padding (" + b"x" * 6000 + b")"
SCRIPT = b"<< /S /JavaScript /JS (app.alert(1)) >>"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            packed(
                {3: PAGE},
                {1: catalog_with(b"/OpenAction 4 0 R"), 2: PAGES, 4: SCRIPT},
                stream_keys=b"/Extends 9 0 R",
            ),
            id="object-stream-behind-an-extra-key",
        ),
        pytest.param(
            packed(
                {3: PAGE},
                {1: catalog_with(b"/OpenAction 4 0 R"), 2: PAGES, 4: SCRIPT},
                stream_keys=LONG,
            ),
            id="object-stream-with-a-long-dictionary",
        ),
        pytest.param(
            by_hand(
                {
                    1: catalog_with(b"/OpenAction 4 0 R"),
                    2: PAGES,
                    3: PAGE,
                    4: b"<< " + LONG + b" /S /JavaScript /JS (x) >>",
                }
            ),
            id="long-dictionary",
        ),
        pytest.param(
            packed(
                {3: PAGE},
                {
                    1: catalog_with(b"/Names 4 0 R"),
                    2: PAGES,
                    4: b"<< /J#61vaScript 5 0 R >>",
                    5: b"<< /Names [(a) 6 0 R] >>",
                    6: b"<< /S /J#61vaScript /JS (x) >>",
                },
            ),
            id="escaped-names-in-a-name-tree-in-an-object-stream",
        ),
        pytest.param(
            by_hand(
                {
                    1: catalog_with(b"/OpenAction << /S /JavaScript /JS 4 0 R >>"),
                    2: PAGES,
                    3: PAGE,
                    4: b"<< /Length 12 >>\nstream\napp.alert(1)\nendstream",
                }
            ),
            id="script-in-a-stream",
        ),
        pytest.param(
            packed({3: PAGE}, {1: CATALOG, 2: PAGES, 4: b"<< /Unused " + SCRIPT + b" >>"}),
            id="unreferenced-object-in-an-object-stream",
        ),
    ],
)
def test_hidden_scripts_are_refused(data):
    assert refusal(data) == "pdf_unsafe"


# Refuse rather than guess

MINIMAL_WITHOUT_TABLE = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj
trailer << /Root 1 0 R >>
%%EOF
"""


def wrong_offset():
    """Object 3's row points at object 2: a reader finds 3 by searching, i.e. guessing."""
    data = by_hand({1: CATALOG, 2: PAGES, 3: PAGE})
    rows = data.index(b"xref\n0 4\n") + len(b"xref\n0 4\n")  # rows of 20 bytes
    return data[: rows + 60] + data[rows + 40 : rows + 60] + data[rows + 80 :]


def encrypted():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("", "chu-so-huu")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(written()[:-300], "pdf_damaged", id="truncated"),
        pytest.param(MINIMAL_WITHOUT_TABLE, "pdf_damaged", id="no-cross-reference-table"),
        pytest.param(wrong_offset(), "pdf_damaged", id="offset-repaired-by-search"),
        pytest.param(b"%PDF-1.7\n" + b"\x00" * 64, "pdf_damaged", id="header-only"),
        pytest.param(
            written().replace(b"\n", b"\n% padding\n", 1), "pdf_damaged", id="shifted-offsets"
        ),
        pytest.param(
            by_hand({1: CATALOG, 2: PAGES, 3: PAGE, 4: b"[" * 5000 + b"]" * 5000}),
            "pdf_damaged",
            id="nested-too-deep",
        ),
        pytest.param(encrypted(), "pdf_encrypted", id="encrypted"),
    ],
)
def test_files_that_need_guessing_are_refused(data, code):
    assert refusal(data) == code


def test_an_object_stream_that_does_not_inflate_is_refused():
    data = packed({3: PAGE}, {1: CATALOG, 2: PAGES})
    start = data.index(b"stream\n", data.index(b"/ObjStm")) + len(b"stream\n")
    broken = data[:start] + b"\x00\x01" + data[start + 2 :]
    assert refusal(broken) == "pdf_damaged"


def test_a_repair_refuses_the_file_whatever_the_sites_log_level():
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        assert refusal(wrong_offset()) == "pdf_damaged"
    finally:
        root.setLevel(level)


def test_a_repair_warning_refuses_only_in_the_thread_that_reads_the_file():
    logger = logging.getLogger("pypdf._reader")
    with warnings_refused():
        other = threading.Thread(target=logger.warning, args=("someone else's file",))
        other.start()
        other.join()
    with pytest.raises(PdfRefused) as caught, warnings_refused():
        logger.warning("Object 3 0 ref repaired")
    assert caught.value.code == "pdf_damaged"


# Bounds


def test_too_many_objects_is_refused_before_they_are_read():
    objects = {1: CATALOG, 2: PAGES, 3: PAGE} | dict.fromkeys(range(4, 60), b"<< >>")
    small = PdfLimits(max_objects=50, max_pages=10, max_inflated=1024 * 1024)
    assert refusal(by_hand(objects), small) == "pdf_too_complex"
    check_pdf(by_hand(objects), PdfLimits(max_objects=59, max_pages=10, max_inflated=1024))


def test_too_many_pages_is_refused():
    small = PdfLimits(max_objects=1000, max_pages=5, max_inflated=1024)
    check_pdf(written(pages=5), small)
    assert refusal(written(pages=6), small) == "pdf_too_complex"


@pytest.mark.parametrize("size", [1000, 3000])
def test_object_streams_inflate_within_one_budget_for_all(size):
    padding = b"(" + b"a" * size + b")"
    data = packed({3: PAGE}, {1: CATALOG, 2: PAGES, 4: padding, 5: padding})
    budget = PdfLimits(max_objects=100, max_pages=10, max_inflated=5000)
    if size == 1000:
        check_pdf(data, budget)
    else:
        assert refusal(data, budget) == "pdf_too_complex"


def test_a_compressed_bomb_is_refused_as_too_complex():
    bomb = packed({3: PAGE}, {1: CATALOG, 2: PAGES, 4: b"(" + b"a" * 20_000_000 + b")"})
    assert len(bomb) < 100_000
    assert refusal(bomb) == "pdf_too_complex"


# Through the upload check


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (written(pages=1, edit=document_open_action), "pdf_unsafe"),
        (encrypted(), "pdf_encrypted"),
        (MINIMAL_WITHOUT_TABLE, "pdf_damaged"),
        (written(pages=3), "pdf_too_complex"),
    ],
)
def test_the_upload_check_refuses_with_the_reason_in_vietnamese(data, code):
    with override_settings(DANVAN_PDF_MAX_PAGES=2), pytest.raises(UploadRejected) as caught:
        check_upload("don.pdf", data)
    assert caught.value.code == code
    with translation.override("vi"):
        assert caught.value.message.startswith("Tệp don.pdf ")


def test_null_objects_in_action_slots_pass():
    def null_action(writer):
        writer._root_object[NameObject("/OpenAction")] = NullObject()

    check_pdf(written(edit=null_action), LIMITS)
