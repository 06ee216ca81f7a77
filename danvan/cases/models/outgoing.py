"""The running numbers of an agency's outgoing documents."""

from django.db import models

from danvan.places.models import Agency


class DocumentNumber(models.Model):
    """The running number of an agency's outgoing documents in a year ("Số: 12/TB-UBND")."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="document_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"
