"""Every allowed and forbidden edge of the preservation lifecycle."""

from __future__ import annotations

import pytest

from suyuan.accounts.choices import Role
from suyuan.disputes.workflow import SYSTEM
from suyuan.preservation.lifecycle import PRESERVATION
from suyuan.testing import lifecycles

from .helpers import pre_suit

ROLES = [Role.PARTY, Role.MEDIATOR, Role.CLERK, Role.JUDGE, Role.ENFORCEMENT, Role.LEADER, SYSTEM]


def actors(world):  # type: ignore[no-untyped-def]
    return {Role.PARTY: world.party_user, Role.MEDIATOR: world.mediator_user, Role.CLERK: world.clerk,
            Role.JUDGE: world.judge, Role.ENFORCEMENT: world.enforcer, Role.LEADER: world.leader, SYSTEM: None}


@pytest.mark.django_db
@pytest.mark.parametrize("state", PRESERVATION.states.values)
def test_preservation_edges(world, state):  # type: ignore[no-untyped-def]
    p = pre_suit(world)
    checked = lifecycles.walk_state(PRESERVATION, p, state, actors(world))
    assert checked == len(PRESERVATION.actions()) * len(ROLES)


@pytest.mark.django_db
def test_grant_without_security_is_refused_naming_the_article(world):  # type: ignore[no-untyped-def]
    from suyuan.common.errors import InvalidInput
    from suyuan.disputes.workflow import apply
    from suyuan.preservation.models import Preservation

    p = pre_suit(world)
    Preservation.objects.filter(pk=p.pk).update(status="accepted", security_amount=None)
    with pytest.raises(InvalidInput, match="第一百零四条"):
        apply(PRESERVATION, p, "grant", actor=world.judge, origin=lifecycles.ORIGIN)
    p.refresh_from_db()
    assert p.status == "accepted"
