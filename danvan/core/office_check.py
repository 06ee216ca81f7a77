"""Office files that act when opened: refused, whatever their name says.

A Word or Excel file may carry code (VBA macros in vbaProject.bin, Excel 4.0 macro sheets),
ActiveX controls, embedded OLE objects (which may wrap a program), or relationships that
fetch something when the file opens (a remote template, a linked OLE object, a DDE field).
None of it belongs in a citizen's letter; an officer opening the attachment must not run it.
The checks read the package's directory, its content types and relationships, and the field
codes of the Word parts; old binary Office files (OLE) are never accepted, and one with VBA
is told so. Refuse rather than guess.
"""

import re
import zipfile
from collections.abc import Callable

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Storage names of VBA projects in OLE files (UTF-16 in the directory; ASCII in the stream).
OLE_VBA = tuple(
    marker
    for name in ("_VBA_PROJECT", "VBA", "Macros")
    for marker in (name.encode("utf-16-le"), name.encode("ascii"))
    if len(name) > 3 or marker != b"VBA"  # a bare "VBA" in ASCII is too common a word
)
MACRO_EXTENSIONS = {"docm", "dotm", "xlsm", "xltm", "xlam", "xlsb", "pptm", "potm", "ppsm",
                    "ppam"}  # fmt: skip
ACTIVE_PARTS = re.compile(
    r"(?:^|/)(?:vbaproject|vbadata)[^/]*$|(?:^|/)(?:activex|macrosheets|dialogsheets)/",
    re.IGNORECASE,
)
ACTIVE_TYPES = re.compile(
    rb"macroEnabled|vbaProject|vbaData|ms-office\.activeX|oleObject|macrosheet|dialogsheet",
    re.IGNORECASE,
)
# Relationships to code, controls or OLE objects, wherever they point.
ACTIVE_RELATIONSHIP = re.compile(
    rb'Type="[^"]*/(?:vbaProject|activeX|activeXControlBinary|control|oleObject)"', re.IGNORECASE
)
# Anything outside the file but a hyperlink is fetched when it opens: a remote template, a
# linked OLE object or picture, a subdocument, a frame (and the officer's address leaks).
RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>", re.IGNORECASE)
EXTERNAL = re.compile(rb'TargetMode\s*=\s*"External"', re.IGNORECASE)
HYPERLINK = re.compile(rb'Type\s*=\s*"[^"]*/hyperlink"', re.IGNORECASE)
# A field that runs a program when the document opens or updates: DDE and DDEAUTO.
DDE_FIELD = re.compile(rb'(?:<w:instrText[^>]*>|w:instr=")\s*DDE(?:AUTO)?\b', re.IGNORECASE)
EXCEL_DDE = re.compile(rb"<(?:\w+:)?(?:ddeLink|oleLink)\b")
# A cell formula that starts a program through DDE: =cmd|' /C calc'!A0, =MSEXCEL|'…'!…
EXCEL_DDE_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*>[^<]*?[\w.]+\|\s*(?:'|&apos;|&#39;)")
WORD_PART = re.compile(r"word/[^/]+\.xml", re.IGNORECASE)
SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
EXTERNAL_LINK = re.compile(r"xl/externalLinks/[^/]+\.xml", re.IGNORECASE)


def ole_has_macros(data: bytes) -> bool:
    """An old binary Office file (never accepted) that also carries a VBA project."""
    return data.startswith(OLE_MAGIC) and any(marker in data for marker in OLE_VBA)


def active_member(name: str, head: bytes) -> bool:
    """A package member that is code, a control or an OLE object, by its name or content."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""
    return (
        ACTIVE_PARTS.search(name) is not None
        or extension in MACRO_EXTENSIONS
        or head.startswith(OLE_MAGIC)
    )


def active_package(archive: zipfile.ZipFile, read: Callable[[zipfile.ZipInfo], bytes]) -> bool:
    """Declared active content: macro-enabled or OLE content types, relationships that run
    or fetch something, DDE fields and formulas. `read` gives a member's bytes (sizes checked before)."""
    for member in archive.infolist():
        name = member.orig_filename
        if name == "[Content_Types].xml" and ACTIVE_TYPES.search(read(member)):
            return True
        if name.lower().endswith(".rels") and _active_relationships(read(member)):
            return True
        if WORD_PART.fullmatch(name) and DDE_FIELD.search(read(member)):
            return True
        if EXTERNAL_LINK.fullmatch(name) and EXCEL_DDE.search(read(member)):
            return True
        if SHEET_PART.fullmatch(name) and EXCEL_DDE_FORMULA.search(read(member)):
            return True
    return False


def _active_relationships(rels: bytes) -> bool:
    if ACTIVE_RELATIONSHIP.search(rels):
        return True
    return any(
        EXTERNAL.search(tag) and not HYPERLINK.search(tag) for tag in RELATIONSHIP.findall(rels)
    )
