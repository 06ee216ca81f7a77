"""Attachments are judged by their bytes: what passes is clean, what fails says why."""

import hashlib
import io
import random
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.test import override_settings
from django.utils import translation
from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from danvan.core.tests.pdfs import CATALOG, PAGE, PAGES, by_hand
from danvan.core.uploads import (
    MESSAGES,
    MIB,
    UploadRejected,
    check_upload,
    check_uploads,
    read_limited,
)

PDF = by_hand({1: CATALOG, 2: PAGES, 3: PAGE})
DOCX_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def image(fmt="JPEG", size=(40, 20), color="red", mode="RGB", **save):
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt, **save)
    return out.getvalue()


def noise_jpeg():
    pixels = random.Random(0).randbytes(64 * 64 * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (64, 64), pixels).save(out, "JPEG")
    return out.getvalue()


def srgb_profile():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def package(members, main="word/document.xml"):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        archive.writestr(main, b"<w:document/>")
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def rejected(name, data):
    with pytest.raises(UploadRejected) as caught:
        check_upload(name, data)
    return caught.value.code


# Images


def test_jpeg_loses_exif_gps_icc_xmp_and_comment_but_still_decodes():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (20.0, 39.0, 0.0),
    }
    icc = srgb_profile()
    xmp = b"<x:xmpmeta>Hung Yen</x:xmpmeta>"
    data = image(exif=exif, icc_profile=icc, xmp=xmp, comment=b"secret")
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    clean = check_upload("IMG_0001.JPG", data)

    assert (clean.name, clean.content_type, clean.size) == (
        "IMG_0001.jpg",
        "image/jpeg",
        len(clean.data),
    )
    for trace in (b"Exif", b"ICC_PROFILE", b"xmpmeta", b"Hung Yen", b"secret", b"Phone"):
        assert trace not in clean.data
    with Image.open(io.BytesIO(clean.data)) as out:
        out.load()
        assert (out.format, out.size) == ("JPEG", (40, 20))
        assert not out.getexif()


def test_png_loses_text_chunks_and_exif_but_keeps_transparency():
    info = PngInfo()
    info.add_text("Author", "Nguyen Van A")
    info.add_itxt("Comment", "Thôn Đông", zip=True)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    data = image(
        "PNG",
        mode="RGBA",
        color=(0, 0, 255, 0),
        pnginfo=info,
        exif=exif,
        icc_profile=srgb_profile(),
    )
    assert all(chunk in data for chunk in (b"tEXt", b"iTXt", b"eXIf", b"iCCP"))

    clean = check_upload("scan.png", data)

    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP", b"Nguyen"):
        assert chunk not in clean.data
    with Image.open(io.BytesIO(clean.data)) as out:
        assert (out.format, out.mode, out.getpixel((0, 0))) == ("PNG", "RGBA", (0, 0, 255, 0))


