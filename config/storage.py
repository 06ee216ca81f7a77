"""Where attachments and documents are stored: a directory, or an S3-compatible bucket.

A directory (`DANVAN_MEDIA_ROOT`) serves one machine, or several sharing it over NFS or
CephFS. Naming a bucket (`DANVAN_S3_BUCKET`) stores every file in S3-compatible object
storage instead (MinIO, Ceph RGW, a cloud's), through django-storages. Files are never
served from the bucket: every download goes through a view that checks who may see it, so
the bucket stays private and no link to it is ever handed out.
"""

from typing import Any

from config.env import env_int, env_str

S3_BACKEND = "storages.backends.s3.S3Storage"


def media_storage(media_root: str) -> dict[str, Any]:
    """The `default` entry of STORAGES, from the environment."""
    bucket = env_str("DANVAN_S3_BUCKET")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": media_root}}  # fmt: skip
    from botocore.config import Config

    # A failing endpoint must fail the request within seconds (the letter's form comes back,
    # see danvan.core.storage), not hold a web thread through botocore's default retries.
    client = Config(
        connect_timeout=env_int("DANVAN_S3_CONNECT_TIMEOUT", 5),
        read_timeout=env_int("DANVAN_S3_READ_TIMEOUT", 30),
        retries={"max_attempts": env_int("DANVAN_S3_ATTEMPTS", 3), "mode": "standard"},
    )
    options = {
        "bucket_name": bucket,
        "endpoint_url": env_str("DANVAN_S3_ENDPOINT_URL") or None,
        "region_name": env_str("DANVAN_S3_REGION") or None,
        "access_key": env_str("DANVAN_S3_ACCESS_KEY") or None,  # or *_FILE; else boto3's chain
        "secret_key": env_str("DANVAN_S3_SECRET_KEY") or None,
        "location": env_str("DANVAN_S3_PREFIX"),  # a folder in a shared bucket
        "addressing_style": env_str("DANVAN_S3_ADDRESSING_STYLE") or None,  # "path" for MinIO
        "default_acl": None,  # the bucket's policy decides: keep it private
        "querystring_auth": True,  # should a URL ever be made, it is signed and short-lived
        "querystring_expire": 300,
        "file_overwrite": False,  # a name already taken gets another, never overwritten
        "client_config": client,
    }
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
