import boto3
import pytest
from django.conf import settings
from django.test import override_settings
from moto import mock_aws

from config.storage import media_storage
from danvan.cases.tests.letters import submit_letter
from danvan.places.models import Unit

from .s3_support import BUCKET, ENDPOINT


@pytest.fixture
def letters(db):
    """`letters(n)`: n feedback letters filed through the web form's service."""

    def make(n):
        unit = Unit.objects.get(level="commune", code="11953", valid_until=None)
        return [
            submit_letter(
                kind="feedback", title=f"Đèn đường hỏng {i}", unit=unit,
                content="Đèn đường trước nhà số 12 phố Nguyễn Văn Linh hỏng hai tuần nay.",
            )
            for i in range(n)
        ]  # fmt: skip

    return make


@pytest.fixture
def s3_env(monkeypatch, tmp_path):
    secret = tmp_path / "s3-secret"
    secret.write_text("minio-secret-key\n")
    monkeypatch.setenv("DANVAN_S3_BUCKET", BUCKET)
    monkeypatch.setenv("DANVAN_S3_ENDPOINT_URL", ENDPOINT)
    monkeypatch.setenv("DANVAN_S3_REGION", "us-east-1")
    monkeypatch.setenv("DANVAN_S3_ACCESS_KEY", "minio-access-key")
    monkeypatch.setenv("DANVAN_S3_SECRET_KEY_FILE", str(secret))
    monkeypatch.setenv("DANVAN_S3_ADDRESSING_STYLE", "path")
    monkeypatch.setenv("MOTO_S3_CUSTOM_ENDPOINTS", ENDPOINT)


@pytest.fixture
def bucket(s3_env):
    """moto's S3 with an empty private bucket; the default storage made from the environment."""
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1", endpoint_url=ENDPOINT)
        client.create_bucket(Bucket=BUCKET)
        storages = {**settings.STORAGES, "default": media_storage("/unused")}
        with override_settings(STORAGES=storages):
            yield client