def test_exif_orientation_is_applied():
    # Left half red, right half blue; orientation 6 means "turn a quarter clockwise to view".
    sideways = Image.new("RGB", (40, 20), "blue")
    sideways.paste("red", (0, 0, 20, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    out = io.BytesIO()
    sideways.save(out, "JPEG", exif=exif, quality=95)

    clean = check_upload("anh.jpg", out.getvalue())

    with Image.open(io.BytesIO(clean.data)) as upright:
        assert upright.size == (20, 40)
        assert upright.getpixel((10, 5)) == pytest.approx((255, 0, 0), abs=40)
        assert upright.getpixel((10, 35)) == pytest.approx((0, 0, 255), abs=40)


def test_webp_becomes_jpeg_on_white():
    data = image("WEBP", mode="RGBA", color=(0, 0, 0, 0), lossless=True)
    clean = check_upload("anh.webp", data)
    assert (clean.name, clean.content_type) == ("anh.jpg", "image/jpeg")
    with Image.open(io.BytesIO(clean.data)) as out:
        assert out.getpixel((0, 0)) == (255, 255, 255)


def test_grayscale_scan_stays_grayscale():
    clean = check_upload("scan.jpg", image(mode="L", color=128, dpi=(300, 300)))
    with Image.open(io.BytesIO(clean.data)) as out:
        assert (out.mode, out.info["dpi"]) == ("L", (300, 300))


@pytest.mark.parametrize(
    ("name", "data", "codes"),
    [
        # A Windows program renamed to look like a photo.
        ("anh.jpg", b"MZ\x90\x00" + bytes(range(256)) * 4, {"not_an_image", "type_not_allowed"}),
        ("anh.jpg", b"\x7fELF" + b"\0" * 100, {"not_an_image", "type_not_allowed"}),
        ("anh.jpg", noise_jpeg()[:600], {"not_an_image"}),
        ("anh.png", image("PNG")[:40], {"not_an_image"}),
        ("anh.jpg", b"\xff\xd8\xff" + b"\0" * 100, {"not_an_image"}),
        ("anh.gif", image("GIF"), {"type_not_allowed"}),
        ("don.exe", b"MZ" + b"\0" * 100, {"type_not_allowed"}),
        ("don.sh", b"#!/bin/sh\nrm -rf /\n", {"type_not_allowed"}),
        ("don.html", b"<html><script>alert(1)</script></html>", {"type_not_allowed"}),
        ("don.rar", b"Rar!\x1a\x07\x00" + b"\0" * 50, {"type_not_allowed"}),
        ("don.7z", b"7z\xbc\xaf\x27\x1c" + b"\0" * 50, {"type_not_allowed"}),
        ("don.txt", "Kính gửi".encode(), {"type_not_allowed"}),
        ("trong.pdf", b"", {"empty"}),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(name, data, codes):
    assert rejected(name, data) in codes


def bomb_png(width, height):
    """A tiny PNG whose header declares width x height."""
    data = bytearray(image("PNG", size=(1, 1)))
    ihdr = bytes(data[12:16]) + struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:33] = ihdr[4:] + struct.pack(">I", zlib.crc32(ihdr))
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "limit"),
    [
        pytest.param(bomb_png(20_000, 20_000), 40_000_000, id="past-pillows-limit"),
        pytest.param(image("PNG", size=(100, 100)), 5_000, id="past-our-setting"),
    ],
)
def test_images_with_too_many_pixels_are_refused(data, limit):
    with override_settings(DANVAN_IMAGE_MAX_PIXELS=limit):
        assert rejected("anh.png", data) == "image_too_large"


# Names


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.png", "passwd.jpg"),
        ("C:\\Users\\An\\Ảnh chụp.PNG", "Ảnh chụp.jpg"),
        ("Ba\u0309n đơn.jpeg", "Bản đơn.jpg"),  # decomposed, as macOS sends it
        ("evil\u202egpj.exe", "evilgpj.jpg"),  # the right-to-left override is dropped
        ("a\x00b\r\nc.jpg", "abc.jpg"),
        ("...", "tep-dinh-kem.jpg"),
        ("", "tep-dinh-kem.jpg"),
        ("Đơn kiến nghị", "Đơn kiến nghị.jpg"),
        ("anh.jpg.exe", "anh.jpg.jpg"),
        ("x" * 300 + ".jpg", "x" * 116 + ".jpg"),
    ],
)
def test_names_are_reduced_to_a_safe_basename_with_the_detected_extension(name, expected):
    assert check_upload(name, image()).name == expected


# PDF (the checks themselves: test_pdf_check.py)


def test_plain_pdf_passes_unchanged():
    clean = check_upload("don.PDF", PDF)
    assert (clean.name, clean.content_type, clean.data) == ("don.pdf", "application/pdf", PDF)


# Word and Excel


def test_minimal_docx_and_xlsx_pass():
    docx = check_upload("bao-cao.zip", package({"word/styles.xml": b"<w:styles/>"}))
    xlsx = check_upload("so-lieu.xlsx", package({}, main="xl/workbook.xml"))
    assert (docx.name, docx.content_type) == (
        "bao-cao.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    assert (xlsx.name, xlsx.content_type) == (
        "so-lieu.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_docx_with_a_chart_workbook_inside_passes():
    workbook = package({}, main="xl/workbook.xml")
    assert check_upload("bao-cao.docx", package({"word/embeddings/Sheet1.xlsx": workbook})).size


def test_zip_bomb_dressed_as_docx_is_refused():
    # One member of 50 MB of zeros, squeezed to about 50 kB: within the total, past the ratio.
    bomb = package({"word/media/image1.png": bytes(50 * MIB)})
    assert len(bomb) < 100 * 1024
    assert rejected("bao-cao.docx", bomb) == "archive_bomb"


def plain_zip(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (package({f"word/part{i}.xml": b"" for i in range(1000)}), "archive_bomb"),
        (package({"word/big.xml": random.Random(0).randbytes(3 * MIB)}), "archive_bomb"),
        (package({"../../evil.sh": b"x"}), "archive_unsafe"),
        (package({"/etc/cron.d/evil": b"x"}), "archive_unsafe"),
        (package({"C:\\evil.bat": b"x"}), "archive_unsafe"),
        (package({"word/vbaProject.bin": b"macro"}), "office_active"),
        (package({"word/media/image1.png": plain_zip({"a.exe": b"MZ"})}), "archive_unsafe"),
        (package({"word/media/x.rar": b"x"}), "archive_unsafe"),
        (package({"word/embeddings/Sheet1.xlsx": package({"a.zip": b"x"})}), "archive_unsafe"),
        (plain_zip({"photo.jpg": image()}), "type_not_allowed"),
        (plain_zip({"[Content_Types].xml": DOCX_TYPES}), "type_not_allowed"),
        (b"PK\x03\x04" + b"\0" * 200, "type_not_allowed"),
        (package({})[:-30], "type_not_allowed"),
    ],
    ids=[
        "1002-members",
        "past-the-total",
        "dot-dot",
        "absolute",
        "drive-letter",
        "macros",
        "zip-dressed-as-png",
        "rar-inside",
        "archive-inside-embedded-workbook",
        "plain-zip",
        "no-main-part",
        "corrupt",
        "truncated",
    ],
)
def test_office_files_that_hide_bombs_or_escapes_are_refused(data, code):
    with override_settings(DANVAN_ARCHIVE_MAX_UNCOMPRESSED=2 * MIB):
        assert rejected("bao-cao.docx", data) == code


