"""Every main page speaks one language: a Vietnamese page has no English word and an English
page no Vietnamese word, outside the data it shows (names, addresses, letters, agencies...).

The check is a heuristic that can fail (the planted-string tests show it does):
- on a Vietnamese page, a word written in plain ASCII letters that is not a Vietnamese
  syllable (`VIETNAMESE_SYLLABLE`), or is one of a few English words shaped like one
  (`ENGLISH_LOOKALIKES`), is English; acronyms (UBND, PDF), codes and numbers are not words;
- on an English page, a word with a Vietnamese letter or tone mark is Vietnamese.
Data is taken out first: every text value of the rows the pages can show (`data_strings`).
"""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client

from danvan.accounts.models import User
from danvan.accounts.roles import Role
from danvan.cases.models import Case
from danvan.deadlines.rules import load_rulebook
from danvan.demo.cases import demo_cases_load
from danvan.demo.dialogues import demo_dialogues_load
from danvan.demo.reception import demo_reception_load
from danvan.dialogues.models import Dialogue
from danvan.places.models import Unit
from danvan.rulebook.words import ARTICLE

pytestmark = pytest.mark.django_db

INITIAL = "(?:ngh|ng|nh|gh|gi|kh|ph|qu|th|tr|ch|[bcdghklmnprstvx])?"
NUCLEUS = "(?:uye|uya|uyu|oai|oay|oeo|uay|uoi|uou|ieu|yeu|uoi|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|ua|ue|ui|uo|uu|uy|ye|[aeiouy])"
FINAL = "(?:ch|ng|nh|[cmnpt]|[iouy])?"
VIETNAMESE_SYLLABLE = re.compile(f"^{INITIAL}{NUCLEUS}{FINAL}$")
# English words shaped like a Vietnamese syllable but not one (ASCII "to", "an", "in", "do"
# are Vietnamese words too, so they cannot be told apart and are left out).
ENGLISH_LOOKALIKES = {"the", "on", "not", "up", "my", "it", "at", "than", "then", "get", "set"}
# Words that are not Vietnamese syllables but belong on a Vietnamese page: loanwords used in
# the administration's own texts, and product names ("PDF, Word or Excel").
ALLOWED_ASCII = {"email", "online", "internet", "zalo", "website", "web", "app", "word", "excel"}
VIETNAMESE_LETTERS = re.compile(
    "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.IGNORECASE
)
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
SHOWN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "data-label"}


