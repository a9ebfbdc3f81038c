"""Network pages: who may open them, what they show, and that phones stay masked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from suyuan.network.tests.test_roster import GOOD, xlsx

ROSTER_PAGES = ["network:roster", "network:roster_import", "network:roster_export"]


@pytest.mark.parametrize("who", ["party_user", "grid_worker"])
@pytest.mark.parametrize("page", ROSTER_PAGES + ["network:grid_workers"])
def test_parties_and_grid_workers_get_a_clear_chinese_refusal(client, world, who, page):
    client.force_login(getattr(world, who))
    response = client.get(reverse(page))
    assert response.status_code == 403
    text = response.content.decode()
    assert "无法完成操作" in text and ("仅向" in text or "只有" in text)


def test_roster_pages_need_a_login(client, world):
    response = client.get(reverse("network:roster"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_roster_lists_mediators_with_masked_phones_and_filters(client, world):
    client.force_login(world.org_admin)
    response = client.get(reverse("network:roster"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "李调解" in text and "139****0099" in text and "13900000099" not in text
    assert 'for="f-q"' in text and reverse("network:roster_import") in text
    assert "李调解" not in client.get(reverse("network:roster"), {"specialty": "medical"}).content.decode()
    assert "李调解" in client.get(reverse("network:roster"), {"specialty": "family", "q": "李"}).content.decode()


def test_the_import_page_shows_each_bad_row(client, world):
    client.force_login(world.org_admin)
    assert client.get(reverse("network:roster_import")).status_code == 200
    upload = xlsx([*GOOD, ["王五", "1234", "人民调解员", "", "", 5, "", ""]])
    upload.name = "名册.xlsx"
    response = client.post(
        reverse("network:roster_import"), {"organisation": world.committee.pk, "file": upload}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "第 4 行" in text and "王五" in text and "新增" in text
    bad_file = client.post(
        reverse("network:roster_import"), {"organisation": world.committee.pk, "file": xlsx([])}
    )
    assert bad_file.status_code == 200  # an empty sheet imports nothing, no error page
    other = client.post(reverse("network:roster_import"), {"organisation": world.dawukou_court.pk, "file": xlsx(GOOD)})
    assert "请选择要导入的名册所属组织" in other.content.decode()


def test_the_export_is_an_excel_download(client, world):
    client.force_login(world.clerk)
    response = client.get(reverse("network:roster_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]


def test_the_organisation_tree_shows_court_codes(client, world):
    client.force_login(world.clerk)
    text = client.get(reverse("network:organisations")).content.decode()
    assert "宁0202" in text and "基层人民法院" in text and "人民调解委员会" in text
    filtered = client.get(reverse("network:organisations"), {"county": "640205000000"}).content.decode()
    assert "惠农区人民法院" in filtered and "大武口区人民法院" not in filtered


def test_grid_workers_are_listed_within_the_centres_region(client, world):
    client.force_login(world.centre_staff)
    text = client.get(reverse("network:grid_workers")).content.decode()
    assert "王网格" in text and "赵网格" not in text  # 大武口 centre: 惠农's grid is out of scope
    client.force_login(world.leader)  # the intermediate court's leader sees the whole city
    text = client.get(reverse("network:grid_workers")).content.decode()
    assert "王网格" in text and "赵网格" in text


def test_status_change_form_round_trips(client, world):
    client.force_login(world.org_admin)
    response = client.post(
        reverse("network:mediator_status", args=[world.mediator.pk]), {"status": "paused", "next": "q=李"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?q=%E6%9D%8E")
    world.mediator.refresh_from_db()
    assert world.mediator.status == "paused"
    client.force_login(world.judge)
    refused = client.post(reverse("network:mediator_status", args=[world.mediator.pk]), {"status": "active"})
    assert refused.status_code in {403, 404}
