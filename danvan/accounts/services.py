"""Writes for accounts."""

from django.db import transaction

from .models import User


def citizen_register(
    *, full_name: str, email: str | None, phone: str | None, password: str
) -> User:
    """Create a citizen's account. Inputs are already validated by `SignupForm`."""
    with transaction.atomic():
        return User.objects.create_user(
            email=email, password=password, full_name=full_name.strip(), phone=phone
        )