class _Text(HTMLParser):
    """The text a person reads or hears: text nodes and labelling attributes, without
    scripts, styles, `<template>` parts and what is marked as another language (`lang`,
    as the language switch is)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._open: list[tuple[str, bool]] = []

    def _skipping(self) -> bool:
        return bool(self._open) and self._open[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        skip = (self._skipping() or tag in {"script", "style", "template"}
                or ("lang" in named and tag != "html"))  # fmt: skip
        if not skip:
            for name, value in attrs:
                if value and (name in SHOWN_ATTRIBUTES or (name == "value" and tag == "button")):
                    self.parts.append(value)
            if tag == "input" and named.get("type") in {"submit", "button"}:
                self.parts.append(named.get("value") or "")
        if tag not in self.VOID:
            self._open.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._skipping() and data.strip():
            self.parts.append(data)


# Django's admin writes these in English whatever the language: its search icon's alt and
# its yes/no icons' alt ("True", "False", "None").
DJANGO_HARD_CODED = re.compile(
    r'((?:search|icon-yes|icon-no|icon-unknown)\.svg[^"]*")\s+alt="(?:Search|True|False|None)"'
)


def page_text(html: str) -> list[str]:
    html = DJANGO_HARD_CODED.sub(r"\1", html)
    parser = _Text()
    parser.feed(html)
    return [" ".join(part.split()) for part in parser.parts]


def data_strings() -> dict[str, list[str]]:
    """Every text value of the project's rows (and Django's users and groups), with the
    users' given names (the admin greets by it) and the platform's name, indexed by their
    first word, longest first, so a name inside a longer title goes with the title."""
    found: set[str] = {settings.DANVAN_SITE_NAME}
    for model in apps.get_models():
        if not model.__module__.startswith(("danvan.", "django.contrib.auth")):
            continue
        fields = [f.name for f in model._meta.get_fields()
                  if isinstance(f, (models.CharField, models.TextField))]  # fmt: skip
        for row in model.objects.values_list(*fields) if fields else []:
            for value in row:
                if isinstance(value, str):
                    found.update(" ".join(line.split()) for line in value.splitlines())
    found.update(name.split()[-1] for name in User.objects.values_list("full_name", flat=True))
    found.update(law_names())
    index: dict[str, list[str]] = {}
    for value in sorted((v for v in found if len(v) >= 2), key=len, reverse=True):
        index.setdefault(value.split()[0], []).append(value)
    return index


def law_names() -> set[str]:
    """The laws the rules cite, by their Vietnamese names: proper names on English pages too
    ("Article 28 of Luật Khiếu nại 2011")."""
    rulebook = load_rulebook()
    bases = {rule.legal_basis for code in rulebook.codes() for rule in rulebook.versions(code)}
    parts = {part.strip() for basis in bases for part in basis.split(";")}
    return {ARTICLE.sub("", part).strip() for part in parts} | set(CITED_IN_MESSAGES)


# Laws our own messages cite by name ("... (Luật Khiếu nại Art. 8)").
CITED_IN_MESSAGES = ("Luật Khiếu nại", "Luật Tố cáo", "Luật Tiếp công dân")


def without_data(parts: list[str], data: dict[str, list[str]]) -> list[str]:
    kept = []
    for part in parts:
        words = {word.strip("()[],.:;·\"'“”") for word in part.split()}
        candidates = {value for word in words for value in data.get(word, ())}
        for value in sorted(candidates, key=len, reverse=True):
            part = part.replace(value, " ")
        kept.append(part)
    return kept


def english_words(parts: list[str]) -> set[str]:
    words = set()
    for part in parts:
        for token in part.split():
            if "@" in token or "/" in token or "." in token.strip(".,:;()!?"):
                continue  # an address, a path or a file name
            for word in WORD.findall(token):
                lower = word.lower()
                if VIETNAMESE_LETTERS.search(word) or word.isupper() or len(word) == 1:
                    continue  # Vietnamese, an acronym (UBND, PDF, OTP), a letter (a, b)
                if lower in ENGLISH_LOOKALIKES or not (
                    VIETNAMESE_SYLLABLE.match(lower) or lower in ALLOWED_ASCII
                ):
                    words.add(word)
    return words


def vietnamese_words(parts: list[str]) -> set[str]:
    return {
        word for part in parts for word in WORD.findall(part) if VIETNAMESE_LETTERS.search(word)
    }


# The heuristics catch a string that slipped through -----------------------------------


def test_a_planted_english_string_on_a_vietnamese_page_is_found():
    html = "<main><h1>Gửi đơn</h1><p>Nội dung đơn</p><button>Select an option</button></main>"
    assert english_words(page_text(html)) == {"Select", "option"}
    assert english_words(page_text("<p>Thời hạn xử lý: 10 ngày (UBND, PDF, SMS)</p>")) == set()


def test_a_planted_vietnamese_string_on_an_english_page_is_found_but_data_is_not():
    html = '<p>Sent to <b>UBND Phường Phố Hiến</b></p><a title="Trả lời">Reply</a>'
    assert vietnamese_words(page_text(html)) == {"Phường", "Phố", "Hiến", "Trả", "lời"}
    kept = without_data(page_text(html), {"UBND": ["UBND Phường Phố Hiến"]})
    assert vietnamese_words(kept) == {"Trả", "lời"}


# The pages -----------------------------------------------------------------------------

PUBLIC = ["/", "/gui-don/", "/tra-cuu/", "/lich-tiep-cong-dan/", "/units/?q=Ph%E1%BB%91+Hi%E1%BA%BFn",
          "/doi-thoai/", "/cam-ket/don-vi/11953/", "/accounts/login/", "/accounts/signup/",
          "/accounts/password-reset/"]  # fmt: skip
CITIZEN = ["/don-cua-toi/", "/accounts/"]
STAFF = {
    Role.RECEPTION_OFFICER: ["/staff/", "/staff/cases/", "/staff/reception/",
                             "/staff/reception/logbook/", "/staff/dialogues/"],
    Role.HANDLING_OFFICER: ["/staff/", "/staff/cases/", "/staff/commitments/", "/accounts/"],
    Role.HEAD: ["/staff/", "/staff/cases/", "/staff/reception/compliance/",
                "/staff/reception/schedules/", "/staff/dialogues/"],
    Role.SUPERVISOR: ["/staff/", "/staff/reception/compliance/", "/staff/evaluation/"],
    Role.AUDITOR: ["/staff/", "/staff/cases/"],
    Role.ADMINISTRATOR: ["/admin/", "/admin/axes/accessattempt/", "/admin/accounts/authenticatorapp/",
                         "/admin/django_tasks_database/dbtaskresult/"],
}  # fmt: skip


@pytest.fixture
def demo_day(demo_user):
    officer = demo_user(Role.HANDLING_OFFICER)
    province = Unit.objects.get(level="province", code="33", valid_until__isnull=True)
    demo_cases_load(count=40, officer=officer, province=province)
    demo_dialogues_load()
    demo_reception_load(months_ahead=1)
    return Case.objects.filter(status="resolved", rating__isnull=False).first()


def pages(demo_user, answered):
    """(who, url) for every main page, a letter's staff and public pages among them."""
    yield None, f"/tra-cuu/{answered.tracking_code}/"
    for url in PUBLIC:
        yield None, url
    for url in CITIZEN:
        yield Role.CITIZEN, url
    for role, urls in STAFF.items():
        for url in urls:
            yield role, url
    yield Role.HANDLING_OFFICER, f"/staff/cases/{answered.pk}/"
    yield Role.HEAD, f"/staff/cases/{answered.pk}/"
    yield Role.RECEPTION_OFFICER, "/staff/cases/new/"
    yield Role.HEAD, "/staff/reception/schedules/new/"
    yield Role.ADMINISTRATOR, "/admin/accounts/user/"
    dialogue = Dialogue.objects.order_by("pk").first()
    yield None, dialogue.get_absolute_url()
    yield Role.HEAD, f"/staff/dialogues/{dialogue.pk}/"