# Limits


def test_too_large_file_is_refused_with_the_limit_in_megabytes():
    with override_settings(DANVAN_UPLOAD_MAX_BYTES=MIB):
        assert check_upload("don.pdf", PDF + b" " * (MIB - len(PDF))).size == MIB
        with pytest.raises(UploadRejected) as caught:
            check_upload("don.pdf", PDF + b" " * MIB)
    assert caught.value.code == "too_large"
    with translation.override("en"):
        assert caught.value.message == "The file don.pdf is larger than 1 MB."


def test_too_many_files_is_refused():
    with override_settings(DANVAN_UPLOAD_MAX_FILES=2), pytest.raises(UploadRejected) as caught:
        check_uploads([("a.pdf", PDF), ("b.pdf", PDF), ("c.pdf", PDF)])
    assert caught.value.code == "too_many_files"
    with translation.override("en"):
        assert caught.value.message == "You can attach at most 2 files."


def test_files_together_too_large_are_refused():
    half = PDF + b" " * (MIB // 2)
    with (
        override_settings(DANVAN_UPLOAD_MAX_TOTAL_BYTES=MIB),
        pytest.raises(UploadRejected) as caught,
    ):
        check_uploads([("a.pdf", half), ("b.pdf", half)])
    assert caught.value.code == "total_too_large"


def test_one_bad_file_refuses_the_whole_submission():
    with pytest.raises(UploadRejected) as caught:
        check_uploads([("a.pdf", PDF), ("b.jpg", b"MZ" + b"\0" * 10), ("c.pdf", PDF)])
    assert caught.value.params["name"] == "b.jpg"


def test_good_files_come_back_in_order_with_their_hashes():
    files = check_uploads([("a.pdf", PDF), ("b.jpg", image())])
    assert [f.name for f in files] == ["a.pdf", "b.jpg"]
    assert files[0].sha256 == hashlib.sha256(PDF).hexdigest()


class Endless(io.BytesIO):
    """A stream of zeros with no end, counting what was read from it."""

    read_so_far = 0

    def read(self, size=-1):
        assert size > 0, "reading an endless stream whole"
        self.read_so_far += size
        return bytes(size)


def test_read_limited_stops_soon_after_the_limit():
    stream = Endless()
    upload = UploadedFile(stream, name="video.mp4", size=None)
    with pytest.raises(UploadRejected) as caught:
        read_limited(upload, limit=MIB)
    assert caught.value.code == "too_large"
    assert MIB < stream.read_so_far <= MIB + 64 * 1024


def test_read_limited_trusts_a_known_size_and_reads_small_files_whole():
    with pytest.raises(UploadRejected):
        read_limited(SimpleUploadedFile("big.pdf", bytes(MIB + 1)), limit=MIB)
    with override_settings(DANVAN_UPLOAD_MAX_BYTES=len(PDF)):
        assert read_limited(SimpleUploadedFile("don.pdf", PDF)) == PDF


# Messages


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_formats(code):
    error = UploadRejected(code, name="don.pdf", limit="10", count=5)
    assert "%(" not in error.message


def test_message_is_translated_when_read():
    error = UploadRejected("empty", name="don.pdf")
    with translation.override("en"):
        assert error.message == "The file don.pdf is empty."
