"""Attached PDFs, read with a real parser and refused when they could act on their own.

An officer opens what a citizen attached. A PDF can carry scripts, start programs, open
links, submit forms, play media and carry other files, and can do so without a click when
the document or a page opens. We read the file with pypdf in strict mode and look at every
object in its cross-reference table, those packed in compressed object streams included,
so neither compression, a long dictionary nor a name tree can hide an action from us.

We refuse rather than guess: a file pypdf cannot read without repairing it, an encrypted
file, or one past the limits below is refused, because another reader might repair it
differently and find what we did not see. Nothing is rendered and no content stream is
decoded; only the object streams are inflated, within a budget.

Pure Python (no Django): the limits come in as arguments; `uploads.py` maps each reason
code to the citizen's message.
"""

import io
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pypdf import Configuration, PdfReader, apply_configuration, get_configuration
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

# The names below are from ISO 32000-2 (PDF 2.0); clause numbers in brackets.
REFUSED_KEYS = frozenset(
    {
        "/JS",  # a JavaScript action's script [12.6.4.17]
        "/JavaScript",  # the document's name tree of scripts [7.7.4]
        "/AA",  # additional actions: document, page, annotation and field events [12.6.3]
        "/EmbeddedFiles",  # the name tree of attached files [7.7.4]
        "/EF",  # a file specification's embedded file streams [7.11.4]
        "/XFA",  # XML forms, with scripts of their own [12.7.9]
        "/RichMediaContent",  # RichMedia annotations' assets and scripts [13.7]
        "/RichMediaSettings",
    }
)
# Any action that reaches outside the document, runs or plays something [12.6.4].
REFUSED_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/URI",
        "/GoToR",
        "/GoToE",
        "/GoToDp",
        "/ImportData",
        "/SubmitForm",
        "/ResetForm",
        "/RichMediaExecute",
        "/Sound",
        "/Movie",
        "/Rendition",
        "/GoTo3DView",
    }
)
# In the slots that hold actions, only a jump inside the document passes (an allow-list).
ACTION_KEYS = frozenset({"/A", "/OpenAction", "/Next", "/PA"})
ALLOWED_ACTIONS = frozenset({"/GoTo"})
# Annotations and objects that are attachments or media players in themselves [12.5.6].
REFUSED_SUBTYPES = frozenset(
    {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}
)
REFUSED_TYPES = frozenset({"/EmbeddedFile"})  # an attached file's own stream [7.11.4]
PYPDF_LOGGER = "pypdf"
# The repair warnings below must be emitted whatever LOG_LEVEL the site runs with.
logging.getLogger(PYPDF_LOGGER).setLevel(logging.WARNING)


@dataclass(frozen=True)
class PdfLimits:
    max_objects: int  # indirect objects, those in object streams included
    max_pages: int
    max_inflated: int  # bytes of object streams inflated, all together


