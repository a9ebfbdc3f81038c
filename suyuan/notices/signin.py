"""What the party sign-in (``accounts.party_signin``) needs from above the accounts app: the party
register and the SMS gateway. Plugged in by ``NoticesConfig.ready()``."""

from __future__ import annotations

from django.db import transaction

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.common.errors import InvalidInput
from suyuan.parties.choices import PartyKind
from suyuan.parties.models import Party

from .adapters import DeliveryError, sms_gateway
from .recipients import mobile_or_blank


def find_party(phone: str, id_number: str) -> int | None:
    """The natural person with this ID number, if the phone on file is the same mobile number."""
    party = Party.objects.filter(kind=PartyKind.NATURAL, id_number=id_number).first()
    if party is None or mobile_or_blank(party.phone) != phone:
        return None
    return party.pk


def ensure_party_user(party_id: int) -> User:
    """The party's account, created at their first sign-in (no password: they sign in by code)."""
    with transaction.atomic():
        party = Party.objects.select_for_update().get(pk=party_id)
        user = User.objects.filter(party=party).first()
        if user is not None:
            return user
        base = f"p{party.pk}"
        username, n = base, 1
        while User.objects.filter(username=username).exists():
            n += 1
            username = f"{base}-{n}"
        user = User(username=username, role=Role.PARTY, party=party, full_name=party.name,
                    phone=mobile_or_blank(party.phone))
        user.set_unusable_password()
        user.save()
        return user


def send_sign_in_code(key: str, phone: str, text: str) -> None:
    try:
        sms_gateway().send(key=key, phone=phone, text=text)
    except DeliveryError as exc:
        raise InvalidInput("验证码短信发送失败，请稍后重试。") from exc
