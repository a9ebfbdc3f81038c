"""What the navigation shows for the signed-in user's role (the pages check again themselves)."""

from __future__ import annotations

from django.http import HttpRequest

from .choices import CASE_ROLES, Role

RECORDING_ROLES = {Role.GRID_WORKER, Role.CLERK, Role.CENTRE_STAFF, Role.ORG_ADMIN, Role.MEDIATOR, Role.PARTY}
IMPORT_ROLES = {Role.CLERK, Role.PARTY}
NETWORK_ROLES = {Role.CLERK, Role.JUDGE, Role.ENFORCEMENT, Role.LEADER, Role.CENTRE_STAFF, Role.ORG_ADMIN}


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    role = getattr(user, "role", "")
    return {
        "nav": {
            "cases": role in CASE_ROLES,
            "record": role in RECORDING_ROLES,
            "import": role in IMPORT_ROLES,
            "network": role in NETWORK_ROLES,
            "audit": role == Role.AUDITOR,
            "second_factor": role == Role.SECURITY_ADMIN,
            "groups": role in {Role.CLERK, Role.JUDGE},
            "mediation": role in {Role.MEDIATOR, Role.ORG_ADMIN, Role.PARTY, Role.CENTRE_STAFF, Role.CLERK},
            "litigation": role in {Role.CLERK, Role.JUDGE, Role.PARTY},
            "enforcement": role in {Role.ENFORCEMENT, Role.PARTY, Role.CLERK, Role.JUDGE},
            "similar": role in {Role.CLERK, Role.JUDGE, Role.MEDIATOR},
            "governance": role == Role.LEADER,
            "voice": role in {Role.PARTY, Role.MEDIATOR, Role.ORG_ADMIN, Role.JUDGE, Role.LEADER, Role.DEPUTY,
                              Role.CENTRE_STAFF, Role.CLERK},
        }
    }
