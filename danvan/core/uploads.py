"""Checks on the files attached to a letter, made on their bytes and never on their names.

The type comes from the content (magic numbers), not from the extension or the browser's
content type. Images are decoded and re-encoded without metadata: a citizen's photo must not
publish where it was taken. PDFs are read with a real parser (`pdf_check.py`) and refused
with scripts, actions or attached files; Office files that unpack into bombs are refused.
One bad file refuses the whole submission, so nothing half-checked is ever saved.
"""

import hashlib
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from . import office_check
from .pdf_check import PdfLimits, PdfRefused, check_pdf

MIB = 1024 * 1024
DEFAULTS = {
    "DANVAN_UPLOAD_MAX_BYTES": 10 * MIB,
    "DANVAN_UPLOAD_MAX_FILES": 5,
    "DANVAN_UPLOAD_MAX_TOTAL_BYTES": 25 * MIB,
    "DANVAN_IMAGE_MAX_PIXELS": 40_000_000,
    "DANVAN_ARCHIVE_MAX_UNCOMPRESSED": 100 * MIB,
    # A 300-page report from Word has a few thousand objects; 20,000 read in about a second.
    "DANVAN_PDF_MAX_OBJECTS": 20_000,
    "DANVAN_PDF_MAX_PAGES": 1000,
    "DANVAN_PDF_MAX_INFLATED": 16 * MIB,  # object streams inflated, all together
}
NAME_MAX = 120
FALLBACK_STEM = "tep-dinh-kem"
JPEG_QUALITY = 88
READ_CHUNK = 64 * 1024
ARCHIVE_MAX_MEMBERS = 1000
ARCHIVE_MAX_RATIO = 100
ARCHIVE_RATIO_FROM = MIB  # a small member that compresses well is XML, not a bomb

