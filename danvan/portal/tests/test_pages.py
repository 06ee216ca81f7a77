import os
import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from testsupport.queries import queries_of

pytestmark = pytest.mark.django_db


def test_home_is_vietnamese_by_default():
    text = Client().get("/").content.decode()
    assert '<html lang="vi">' in text
    assert "Tiếng nói của bạn đến với chính quyền" in text


def test_home_is_english_when_the_browser_asks():
    text = Client(headers={"accept-language": "en-US,en;q=0.9"}).get("/").content.decode()
    assert '<html lang="en">' in text
    assert "Your voice reaches the government" in text


def test_language_switch_remembers_the_choice():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/units/"})
    assert response.status_code == 302
    assert response.url == "/units/"
    assert "Look up a commune or ward" in client.get("/units/").content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Tra cứu xã, phường" in client.get("/units/").content.decode()


def test_unit_lookup_shows_the_successor_of_an_old_commune():
    text = Client().get("/units/", {"q": "hien nam"}).content.decode()
    assert "Phường Hiến Nam" in text
    assert "Phường Phố Hiến" in text


def test_unit_lookup_partial_for_htmx_has_no_page_shell():
    response = Client().get("/units/", {"q": "pho hien"}, headers={"hx-request": "true"})
    text = response.content.decode()
    assert "Phường Phố Hiến" in text
    assert "<html" not in text


def test_unit_lookup_query_count_does_not_grow_with_results():
    """One commune found or twenty: the same queries; with old units among them (their
    successors read too), the same again whether five are old or six."""
    found = []

    def lookup(q):
        page = Client().get("/units/", {"q": q}, headers={"hx-request": "true"}).content.decode()
        found.append((page.count("<tr>") - 1, page.count("tag-old")))  # minus the header row

    counts = [queries_of(partial(lookup, q)) for q in ("pho hien", "hien", "hong chau", "xa")]
    assert found == [(1, 0), (20, 0), (8, 5), (20, 6)]  # 20: as many as the lookup shows
    assert counts[0] == counts[1]
    assert counts[2] == counts[3]


def test_pages_use_only_local_assets():
    text = Client().get("/").content.decode()
    assert "http://" not in text.replace("http://www.w3.org", "")
    assert "https://" not in text


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_translations_are_complete(language):
    po = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    if language == settings.LANGUAGE_CODE:
        assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr


def test_every_string_in_the_code_has_a_vietnamese_translation(tmp_path):
    """Extract messages afresh in a copy of the sources: nothing may come out untranslated."""
    root = Path(settings.BASE_DIR)
    for name in ("danvan", "config", "locale"):
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(root / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"},
    )
    po = tmp_path / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr, "run makemessages and translate the new strings"
    assert "fuzzy" not in result.stderr
