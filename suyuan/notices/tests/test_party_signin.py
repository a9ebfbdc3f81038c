"""Party sign-in by SMS code: matching, expiry, single use, wrong code, rate limits, lockout."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.models import AuditEntry, SignInCode, User
from suyuan.notices.models import SmsMessage
from suyuan.testing.factories import make_party

pytestmark = pytest.mark.django_db
URL = reverse("accounts:party_login")


def _ask(client, party, ip="10.1.1.1"):  # type: ignore[no-untyped-def]
    return client.post(URL, {"step": "send", "phone": party.phone, "id_number": party.id_number}, REMOTE_ADDR=ip)


def _code(phone: str) -> str:
    text = SmsMessage.objects.filter(phone=phone, key__startswith="otp:").order_by("-pk").first().text
    return re.search(r"验证码为 (\d{6})", text).group(1)


def _enter(client, party, code, ip="10.1.1.1"):  # type: ignore[no-untyped-def]
    data = {"step": "verify", "phone": party.phone, "id_number": party.id_number, "code": code}
    return client.post(URL, data, REMOTE_ADDR=ip)


def test_first_sign_in_creates_the_party_user_and_the_code_is_single_use(client, world):
    party = make_party("马当事", phone="13900000123")
    page = _ask(client, party)
    assert "验证码已发送" in page.content.decode()
    code = _code(party.phone)
    row = SignInCode.objects.get()
    assert code not in (row.code_hash, row.phone_hash) and party.phone not in row.phone_hash  # hashed at rest
    response = _enter(client, party, code)
    assert response.status_code == 302
    user = User.objects.get(party=party)
    assert user.role == Role.PARTY and not user.has_usable_password()
    assert int(client.session["_auth_user_id"]) == user.pk
    client.logout()
    reused = _enter(client, party, code)
    assert "验证码已使用" in reused.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN, actor=user).count() == 1


def test_existing_party_user_signs_in_as_themselves(client, world):
    party = world.party_user.party
    _ask(client, party)
    _enter(client, party, _code(party.phone))
    assert int(client.session["_auth_user_id"]) == world.party_user.pk


def test_unknown_pair_gets_the_same_answer_and_no_sms(client, world):
    party = make_party("牛当事", phone="13900000124")
    page = client.post(URL, {"step": "send", "phone": "13900000125", "id_number": party.id_number})
    assert "验证码已发送" in page.content.decode()  # does not reveal whether the pair matched
    assert not SmsMessage.objects.exists()
    wrong = client.post(URL, {"step": "verify", "phone": "13900000125", "id_number": party.id_number,
                              "code": "123456"})
    assert "验证码不正确" in wrong.content.decode()
    assert "_auth_user_id" not in client.session


def test_expired_code_is_refused(client, world):
    party = make_party("杨当事", phone="13900000126")
    _ask(client, party)
    SignInCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    page = _enter(client, party, _code(party.phone))
    assert "验证码已过期" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_codes_are_audited_and_lock_the_phone(client, world):
    party = make_party("朱当事", phone="13900000127")
    _ask(client, party)
    code = _code(party.phone)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        page = _enter(client, party, wrong)
        assert "验证码不正确" in page.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 5
    assert "13900000127" not in str(list(AuditEntry.objects.values_list("detail", flat=True)))
    locked = _enter(client, party, code)  # even the right code, once locked
    assert "错误次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_requests_are_rate_limited_per_phone_and_per_address(client, world):
    party = make_party("秦当事", phone="13900000128")
    _ask(client, party)
    assert "过于频繁" in _ask(client, party).content.decode()
    for minutes in range(2, 6):  # spread over the hour: passes the resend interval, not the hourly cap
        SignInCode.objects.update(created_at=timezone.now() - timedelta(minutes=minutes * 5))
        _ask(client, party)
    SignInCode.objects.update(created_at=timezone.now() - timedelta(minutes=30))
    assert "次数过多" in _ask(client, party).content.decode()
    assert SmsMessage.objects.filter(phone=party.phone).count() == 5
    for i in range(20):
        other = make_party(f"路人{i}", phone=f"139000002{i:02d}")
        _ask(client, other, ip="10.9.9.9")
    blocked = _ask(client, make_party("路人甲", phone="13900000300"), ip="10.9.9.9")
    assert "当前网络获取验证码次数过多" in blocked.content.decode()


def test_bad_input_is_a_chinese_error_not_a_500(client, world):
    page = client.post(URL, {"step": "send", "phone": "12", "id_number": "abc"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "请填写 18 位公民身份号码" in body and "手机号" in body


def test_login_page_links_to_the_party_sign_in(client):
    assert "当事人短信验证码登录" in client.get(reverse("accounts:login")).content.decode()
