"""`manage.py check --deploy` is clean with production settings from the environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_HTTPS": "true",
    "DJANGO_ALLOWED_HOSTS": "danvan.hungyen.gov.vn",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://danvan.hungyen.gov.vn",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "DANVAN_IDENTITY_KEYS": "ZTJlLW9ubHktaWRlbnRpdHkta2V5LTMyLWJ5dGVzLi4=",
}


def run_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEMO_"))}
    environment.pop("DANVAN_IDENTITY_KEYS_FILE", None)
    environment |= {"DANVAN_VAR_DIR": str(tmp_path), **PRODUCTION, **env}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_check(tmp_path, DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_https_or_with_a_weak_secret(tmp_path):
    result = run_check(tmp_path, DJANGO_SECRET_KEY="short", DJANGO_HTTPS="false")
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W009", "security.W012"):
        assert warning in result.stdout + result.stderr
