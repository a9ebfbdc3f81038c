import pytest


@pytest.fixture(autouse=True)
def _local_sms_file_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    """The local SMS gateway appends to VAR_DIR/sms/outbox.jsonl: keep tests out of the real var/."""
    settings.VAR_DIR = tmp_path
