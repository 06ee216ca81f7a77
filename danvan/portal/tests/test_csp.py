"""Content Security Policy: every page has the header, and no page needs an inline script.

Crawls the pages each demo role reaches by following links from its home page (plus a few
starting points: the public pages, the admin, the API docs, the 2FA pages), and checks the
HTML: no <script> without src or with a body, no on*= handler, no <style> element and no
style attribute (the policy allows neither inline scripts nor inline styles).
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.accounts.roles import Role
from danvan.core.downloads import SANDBOX

pytestmark = pytest.mark.django_db
MAX_PAGES = 70  # per role: every kind of page is a few links from the home page
SKIP = ("/accounts/logout/", "/i18n/", "/static/", "/media/", "/api/v1/openapi.json")
PUBLIC = ["/", "/gui-don/", "/tra-cuu/", "/lich-tiep-cong-dan/", "/doi-thoai/", "/units/",
          "/accounts/login/", "/accounts/signup/", "/api/v1/docs"]  # fmt: skip
HOMES = {
    None: PUBLIC,
    Role.CITIZEN: ["/accounts/", "/don-cua-toi/"],
    Role.ADMINISTRATOR: ["/staff/", "/admin/", "/admin/accounts/user/add/"],
}
POLICY = {
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
    "frame-ancestors 'none'", "form-action 'self'", "base-uri 'self'",
}  # fmt: skip


class InlineCode(HTMLParser):
    """Collects what a strict CSP would block in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.links: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script":
            self._in_script = True
            if not names.get("src"):
                self.problems.append("<script> without src")
        if tag == "style":
            self.problems.append("<style> element")
        for name, _value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=>")
            if name == "style":
                self.problems.append(f"<{tag} style=>")
        if tag == "a" and names.get("href"):
            self.links.append(str(names["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append(f"inline script body {data.strip()[:40]!r}")


def check(client: Client, path: str) -> list[str]:
    """The page's problems; its same-site links are returned after them, marked."""
    response = client.get(path)
    if response.status_code in (301, 302):
        return [f"link:{response.url}"]
    header = response.headers.get("Content-Security-Policy", "")
    if response.headers.get("Content-Disposition", "").startswith("attachment"):
        return [] if header == SANDBOX else ["download without the sandbox policy"]
    problems = [] if {d.strip() for d in header.split(";")} >= POLICY else ["CSP header"]
    if "text/html" not in response.headers.get("Content-Type", ""):
        return problems
    parser = InlineCode()
    parser.feed(response.content.decode())
    return problems + parser.problems + [f"link:{link}" for link in parser.links]


def crawl(client: Client, starts: list[str]) -> tuple[set[str], dict[str, list[str]]]:
    seen: set[str] = set()
    queue = deque(starts)
    found: dict[str, list[str]] = {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        for item in check(client, path):
            if not item.startswith("link:"):
                found.setdefault(path, []).append(item)
                continue
            link, _ = urldefrag(item[5:])
            parts = urlsplit(link)
            if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if not target.startswith(SKIP) and target not in seen:
                queue.append(target)
    return seen, found


@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: str(r or "anonymous"))
def test_every_page_a_role_reaches_has_the_policy_and_no_inline_code(client_as, role):
    client = client_as(role)
    starts = HOMES.get(role, ["/staff/"]) + PUBLIC
    seen, found = crawl(client, starts)
    assert len(seen) >= 8
    assert found == {}


def test_the_two_factor_pages_have_the_policy_and_no_inline_code(client_as, demo_user):
    client = client_as(Role.HEAD)
    session = client.session
    session.pop(DEVICE_ID_SESSION_KEY)
    session.save()
    problems = check(client, "/accounts/two-factor/")
    TOTPDevice.objects.filter(user=demo_user(Role.HEAD)).delete()
    problems += check(client, "/accounts/two-factor/setup/")
    assert [p for p in problems if not p.startswith("link:")] == []


def test_the_api_docs_start_from_a_static_script(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/api/swagger-init.js" in html
    assert 'data-settings="{' in html
