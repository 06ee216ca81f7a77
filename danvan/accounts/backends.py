"""Sign-in by e-mail address or Vietnamese mobile number."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from .models import User
from .phone import looks_like_phone, normalize_phone


def canonical_identifier(raw: str) -> str:
    """The stored form of what a person types in the login box (for lookup and throttling)."""
    text = raw.strip()
    if looks_like_phone(text):
        try:
            return normalize_phone(text)
        except ValidationError:
            return text
    return text.lower()


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """django-axes counts failures per canonical identifier, so '0912…' and '+84912…' are one."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return canonical_identifier(str(raw))


class EmailOrPhoneBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        identifier = canonical_identifier(username)
        field = "phone" if identifier.startswith("+84") else "email"
        user = User.objects.filter(**{field: identifier}).first()
        if user is None:
            User().set_password(password)  # same work as a real check, so timing tells nothing
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