TYPES = {  # kind: (extension, content type)
    "jpeg": ("jpg", "image/jpeg"),
    "png": ("png", "image/png"),
    "pdf": ("pdf", "application/pdf"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
IMAGE_KINDS = {"jpeg", "png", "webp"}
IMAGE_EXTENSIONS = {"jpg", "jpeg", "jpe", "png", "webp"}
ARCHIVE_EXTENSIONS = {"zip", "rar", "7z", "gz", "bz2", "xz", "tar", "cab", "jar", "iso"}
PACKAGE_EXTENSIONS = {"docx", "docm", "xlsx", "xlsm", "pptx", "pptm"}  # zips too
ARCHIVE_MAGIC = (  # zip, rar, 7z, gzip, bzip2, xz, cab, zstd
    b"PK\x03\x04",
    b"Rar!",
    b"7z\xbc\xaf'\x1c",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ",
    b"MSCF",
    b"(\xb5/\xfd",
)
# Office's own embedded packages, e.g. the workbook behind a chart in a Word report.
EMBEDDED_PACKAGE = re.compile(r"(?:word|xl)/embeddings/[^/\\]+\.(?:docx|xlsx|pptx)")
# Anything zipfile may raise on a damaged or hostile archive: all of them mean "not a document".
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,
)

MESSAGES = {
    "empty": _("The file %(name)s is empty."),
    "too_large": _("The file %(name)s is larger than %(limit)s MB."),
    "type_not_allowed": _(
        "The file %(name)s is not an image, PDF, Word or Excel document we can accept."
    ),
    "not_an_image": _("The file %(name)s is not a valid image."),
    "image_too_large": _(
        "The image %(name)s is larger than %(limit)s megapixels. Please send a smaller photo."
    ),
    "archive_bomb": _("The file %(name)s looks like a compressed bomb and was refused."),
    "archive_unsafe": _(
        "The file %(name)s contains hidden parts we do not accept. Save it again from Word or Excel and attach it once more."
    ),
    "office_active": _(
        "The file %(name)s contains macros, ActiveX controls, embedded objects or links that run when it is opened; we do not accept them. Save it again as a plain Word (.docx) or Excel (.xlsx) file, or print it to PDF, and attach it once more."
    ),
    "pdf_unsafe": _(
        "The file %(name)s contains scripts, links, actions or attached files we do not accept. Print it again to a plain PDF (Print, then Save as PDF) and attach it once more."
    ),
    "pdf_encrypted": _(
        "The file %(name)s is protected by a password or encrypted. Save it again without a password and attach it once more."
    ),
    "pdf_damaged": _(
        "The file %(name)s is damaged or is not a PDF we can read. Save or print it again as a PDF and attach it once more."
    ),
    "pdf_too_complex": _(
        "The file %(name)s has too many pages or parts for us to check. Split it into smaller files and attach them."
    ),
    "too_many_files": _("You can attach at most %(count)s files."),
    "total_too_large": _("The files together are larger than %(limit)s MB."),
}


@dataclass(frozen=True)
class CleanFile:
    name: str  # basename only, extension from the detected type
    content_type: str  # from the content, never from the client
    data: bytes  # images re-encoded without metadata
    sha256: str
    size: int


class UploadRejected(Exception):
    """A file we refuse: `code` is for programs and logs, `message` for the citizen."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        # Formatted when read, so it comes out in the language active at that moment.
        return str(MESSAGES[self.code]) % self.params


def check_uploads(files: list[tuple[str, bytes]]) -> list[CleanFile]:
    """All the files of one submission, or an UploadRejected for the first bad one."""
    check_totals(len(files), sum(len(pair[1]) for pair in files))
    return [check_upload(name, data) for name, data in files]


def check_totals(count: int, size: int) -> None:
    """The limits on one submission's files together (with those kept from a try before)."""
    most = _setting("DANVAN_UPLOAD_MAX_FILES")
    if count > most:
        raise UploadRejected("too_many_files", count=most)
    total = _setting("DANVAN_UPLOAD_MAX_TOTAL_BYTES")
    if size > total:
        raise UploadRejected("total_too_large", limit=_megabytes(total))


def check_upload(name: str, data: bytes) -> CleanFile:
    shown = _display_name(name)
    if not data:
        raise UploadRejected("empty", name=shown)
    limit = _setting("DANVAN_UPLOAD_MAX_BYTES")
    if len(data) > limit:
        raise UploadRejected("too_large", name=shown, limit=_megabytes(limit))
    kind, data = _check_content(name, shown, data)
    extension, content_type = TYPES[kind]
    return CleanFile(
        name=_safe_name(name, extension),
        content_type=content_type,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )


def form_files(
    uploads: Sequence[UploadedFile[bytes]], form: Any, field: str
) -> list[CleanFile] | None:
    """A form's files checked by content; None, with the reason on `form`'s `field`, when
    any is bad: one bad file refuses the whole submission. The count is checked before any
    file is read, so fifty files are not read only to be refused."""
    try:
        most = _setting("DANVAN_UPLOAD_MAX_FILES")
        if len(uploads) > most:
            raise UploadRejected("too_many_files", count=most)
        return check_uploads([(f.name or "", read_limited(f)) for f in uploads])
    except UploadRejected as error:
        form.add_error(field, error.message)
        return None


def read_limited(uploaded_file: UploadedFile[bytes], limit: int | None = None) -> bytes:
    """The file's bytes, refused as soon as they pass the limit, without reading the rest."""
    limit = _setting("DANVAN_UPLOAD_MAX_BYTES") if limit is None else limit
    shown = _display_name(uploaded_file.name or "")
    too_large = UploadRejected("too_large", name=shown, limit=_megabytes(limit))
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise too_large
    buffer = bytearray()
    for chunk in uploaded_file.chunks(READ_CHUNK):
        buffer += chunk
        if len(buffer) > limit:
            raise too_large
    return bytes(buffer)


def _setting(key: str) -> int:
    return int(getattr(settings, key, DEFAULTS[key]))


def _megabytes(size: int) -> str:
    return _number(size / MIB)


def _number(value: float) -> str:
    # Three significant digits: "10", "25", "0.5"; in Vietnamese "0,5".
    return number_format(Decimal(f"{value:.3g}"))


# Content


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _check_content(name: str, shown: str, data: bytes) -> tuple[str, bytes]:
    """The detected kind and the bytes to keep."""
    kind = _sniff(data)
    if kind in IMAGE_KINDS:
        return _clean_image(shown, data, kind)
    if kind == "pdf":
        _check_pdf(shown, data)
        return kind, data
    if kind == "zip":
        return _check_office(shown, data), data
    if office_check.ole_has_macros(data):
        raise UploadRejected("office_active", name=shown)
    # An "anh.jpg" that is something else gets the message a citizen understands.
    code = "not_an_image" if _extension(name) in IMAGE_EXTENSIONS else "type_not_allowed"
    raise UploadRejected(code, name=shown)


# Names


def _display_name(name: str) -> str:
    """The client's name without folders or invisible characters: safe to show and to store."""
    base = re.split(r"[/\\]", name)[-1]
    base = unicodedata.normalize("NFC", base)  # macOS sends Vietnamese letters decomposed
    # Control and format characters include U+202E, which makes "gpj.exe" read "exe.jpg".
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C" and c not in '<>:"|?*')
    return " ".join(base.split()).strip(" .")[:NAME_MAX]


def _extension(name: str) -> str:
    base = _display_name(name)
    return base.rpartition(".")[2].lower() if "." in base else ""


def _safe_name(name: str, extension: str) -> str:
    stem, dot, old = _display_name(name).rpartition(".")
    if not (dot and old.isascii() and old.isalnum() and len(old) <= 5):
        stem = stem + dot + old  # no extension to replace
    stem = stem[: NAME_MAX - len(extension) - 1].rstrip(" .") or FALLBACK_STEM
    return f"{stem}.{extension}"


# Images


def _clean_image(shown: str, data: bytes, kind: str) -> tuple[str, bytes]:
    try:
        return _reencode(shown, data, kind)
    except UploadRejected:
        raise
    except Image.DecompressionBombError as exc:  # past Pillow's own limit
        raise _too_many_pixels(shown) from exc
    except Exception as exc:  # Pillow raises many kinds on a damaged or hostile file
        raise UploadRejected("not_an_image", name=shown) from exc


def _reencode(shown: str, data: bytes, kind: str) -> tuple[str, bytes]:
    with Image.open(io.BytesIO(data), formats=[kind.upper()]) as image:
        if image.width * image.height > _setting("DANVAN_IMAGE_MAX_PIXELS"):
            raise _too_many_pixels(shown)  # only the header is read so far
        image.load()
        upright = ImageOps.exif_transpose(image)
    options = {"dpi": upright.info["dpi"]} if "dpi" in upright.info else {}
    # Pillow copies comments and ICC profiles from .info when saving; keep only transparency.
    upright.info = {k: v for k, v in upright.info.items() if k == "transparency"}
    out = io.BytesIO()
    if kind == "png":
        upright.save(out, "PNG", optimize=True, **options)
        return "png", out.getvalue()
    # WebP becomes JPEG: python-docx (our Word documents) and older Office cannot embed WebP.
    _for_jpeg(upright).save(out, "JPEG", quality=JPEG_QUALITY, **options)
    return "jpeg", out.getvalue()


def _for_jpeg(image: Image.Image) -> Image.Image:
    if image.mode in ("L", "RGB"):
        return image
    if not image.has_transparency_data:
        return image.convert("RGB")
    flat = Image.new("RGB", image.size, "white")
    flat.paste(image, mask=image.convert("RGBA").getchannel("A"))
    return flat


def _too_many_pixels(shown: str) -> UploadRejected:
    limit = _setting("DANVAN_IMAGE_MAX_PIXELS")
    return UploadRejected("image_too_large", name=shown, limit=_number(limit / 1_000_000))


# PDF


def _check_pdf(shown: str, data: bytes) -> None:
    limits = PdfLimits(
        max_objects=_setting("DANVAN_PDF_MAX_OBJECTS"),
        max_pages=_setting("DANVAN_PDF_MAX_PAGES"),
        max_inflated=_setting("DANVAN_PDF_MAX_INFLATED"),
    )
    try:
        check_pdf(data, limits)
    except PdfRefused as refused:
        raise UploadRejected(refused.code, name=shown) from refused


# Word and Excel


def _check_office(shown: str, data: bytes) -> str:
    """DOCX or XLSX, looked at through the zip directory without extracting anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_package(shown, archive, outer=True)  # a macro-enabled one of any kind
            kind = _office_kind(archive.namelist())
            if kind is None:
                raise UploadRejected("type_not_allowed", name=shown)
            return kind
    except ZIP_ERRORS as exc:
        raise UploadRejected("type_not_allowed", name=shown) from exc


def _office_kind(names: list[str]) -> str | None:
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _check_package(shown: str, archive: zipfile.ZipFile, *, outer: bool) -> None:
    members = archive.infolist()
    if (
        len(members) > ARCHIVE_MAX_MEMBERS
        or sum(m.file_size for m in members) > _setting("DANVAN_ARCHIVE_MAX_UNCOMPRESSED")
        or any(_inflates_too_much(m) for m in members)
    ):
        raise UploadRejected("archive_bomb", name=shown)
    for member in members:
        _check_member(shown, archive, member, outer=outer)
    if office_check.active_package(archive, archive.read):
        raise UploadRejected("office_active", name=shown)


def _inflates_too_much(member: zipfile.ZipInfo) -> bool:
    ratio = member.file_size / max(member.compress_size, 1)
    return member.file_size >= ARCHIVE_RATIO_FROM and ratio > ARCHIVE_MAX_RATIO


def _check_member(
    shown: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, outer: bool
) -> None:
    name = member.orig_filename
    if _escapes(name):
        raise UploadRejected("archive_unsafe", name=shown)  # a path out
    head = b"" if member.is_dir() else _head(archive, member)
    if office_check.active_member(name, head):
        raise UploadRejected("office_active", name=shown)  # macros, controls, OLE objects
    if member.is_dir() or not _is_archive(name, head):
        return
    if not (outer and EMBEDDED_PACKAGE.fullmatch(name)):
        raise UploadRejected("archive_unsafe", name=shown)
    with zipfile.ZipFile(io.BytesIO(archive.read(member))) as inner:
        _check_package(shown, inner, outer=False)


def _escapes(name: str) -> bool:
    return (
        name.startswith(("/", "\\"))
        or re.match(r"[A-Za-z]:", name) is not None
        or ".." in re.split(r"[/\\]", name)
    )


def _head(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    with archive.open(member) as opened:
        return opened.read(8)


def _is_archive(name: str, head: bytes) -> bool:
    extension = _extension(name)
    return (
        extension in ARCHIVE_EXTENSIONS
        or extension in PACKAGE_EXTENSIONS
        or head.startswith(ARCHIVE_MAGIC)
    )
