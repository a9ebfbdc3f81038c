"""Builders shared by the voice tests: a dispute whose mediation has just closed, a deputy."""

from __future__ import annotations

from suyuan.accounts.choices import Role
from suyuan.mediation import services as mediation
from suyuan.mediation.tests.helpers import ORIGIN, accepted_referral, recorded_dispute, respondent_user  # noqa: F401
from suyuan.testing.factories import make_user
from suyuan.voice.choices import DeputyKind
from suyuan.voice.models import DeputyProfile


def failed_mediation(world):  # type: ignore[no-untyped-def]
    """A referral the mediator ended (调解不成): the mediation stage is closed."""
    referral = accepted_referral(world)
    mediation.fail_referral(actor=world.mediator_user, origin=ORIGIN, referral_id=referral.pk,
                            reason="双方分歧较大，调解不成")
    referral.refresh_from_db()
    return referral


def make_deputy(name: str = "马代表", kind: str = DeputyKind.NPC, body: str = "石嘴山市人大常委会"):  # type: ignore[no-untyped-def]
    user = make_user(Role.DEPUTY, full_name=name)
    DeputyProfile.objects.create(user=user, kind=kind, body=body)
    return user
