"""Who may do what to disputes. Scope (which disputes) lives in ``selectors.visible_disputes``."""

from __future__ import annotations

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User

from .choices import Channel, DisputeStatus
from .models import Dispute

# The channel a role records through. A party files for themself; institutions file in batch.
CHANNELS_BY_ROLE: dict[str, frozenset[str]] = {
    Role.PARTY: frozenset({Channel.SELF_SERVICE, Channel.BATCH}),
    Role.GRID_WORKER: frozenset({Channel.GRID_WORKER}),
    Role.CENTRE_STAFF: frozenset({Channel.GOVERNANCE_CENTRE, Channel.PETITION}),
    Role.ORG_ADMIN: frozenset({Channel.MEDIATION_ORG}),
    Role.MEDIATOR: frozenset({Channel.MEDIATION_ORG}),
    Role.CLERK: frozenset({Channel.COURT_WINDOW, Channel.BATCH}),
}

# Roles whose work needs the full ID number, phone and address of the parties (service of
# documents, registration, enforcement, calling the parties to mediation). Every such read is
# audited. Others see masked values.
FULL_PERSONAL_DATA_ROLES = frozenset({Role.CLERK, Role.JUDGE, Role.ENFORCEMENT, Role.MEDIATOR})


def allowed_channels(user: User) -> frozenset[str]:
    return CHANNELS_BY_ROLE.get(user.role, frozenset())


def can_record(user: User, channel: str) -> bool:
    return channel in allowed_channels(user)


def can_add_evidence(user: User, dispute: Dispute) -> bool:
    """Anyone who sees the dispute and works on it may add evidence; leaders only look."""
    return user.role in {
        Role.PARTY, Role.GRID_WORKER, Role.MEDIATOR, Role.ORG_ADMIN, Role.CENTRE_STAFF, Role.CLERK, Role.JUDGE
    }


def can_edit_details(user: User, dispute: Dispute) -> bool:
    """Details are corrected while the dispute is only recorded, by the recorder or court staff."""
    if dispute.status != DisputeStatus.RECORDED:
        return False
    return dispute.recorded_by_id == user.pk or user.role in {Role.CLERK, Role.CENTRE_STAFF}


def sees_full_personal_data(user: User) -> bool:
    return user.role in FULL_PERSONAL_DATA_ROLES


def can_follow_up(user: User, dispute: Dispute) -> bool:
    """Grid workers and the people working a dispute note visits, calls and checks on its timeline."""
    return user.role in {Role.GRID_WORKER, Role.MEDIATOR, Role.ORG_ADMIN, Role.CENTRE_STAFF, Role.CLERK}
