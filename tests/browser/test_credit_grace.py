"""A debtor with no assets: grace period → 限制消费 → the debtor pays within the grace period → nothing is
listed; and the grid worker's report page at phone size (390×844)."""

from __future__ import annotations

import pytest

from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.assistance import services as assistance
from suyuan.assistance.models import AssistTask
from suyuan.enforcement.credit_choices import CreditMeasureStatus, GraceStatus
from suyuan.enforcement.models import CreditGrace, CreditMeasure
from suyuan.enforcement.tests.conftest import make_performing
from suyuan.enforcement.tests.credit_helpers import open_case
from suyuan.notices.models import Notification
from suyuan.testing.factories import PASSWORD, make_user

from .conftest import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 2048


def test_debtor_pays_within_the_grace_period_and_nothing_is_listed(new_page, live_server, world):
    base = live_server.url
    case = open_case(world, make_performing(world))
    debtor = make_user(Role.PARTY, party=case.respondent, username="debtor1", full_name=case.respondent.name)

    officer = new_page(DESKTOP)
    login(officer, base, "enforcer1", PASSWORD)
    officer.goto(f"{base}/enforcement/cases/{case.pk}/")
    officer.locator("#grace-months").fill("2")
    officer.locator("#grace-reasons").fill("被执行人系个体经营者，名下暂无可供执行财产，表示愿意筹款履行")
    officer.get_by_role("button", name="给予宽限期并告知被执行人").click()
    officer.get_by_text("已给予宽限期，并已告知被执行人。").wait_for()
    grace = CreditGrace.objects.get(case=case)
    assert grace.months == 2 and grace.status == GraceStatus.RUNNING

    officer.get_by_label("被执行人未按执行通知书指定的期间履行生效法律文书确定的给付义务", exact=False).check()
    officer.locator("#notice-due").fill("2026-01-05")
    officer.locator("#restrict-reasons").fill("执行通知书指定期间届满，被执行人未履行")
    officer.get_by_role("button", name="发布限制消费令").click()
    officer.get_by_text("已发布限制消费令。").wait_for()
    restriction = CreditMeasure.objects.get(case=case)
    shot(officer, "credit-grace-restricted")

    # The debtor is told (timeline / notices) what will happen, on their phone.
    phone = new_page(PHONE)
    login(phone, base, "debtor1", PASSWORD)
    phone.goto(f"{base}/disputes/{case.dispute.number}/")
    phone.get_by_text("给予被执行人 2 个月宽限期", exact=False).first.wait_for()
    assert Notification.objects.filter(recipient_user=debtor, event__kind="credit_grace.opened").exists()

    # The debtor pays within the grace period; the officer records it.
    officer.locator(f"#perform-note-{grace.pk}").fill("被执行人已向申请执行人付清全部款项，申请执行人确认")
    officer.get_by_role("button", name="宽限期内已履行完毕").click()
    officer.get_by_text("不予纳入失信被执行人名单", exact=False).first.wait_for()
    shot(officer, "credit-grace-performed")

    grace.refresh_from_db()
    restriction.refresh_from_db()
    assert grace.status == GraceStatus.PERFORMED
    assert restriction.status == CreditMeasureStatus.LIFTED and restriction.end_ground == "performed"
    assert not CreditMeasure.objects.filter(case=case, kind="dishonest_list").exists()
    kinds = set(case.dispute.events.values_list("kind", flat=True))
    assert {"credit_grace.opened", "credit_measure.decided", "credit_grace.perform", "credit_measure.lift"} <= kinds


def test_grid_worker_reports_back_from_a_phone(new_page, live_server, world, tmp_path):
    base = live_server.url
    case = open_case(world, make_performing(world))
    task = assistance.assign_task(actor=world.enforcer, origin=Origin(via="test"), dispute_id=case.dispute_id,
                                  holder=f"enforcement:{case.pk}", party_id=case.respondent_id, kind="locate",
                                  instructions="请核实被执行人现居住地并拍照")
    photo = tmp_path / "site.jpg"
    photo.write_bytes(JPEG)

    page = new_page(PHONE)
    login(page, base, "grid1", PASSWORD)
    page.goto(f"{base}/assistance/")
    page.get_by_text("查找下落").first.click()
    page.get_by_role("button", name="接收任务").click()
    page.get_by_text("已接收任务。").wait_for()
    page.get_by_label("反馈情况").fill("已见到被执行人本人，其称本月底前筹款")
    page.get_by_label("位置说明").fill("长胜街道测试社区3号楼")
    page.set_input_files("#photos", str(photo))
    button = page.get_by_role("button", name="提交反馈")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 48 and box["width"] >= 300  # big tap target, one column
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    button.click()
    page.get_by_text("反馈已提交", exact=False).wait_for()
    shot(page, "assistance-report-phone")
    task.refresh_from_db()
    assert task.status == "reported" and task.photos.count() == 1

    officer = new_page(DESKTOP)
    login(officer, base, "enforcer1", PASSWORD)
    officer.goto(f"{base}/enforcement/cases/{case.pk}/")
    officer.get_by_text("已见到被执行人本人", exact=False).wait_for()
    assert AssistTask.objects.get().report.startswith("已见到")
