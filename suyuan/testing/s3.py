"""A local S3-compatible object store for the tests: moto's server, run as a real process.

It stands in for the deployment's object store (MinIO, a cloud bucket) at the system edge: the
code under test talks HTTP to it through django-storages and boto3 exactly as in production.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BUCKET = "suyuan-test-files"
KEYS = {"SUYUAN_S3_ACCESS_KEY": "testing", "SUYUAN_S3_SECRET_KEY": "testing"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def s3_server() -> Iterator[str]:
    """Start ``moto_server`` on a free loopback port, create the bucket, yield the endpoint URL."""
    port = _free_port()
    moto = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen([str(moto), "-H", "127.0.0.1", "-p", str(port)],  # noqa: S603 - fixed argv
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)
        client(url).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "cn-northwest-1"})
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def client(url: str) -> Any:
    import boto3

    return boto3.client("s3", endpoint_url=url, region_name="cn-northwest-1",
                        aws_access_key_id=KEYS["SUYUAN_S3_ACCESS_KEY"],
                        aws_secret_access_key=KEYS["SUYUAN_S3_SECRET_KEY"])


def env(url: str) -> dict[str, str]:
    """The environment that puts a process's files on this store (config/settings/base.py)."""
    return {"SUYUAN_STORAGE": "s3", "SUYUAN_S3_BUCKET": BUCKET, "SUYUAN_S3_ENDPOINT_URL": url, **KEYS}


def storages(url: str) -> dict[str, Any]:
    """STORAGES for ``override_settings`` in this process (the same values as ``env`` gives)."""
    from config.settings.base import default_storage_from_env

    saved = dict(os.environ)
    os.environ.update(env(url))
    try:
        default = default_storage_from_env()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {"default": default, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def keys(url: str) -> list[str]:
    listing = client(url).list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listing.get("Contents", []))
