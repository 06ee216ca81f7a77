"""Files of a letter form kept between tries."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HeldFile(models.Model):
    """A checked file of a letter form that came back with an error, kept for the next try.

    Bound to the form's token and to the session that sent it (`holder`, a random value kept
    in that session); always sealed, as the letter may still become a denunciation. Deleted
    once the letter is sent, when removed on the form, or after a day (cases.held).
    """

    token = models.CharField(max_length=64)
    holder = models.CharField(max_length=64)
    file = models.FileField(upload_to="held/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("file kept for a letter form")
        verbose_name_plural = _("files kept for letter forms")
        indexes = [
            models.Index(fields=["holder", "token"], name="held_file_form"),
            models.Index(fields=["created_at"], name="held_file_age"),
        ]

    def __str__(self) -> str:
        return self.name