class PdfRefused(Exception):
    """`code` is one of pdf_unsafe, pdf_encrypted, pdf_damaged, pdf_too_complex."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_pdf(data: bytes, limits: PdfLimits) -> None:
    """Returns for a PDF we accept; raises PdfRefused with the reason otherwise."""
    try:
        with warnings_refused(), apply_configuration(_configuration(limits)):
            _check_reader(PdfReader(io.BytesIO(data), strict=True), limits)
    except PdfRefused:
        raise
    except LimitReachedError as exc:  # one of pypdf's own ceilings, a bomb as a rule
        raise PdfRefused("pdf_too_complex") from exc
    except Exception as exc:  # pypdf and the standard library raise many kinds on bad files
        raise PdfRefused("pdf_damaged") from exc


def _configuration(limits: PdfLimits) -> Configuration:
    # pypdf's own per-stream ceilings, brought down to ours.
    return get_configuration().with_overwrites(
        zlib_maximum_output_length=limits.max_inflated,
        lzw_maximum_output_length=limits.max_inflated,
        run_length_maximum_output_length=limits.max_inflated,
    )


def _check_reader(reader: PdfReader, limits: PdfLimits) -> None:
    if reader.is_encrypted:
        raise PdfRefused("pdf_encrypted")
    references = list(_references(reader))
    if len(references) > limits.max_objects:
        raise PdfRefused("pdf_too_complex")
    _inflate_object_streams(reader, limits.max_inflated)
    if len(reader.pages) > limits.max_pages:
        raise PdfRefused("pdf_too_complex")
    _check_object(reader.trailer)
    for reference in references:
        _check_object(reader.get_object(reference))


def _references(reader: PdfReader) -> Iterator[IndirectObject]:
    """Every object the cross-reference tables list, loose or packed in an object stream."""
    for generation, numbers in reader.xref.items():
        for number in numbers:
            yield IndirectObject(number, generation, reader)
    for number in reader.xref_objStm:
        yield IndirectObject(number, 0, reader)


def _inflate_object_streams(reader: PdfReader, budget: int) -> None:
    """Inflates each object stream once, within one budget for all of them; pypdf keeps
    the inflated bytes, so reading the objects afterwards inflates nothing again."""
    for number in sorted({stream for stream, _index in reader.xref_objStm.values()}):
        stream = reader.get_object(number)
        if not isinstance(stream, DictionaryObject) or not hasattr(stream, "get_data"):
            raise PdfRefused("pdf_damaged")
        budget -= len(stream.get_data())
        if budget < 0:
            raise PdfRefused("pdf_too_complex")


def _check_object(root: PdfObject | None) -> None:
    """One object and everything written inside it. References are not followed here:
    each referenced object is checked as an object of its own."""
    pending: list[PdfObject | None] = [root]
    while pending:
        value = pending.pop()
        if isinstance(value, DictionaryObject):
            _check_dictionary(value)
            pending.extend(value.values())
        elif isinstance(value, ArrayObject):
            pending.extend(value)


def _check_dictionary(dictionary: DictionaryObject) -> None:
    if (
        not REFUSED_KEYS.isdisjoint(dictionary.keys())
        or _name(dictionary, "/S") in REFUSED_ACTIONS
        or _name(dictionary, "/Subtype") in REFUSED_SUBTYPES
        or _name(dictionary, "/Type") in REFUSED_TYPES
    ):
        raise PdfRefused("pdf_unsafe")
    for key in ACTION_KEYS.intersection(dictionary.keys()):
        _check_action(dictionary[key])


def _name(dictionary: DictionaryObject, key: str) -> str | None:
    # Resolved: `/S 7 0 R` must not hide what object 7 says (pypdf's `.get` does not resolve).
    value = dictionary.get(key)
    value = value.get_object() if isinstance(value, IndirectObject) else value
    return str(value) if isinstance(value, NameObject) else None


def _check_action(value: PdfObject) -> None:
    """An action slot may hold a jump inside the document. It may also hold what is not
    an action at all: a destination (/OpenAction), attribute objects (/A of a tagged
    PDF's structure element); an action is a dictionary with /S [12.6.2]."""
    # /Next may list actions; /A of a structure element may list attribute objects.
    each = [item.get_object() for item in value] if isinstance(value, ArrayObject) else [value]
    for action in each:
        if (
            isinstance(action, DictionaryObject)
            and "/S" in action
            and _name(action, "/S") not in ALLOWED_ACTIONS
        ):
            raise PdfRefused("pdf_unsafe")


@contextmanager
def warnings_refused() -> Iterator[None]:
    """pypdf warns, even in strict mode, where it repairs a file (an object found by
    searching the bytes, say). A repair is a guess, so a warning refuses the file. Only
    this thread's warnings count: other requests parse their own files meanwhile."""
    handler = _ThreadWarnings(threading.get_ident())
    logger = logging.getLogger(PYPDF_LOGGER)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.seen:
        raise PdfRefused("pdf_damaged")


class _ThreadWarnings(logging.Handler):
    def __init__(self, thread: int) -> None:
        super().__init__(logging.WARNING)
        self.thread = thread
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.seen = True
