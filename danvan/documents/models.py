"""Templates an administrator uploaded to replace the default ones."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .filling import DocumentKind, template_problem

MAX_TEMPLATE_MB = 5


class DocumentTemplate(models.Model):
    """A replacement DOCX template for one kind of document; at most one per kind."""

    kind = models.CharField(
        _("kind of document"), max_length=30, choices=DocumentKind.choices, unique=True
    )
    file = models.FileField(
        _("template file"),
        upload_to="document_templates/",
        validators=[FileExtensionValidator(["docx"])],
        help_text=_("A Word (.docx) file with the fields of this kind of document."),
    )
    note = models.CharField(
        _("note"), max_length=250, blank=True, help_text=_("For example what was changed and why.")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    is_active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("Not ticked: documents of this kind use the default template."),
    )

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["kind"]

    def __str__(self) -> str:
        return str(DocumentKind(self.kind).label)

    def clean(self) -> None:
        """Refuse a file that is not a DOCX template filling a document of this kind."""
        if self.kind not in DocumentKind.values or not self.file:
            return  # the field errors already say what is wrong
        if self.file.size > MAX_TEMPLATE_MB * 1024 * 1024:
            raise ValidationError(
                {
                    "file": ValidationError(
                        _("The file is larger than %(limit)s MB."),
                        params={"limit": MAX_TEMPLATE_MB},
                    )
                }
            )
        problem = template_problem(self.kind, self._read_file())
        if problem:
            message = _("This file is not a Word (.docx) template that can be filled: %(error)s")
            raise ValidationError({"file": ValidationError(message, params={"error": problem})})

    def _read_file(self) -> bytes:
        # As Django's image dimensions do: leave the file open or closed as it was found,
        # so that a new upload is still there for the save that follows.
        was_closed = self.file.closed
        self.file.open("rb")
        try:
            data: bytes = self.file.read()
        finally:
            if was_closed:
                self.file.close()
            else:
                self.file.seek(0)
        return data


class DocumentNumber(models.Model):
    """The running number of an agency's outgoing documents in a year ("Số: 12/TB-UBND").

    Its table was created by cases, which numbered documents before this app did.
    """

    agency = models.ForeignKey("places.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "cases_documentnumber"
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="document_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"
