"""Several web hosts (issue 16): two gunicorn processes on two ports, each with its own local disk,
behind a round-robin proxy, files on the S3-compatible store. A grid worker records a dispute and
uploads evidence, a clerk opens it and downloads the file: every step works whichever host answers."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from suyuan.disputes.models import Dispute, Evidence
from suyuan.testing import hosts, s3
from suyuan.testing.factories import PASSWORD, make_id_number

from .conftest import CHROMIUM_FLAGS, DESKTOP, PHONE, field, login, shot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _proxy_module():  # type: ignore[no-untyped-def]
    path = Path(__file__).resolve().parents[2] / "scripts" / "lb_proxy.py"
    spec = importlib.util.spec_from_file_location("lb_proxy", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture
def two_hosts(world, s3_url, tmp_path):  # type: ignore[no-untyped-def]
    ports = [hosts.free_port(), hosts.free_port()]
    dirs = [tmp_path / "host-a", tmp_path / "host-b"]
    procs = [hosts.start_web(port, folder, **s3.env(s3_url)) for port, folder in zip(ports, dirs, strict=True)]
    proxy = None
    try:
        for port, proc in zip(ports, procs, strict=True):
            hosts.wait_for_port(port, proc)
            hosts.warm_up(port)
        proxy_port = hosts.free_port()
        proxy, served, journal = _proxy_module().serve(proxy_port, [("127.0.0.1", p) for p in ports])
        yield f"http://127.0.0.1:{proxy_port}", served, journal, dirs
    finally:
        if proxy is not None:
            proxy.shutdown()
        for proc in procs:
            hosts.stop(proc)


def test_two_hosts_behind_a_proxy_share_sessions_and_files(browser, two_hosts, world, s3_url):
    base, served, journal, dirs = two_hosts
    party = world.party_user.party
    contexts = []

    def page(viewport):  # type: ignore[no-untyped-def]
        context = browser.new_context(locale="zh-CN", viewport=viewport, timezone_id="Asia/Shanghai")
        contexts.append(context)
        p = context.new_page()
        p.set_default_timeout(30000)
        return p

    try:
        phone = page(PHONE)
        login(phone, base, "grid1", PASSWORD)  # the login form from one host, its POST to the other
        phone.goto(f"{base}/disputes/new/")
        field(phone, "纠纷类别").select_option(label="借贷债务")
        field(phone, "纠纷发生地").select_option(value=world.grid.code)
        field(phone, "申请人姓名/名称").fill(party.name)
        field(phone, "申请人证件号码").fill(party.id_number)
        field(phone, "申请人联系电话").fill(party.phone)
        field(phone, "被申请人姓名/名称").fill("李四")
        field(phone, "被申请人证件号码").fill(make_id_number(birth="19900215"))
        field(phone, "请求事项").fill("请求被申请人归还借款 8000 元")
        field(phone, "事实与理由").fill("被申请人于2025年5月向申请人借款八千元，约定三个月内归还，至今未还。")
        field(phone, "当事人授权方式").select_option(value="written")
        phone.get_by_role("button", name="提交登记").click()
        phone.wait_for_url(re.compile(r".*/disputes/SY-\d{4}-\d{6}/$"))
        number = Dispute.objects.get().number
        field(phone, "证据文件").set_input_files({"name": "借条.pdf", "mimeType": "application/pdf", "buffer": PDF})
        phone.get_by_role("button", name="上传证据").click()
        phone.get_by_role("link", name="借条.pdf").wait_for()
        shot(phone, "two-hosts-evidence-phone")

        evidence = Evidence.objects.get()
        assert evidence.file.name in s3.keys(s3_url)  # on the shared store …
        assert not [p for d in dirs for p in (d / "files").rglob("*") if p.is_file()]  # … on no host's disk

        desk = page(DESKTOP)
        login(desk, base, "clerk1", PASSWORD)
        desk.locator("#queue").get_by_role("link", name=number).click()
        desk.get_by_role("link", name="借条.pdf").wait_for()
        download = f"/disputes/{number}/evidence/{evidence.pk}/"
        for _ in range(6):  # downloads until each host has served the file once at least
            answer = desk.request.get(f"{base}{download}")
            assert answer.status == 200 and answer.body() == PDF
            if len({host for host, path in journal if path == download}) == 2:
                break
        assert len({host for host, path in journal if path == download}) == 2
        shot(desk, "two-hosts-clerk-desktop")
    finally:
        for context in contexts:
            context.close()
    assert len(served) == 2 and min(served.values()) >= 3  # both hosts answered a share of the pages
