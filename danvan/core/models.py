from django.db import models


class Generation(models.Model):
    """A counter other processes watch to learn that data they keep in memory changed."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
