"""Attachments in an S3-compatible bucket (`DANVAN_S3_BUCKET`), against moto's S3 in process:
the settings read from the environment, a letter's files stored in the bucket and read back
through the access-checked view, a denunciation's scan sealed in the bucket, backup and
restore, /readyz, and a bucket that refuses writes."""

import pytest
from django.test import Client

from config.storage import S3_BACKEND, media_storage
from danvan.accounts.roles import Role
from danvan.cases.models import Attachment, Case
from danvan.cases.tests.letters import submit_letter
from danvan.cases.tests.test_intake import photo
from danvan.cases.tests.test_views import form_data
from danvan.core import sealed
from danvan.core.uploads import check_upload
from danvan.ops.tests.s3_support import BUCKET, ENDPOINT, objects
from danvan.places.models import Unit


def test_without_a_bucket_files_go_to_the_media_directory(monkeypatch):
    monkeypatch.delenv("DANVAN_S3_BUCKET", raising=False)
    entry = media_storage("/srv/danvan/media")
    assert entry["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert entry["OPTIONS"] == {"location": "/srv/danvan/media"}


def test_a_bucket_from_the_environment_is_private_and_never_overwritten(s3_env):
    entry = media_storage("/unused")
    options = entry["OPTIONS"]
    assert entry["BACKEND"] == S3_BACKEND
    assert (options["bucket_name"], options["endpoint_url"]) == (BUCKET, ENDPOINT)
    assert options["secret_key"] == "minio-secret-key"  # from the *_FILE, stripped
    assert (options["default_acl"], options["file_overwrite"]) == (None, False)
    assert options["client_config"].retries == {"max_attempts": 3, "mode": "standard"}


@pytest.mark.django_db
def test_a_letters_photo_is_stored_in_the_bucket_and_read_back_by_its_handler(bucket, client_as):
    unit = Unit.objects.get(level="commune", code="11953", valid_until=None)
    response = Client().post("/gui-don/", form_data(unit, attachments=[photo()]))
    assert response.status_code == 302
    attachment = Case.objects.get().attachments.get()
    stored = objects(bucket)
    assert list(stored) == [attachment.file.name]
    assert stored[attachment.file.name][:3] == b"\xff\xd8\xff"  # the cleaned JPEG itself
    handler = client_as(Role.HANDLING_OFFICER)
    download = handler.get(f"/staff/cases/{attachment.case_id}/files/{attachment.pk}/")
    assert download.status_code == 200
    assert download.content == stored[attachment.file.name]


@pytest.mark.django_db
def test_a_denunciations_scan_is_sealed_before_it_reaches_the_bucket(bucket):
    unit = Unit.objects.get(level="commune", code="11953", valid_until=None)
    scan = check_upload("to-cao.jpg", photo().read())
    case = submit_letter(kind="denunciation", title="Tố cáo", content="Cán bộ xã nhận tiền.",
                       unit=unit, name="Người tố cáo", phone="+84912345678", files=[scan])  # fmt: skip
    attachment = case.attachments.get()
    in_bucket = objects(bucket)[attachment.file.name]
    assert scan.data not in in_bucket
    assert sealed.open_bytes(in_bucket) == scan.data


@pytest.mark.django_db
def test_readyz_writes_and_deletes_its_probe_in_the_bucket(bucket, client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"]["media"] == "ok"
    assert objects(bucket) == {}  # the probe is gone
    bucket.delete_bucket(Bucket=BUCKET)  # the check goes through the bucket: now it fails
    response = client.get("/readyz")
    assert (response.status_code, response.json()["failing"]) == (503, ["media"])


@pytest.mark.django_db
def test_a_bucket_that_refuses_writes_keeps_the_letter_typed_and_stores_nothing(bucket):
    bucket.delete_bucket(Bucket=BUCKET)  # the storage is misconfigured or down
    unit = Unit.objects.get(level="commune", code="11953", valid_until=None)
    response = Client().post("/gui-don/", form_data(unit, attachments=[photo()]))
    assert response.status_code == 503
    assert "Rác không được thu gom ba ngày nay" in response.content.decode()
    assert (Case.objects.count(), Attachment.objects.count()) == (0, 0)
