"""An official signed in the way a person is: the password form, then the second factor.

The benchmark gives the officer an authenticator device of its own (a fresh TOTP key through
`device_ensure`, as an enrolled official holds one), posts the login form with the demo
password, then posts the code that key shows now to the two-factor page. The session that
comes out is the one a real sign-in leaves: django-otp's verified mark, a cycled key.
"""

import base64
import secrets
from typing import Any
from urllib.parse import urlsplit

LOGIN = "/accounts/login/"
TWO_FACTOR = "/accounts/two-factor/"


class SignInFailed(Exception):
    """A step of the sign-in answered something else than a person would see."""


def signed_in(email: str, *, password: str, lands_on: str = "/staff/") -> Any:
    """A test client through both steps of the sign-in, verified on `lands_on`."""
    from django.test import Client

    from danvan.accounts.models import User
    from danvan.accounts.twofactor import code_now, device_ensure

    secret = base64.b32encode(secrets.token_bytes(20)).decode("ascii")
    device_ensure(User.objects.get(email=email), secret=secret)
    client = Client()
    answer = client.post(LOGIN, {"username": email, "password": password, "next": lands_on})
    step = _redirect(answer, LOGIN)
    if urlsplit(step).path != TWO_FACTOR:
        raise SignInFailed(f"the password step led to {step}, not the second factor")
    answer = client.post(step, {"code": code_now(secret), "next": lands_on})
    if urlsplit(_redirect(answer, TWO_FACTOR)).path != lands_on:
        raise SignInFailed(f"the code was refused: {TWO_FACTOR} led to {answer['Location']}")
    page = client.get(lands_on)
    if page.status_code != 200:
        raise SignInFailed(f"GET {lands_on} answered {page.status_code} after the sign-in")
    return client


def _redirect(answer: Any, url: str) -> str:
    if answer.status_code != 302:
        raise SignInFailed(f"POST {url} answered {answer.status_code}, not a redirect")
    return str(answer["Location"])
