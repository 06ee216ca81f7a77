"""One POST of a letter form (the citizen's, the officer's paper letter, the reception logbook)
and the form shown again when the letter cannot be filed yet.

Each form page carries a fresh token, the letter's idempotency key: a double click or a reload
sends it again and gets the first letter back. A letter changed after it went (the back
button) would carry another letter under the same token: the service refuses it and the form
comes back with the first letter's tracking code and a button that sends the changed letter
as a new one, under the fresh token the button carries. Whatever the reason the form comes
back, what was typed stays in it and the files that passed the content check are kept on the
server (`held`), shown as attached with a box to remove each.
"""

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.accounts.access import AnyUser
from danvan.accounts.models import User
from danvan.core.storage import FORM_MESSAGE, StorageUnavailable
from danvan.core.uploads import CleanFile, UploadRejected, check_totals, check_upload, read_limited

from .access import visible_cases
from .draft import LetterDraft, Sender
from .forms import TOKEN
from .held import files_held, files_hold, files_open, files_rebind, files_release
from .idempotency import IdempotencyKeyReused
from .models import Case, HeldFile

HOLDER_KEY = "danvan_letter_files"  # in the session: whose kept files these are
FILES_FIELD, REMOVE_FIELD, AS_NEW_FIELD = "attachments", "remove_held", "send_as_new"
PERSONAL = ("name", "phone", "email", "address", "id_number")
Uploads = list[UploadedFile[bytes]]
LOST_MESSAGE = _("The file %(name)s could no longer be kept. Please choose it again.")


def token_new() -> str:
    return uuid.uuid4().hex


def posted(request: HttpRequest) -> tuple[QueryDict, str]:
    """The POST under the token it is sent with: the fresh one that the "send as a new letter"
    button carries when it was pressed, and the token that one replaced ("" otherwise)."""
    data = request.POST.copy()
    fresh = (data.pop(AS_NEW_FIELD, None) or [""])[-1]
    if not TOKEN.match(fresh):
        return data, ""
    replaced, data["form_token"] = data.get("form_token", ""), fresh
    return data, replaced


@dataclass(frozen=True)
class Reused:
    """The form's token went with another letter: that letter, and a token to send anew."""

    code: str
    url: str
    fresh_token: str


def reused_for(user: AnyUser, first: Case) -> Reused:
    """An officer who may open the first letter is sent to its page; others to tracking."""
    if visible_cases(user).filter(pk=first.pk).exists():
        url = first.get_absolute_url()
    else:
        url = reverse("cases:track-detail", kwargs={"code": first.tracking_code})
    return Reused(first.tracking_code, url, token_new())


def citizen_draft(data: dict[str, Any], *, citizen: User | None) -> LetterDraft:
    """The citizen's web form (`forms.SubmitForm`), filed from their account if signed in."""
    return _draft(data, citizen=citizen)


def paper_draft(data: dict[str, Any]) -> LetterDraft:
    """A paper letter or a walk-in typed by an officer (`forms.IntakeForm`). The day it was
    received goes into the retry digest: its hour is now when it is today."""
    received_on = data["received_on"]
    return _draft(data, channel=data["channel"], people_count=data["people_count"],
                  received_at=received_at(received_on), extra={"received_on": received_on})  # fmt: skip


def _draft(data: dict[str, Any], **more: Any) -> LetterDraft:
    """What the two forms share; nothing personal when anonymous."""
    anonymous = bool(data["anonymous"])
    sender = Sender() if anonymous else Sender(**{key: data[key] for key in PERSONAL})
    return LetterDraft(kind=data["kind"], title=data["title"], content=data["content"],
                       unit=data["unit"], topic=data["topic"], sender=sender,
                       anonymous=anonymous, place=data["place"], **more)  # fmt: skip


def received_at(received_on: date) -> datetime:
    """Today: now. An earlier day: the start of office hours, so deadlines count from it."""
    if received_on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(received_on, time(8, 0)))