def visit(client_as, role, url, language):
    client = client_as(role)
    response = client.get(url, headers={"accept-language": language})
    assert response.status_code == 200, (role, url, response.status_code)
    return page_text(response.content.decode())


def test_vietnamese_pages_have_no_english_word(client_as, demo_user, demo_day):
    data = data_strings()
    found = {}
    for role, url in pages(demo_user, demo_day):
        words = english_words(without_data(visit(client_as, role, url, "vi"), data))
        if words:
            found[f"{role} {url}"] = sorted(words)
    assert found == {}


def test_english_pages_have_no_vietnamese_word(client_as, demo_user, demo_day):
    data = data_strings()
    found = {}
    for role, url in pages(demo_user, demo_day):
        words = vietnamese_words(without_data(visit(client_as, role, url, "en"), data))
        if words:
            found[f"{role} {url}"] = sorted(words)
    assert found == {}


def test_a_string_planted_in_a_real_page_is_found_in_either_language():
    data = data_strings()
    for language, planted, find, expected in (
        ("vi", "<p>- Select an option -</p>", english_words, {"Select", "option"}),
        ("en", "<p>Gửi đơn thư</p>", vietnamese_words, {"Gửi", "đơn", "thư"}),
    ):
        html = Client().get("/", headers={"accept-language": language}).content.decode()
        assert find(without_data(page_text(html), data)) == set()
        planted_html = html.replace("</main>", planted + "</main>")
        assert find(without_data(page_text(planted_html), data)) == expected
