"""The demo's public query code works on the public page and is printed with the demo accounts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from suyuan.demo import portal
from suyuan.demo.seed import format_accounts, seed_demo


@pytest.mark.django_db
def test_the_printed_demo_code_opens_the_public_page(client):
    seed_demo(disputes=50)
    line = next(line for line in format_accounts().splitlines() if "查询码" in line)
    number = line.split("纠纷编号 ")[1].split()[0]
    assert portal.DEMO_CODE in line and portal.PUBLIC_PATH in line
    page = client.post(reverse("portal:public"), {"number": number, "code": portal.DEMO_CODE}).content.decode()
    assert 'id="public-nodes"' in page
