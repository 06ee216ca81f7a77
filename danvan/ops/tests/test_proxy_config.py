"""The reverse proxy that `make run-prod` and the soak start (deploy.nginx)."""

import re

from deploy.nginx import write_config


def test_an_application_503_is_passed_on_and_never_marks_web_processes_down(tmp_path):
    # A 503 says the database or the storage is briefly away, for every web process alike:
    # retried elsewhere and counted as failures, it would mark them all down.
    path = write_config(tmp_path / "nginx", listen="127.0.0.1:8000",
                        upstreams=["127.0.0.1:8011", "127.0.0.1:8012"],
                        static_root=tmp_path / "static", body_limit_bytes=1 << 20)  # fmt: skip
    text = path.read_text()
    [retry_on] = re.findall(r"proxy_next_upstream ([^;]+);", text)
    assert retry_on.split() == ["error", "timeout", "http_502"]