@dataclass
class LetterPost:
    """A letter form as posted: the form, the files kept from earlier tries, the new ones."""

    request: HttpRequest
    form: Any
    template: str
    token: str  # the raw token: files are kept under it even when the form is invalid
    kept: list[HeldFile]
    new: list[CleanFile]
    ready: bool  # a valid form and every file good: the letter can be sent

    @classmethod
    def read(
        cls, request: HttpRequest, form_class: Any, template: str, **kwargs: Any
    ) -> "LetterPost":
        data, replaced = posted(request)
        token = data.get("form_token", "")
        token = token if TOKEN.match(token) else ""
        holder = request.session.get(HOLDER_KEY)
        if replaced and holder and token:
            files_rebind(holder=holder, old=replaced, new=token)
        form = form_class(data, request.FILES, **kwargs)
        valid = form.is_valid()
        kept = _kept(holder, token, request.POST.getlist(REMOVE_FIELD))
        new, problems = _checked(request.FILES.getlist(FILES_FIELD), kept)
        for problem in problems:
            form.add_error(FILES_FIELD, problem)
        return cls(request, form, template, token, kept, new, valid and not problems)

    def send(self, submit: Callable[[list[CleanFile], str], Case]) -> Case | HttpResponse:
        """File the letter through `submit(files, token)`; or the form again, saying why."""
        if not self.ready:
            return self.again(status=422)
        try:
            files = self._files()
            if files is None:
                return self.again(status=422)
            case = submit(files, self.token)
        except IdempotencyKeyReused as error:
            return self.again(status=422, reused=reused_for(self.request.user, error.first))
        except StorageUnavailable:
            return self.again(status=503, stored=False)
        files_release(self.kept)  # they went with the letter
        return case

    def _files(self) -> list[CleanFile] | None:
        """Every file to send: the kept ones and the new ones; None, saying which, when a
        kept file's bytes are lost."""
        opened, lost = files_open(self.kept)
        for row in lost:
            self.form.add_error(FILES_FIELD, LOST_MESSAGE % {"name": row.name})
        files_release(lost)
        self.kept = [row for row in self.kept if row not in lost]
        return None if lost else [*opened, *self.new]

    def again(
        self, *, status: int, reused: Reused | None = None, stored: bool = True
    ) -> HttpResponse:
        """The form again with what was typed, the new files kept for the next try.
        `stored=False`: the storage just failed; nothing more is tried on it."""
        held = list(self.kept)
        if self.new and self.token and stored:
            try:
                held += files_hold(holder=self._holder(), token=self.token, files=self.new)
            except StorageUnavailable:
                stored = False
        if not stored:
            self.form.add_error(None, FORM_MESSAGE)
        context = {"form": self.form, "held_files": held, "reused": reused}
        return render(self.request, self.template, context, status=status)

    def _holder(self) -> str:
        session = self.request.session
        if HOLDER_KEY not in session:
            session[HOLDER_KEY] = secrets.token_hex(16)
        holder: str = session[HOLDER_KEY]
        return holder


def _kept(holder: str | None, token: str, removed: list[str]) -> list[HeldFile]:
    """The files still kept for this form; those ticked for removal are deleted now."""
    held = files_held(holder=holder, token=token)
    files_release(row for row in held if str(row.pk) in removed)
    return [row for row in held if str(row.pk) not in removed]


def _checked(uploads: Uploads, kept: list[HeldFile]) -> tuple[list[CleanFile], list[str]]:
    """The new files that pass, and a message for each one that does not. The limits apply
    to the kept and new files together; the count is checked before any file is read."""
    try:
        check_totals(len(uploads), 0)
    except UploadRejected as error:
        return [], [error.message]
    new, problems = _each_checked(uploads, seen={row.sha256 for row in kept})
    try:
        size = sum(row.size for row in kept) + sum(clean.size for clean in new)
        check_totals(len(kept) + len(new), size)
    except UploadRejected as error:
        return [], [*problems, error.message]
    return new, problems


def _each_checked(uploads: Uploads, seen: set[str]) -> tuple[list[CleanFile], list[str]]:
    good, problems = [], []
    for upload in uploads:
        try:
            clean = check_upload(upload.name or "", read_limited(upload))
        except UploadRejected as error:
            problems.append(error.message)
            continue
        if clean.sha256 not in seen:  # a kept file chosen again goes once
            seen.add(clean.sha256)
            good.append(clean)
    return good, problems
