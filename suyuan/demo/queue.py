"""Saved workbench views for the demo's court staff, so the queue opens with a few useful tabs."""

from __future__ import annotations

from suyuan.disputes.models import SavedQueueView

from .network import Network

VIEWS = {
    "clerk_dwk": [("三日内到期", "queue=all&due_within=3&sort=deadline"),
                  ("新登记·标的额高→低", "queue=new&sort=-amount")],
    "judge_dwk": [("已超期", "queue=all&overdue=on&sort=deadline")],
}


def seed(net: Network) -> None:
    for username, views in VIEWS.items():
        user = net.users.get(username)
        if user is None:
            continue
        for name, query in views:
            SavedQueueView.objects.get_or_create(user=user, name=name, defaults={"query": query})
