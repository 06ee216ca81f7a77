"""Administrative units (with their history) and the agencies that serve them."""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Two-tier local government: provinces merged (Nghị quyết 202/2025/QH15) and districts
# abolished, with the new communes in force from this date.
REFORM_DATE = date(2025, 7, 1)


class Unit(models.Model):
    """A province, a (pre-2025) district or a commune/ward/special zone, valid for a period.

    Units are never deleted: a letter filed under a pre-2025 address keeps pointing at the
    unit it named, and `UnitSuccession` leads from there to the unit in force today.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District")
        COMMUNE = "commune", _("Commune")

    level = models.CharField(_("level"), max_length=10, choices=Level)
    code = models.CharField(_("code"), max_length=5)
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=100)
    kind = models.CharField(_("type"), max_length=30)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_until = models.DateField(
        _("in force until"), null=True, blank=True, help_text=_("First day no longer in force.")
    )
    folded_name = models.CharField(max_length=120, editable=False, db_index=True)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code"],
                condition=Q(valid_until__isnull=True),
                name="unit_code_in_force_unique",
            ),
            models.UniqueConstraint(
                fields=["level", "code", "valid_until"], name="unit_code_period_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gt=models.F("valid_from")),
                name="unit_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(level__in=["province", "district", "commune"]), name="unit_level_valid"
            ),
        ]
        indexes = [models.Index(fields=["parent", "level"], name="unit_parent_level")]

    def __str__(self) -> str:
        return self.name

    def in_force_on(self, day: date) -> bool:
        starts_ok = self.valid_from is None or self.valid_from <= day
        return starts_ok and (self.valid_until is None or day < self.valid_until)


class UnitSuccession(models.Model):
    """An old unit's territory passing (wholly or in part) to a new unit."""

    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="predecessions")
    is_default = models.BooleanField(
        _("main successor"),
        default=True,
        help_text=_("Where an old unit was split, the successor that takes its records."),
    )
    effective_on = models.DateField(_("effective on"), default=REFORM_DATE)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="unit_succession_unique"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="unit_succession_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class Agency(models.Model):
    """A government body, Party committee or mass organisation that handles or supervises."""

    class Type(models.TextChoices):
        PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
        DEPARTMENT = "department", _("Department")
        RECEPTION_OFFICE = "reception_office", _("Citizen reception office")
        MASS_MOBILISATION = "mass_mobilisation", _("Mass-mobilisation committee")
        FRONT = "front", _("Fatherland Front")
        INSPECTORATE = "inspectorate", _("Inspectorate")
        POLICE = "police", _("Police")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=Type)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    home_unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit it belongs to"),
        on_delete=models.PROTECT,
        related_name="home_agencies",
    )
    served_units = models.ManyToManyField(
        Unit, verbose_name=_("units served"), related_name="serving_agencies", blank=True
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["home_unit"],
                condition=Q(type="peoples_committee"),
                name="agency_one_peoples_committee_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(
                    type__in=[
                        "peoples_committee",
                        "department",
                        "reception_office",
                        "mass_mobilisation",
                        "front",
                        "inspectorate",
                        "police",
                        "other",
                    ]
                ),
                name="agency_type_valid",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="agency_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name
