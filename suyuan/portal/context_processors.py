"""The party's navigation: only what a party can use (the import only for an institution's account)."""

from __future__ import annotations

from django.http import HttpRequest

from suyuan.accounts.choices import Role
from suyuan.parties.choices import PartyKind


def party_navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if getattr(user, "role", "") != Role.PARTY:
        return {}
    party = getattr(user, "party", None)
    # disputes.importing refuses natural persons (rows.py): do not offer them the link.
    return {"party_nav": {"import": party is not None and party.kind != PartyKind.NATURAL}}
