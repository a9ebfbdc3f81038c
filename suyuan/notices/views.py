"""Pages of the notices app: the inbox (live), its feed, preferences, the demo SMS outbox."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from suyuan.accounts.context import Origin
from suyuan.accounts.http import request_user

from . import selectors, services

_user = request_user


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox(_user(request)), 20).get_page(request.GET.get("page"))
    latest = page.object_list[0].pk if page.number == 1 and page.object_list else 0
    return render(request, "notices/inbox.html", {"page": page, "latest": latest})


@login_required
def feed(request: HttpRequest) -> JsonResponse:
    """Short-polling feed for the inbox page and the top bar: unread count and notices after ``after``."""
    try:
        after = max(0, int(request.GET.get("after", "0")))
    except ValueError:
        after = 0
    user = _user(request)
    # Without ``after`` (the top bar) only the count; with it (the inbox page) the new notices too.
    rows = list(selectors.inbox(user).filter(pk__gt=after)[:20]) if "after" in request.GET else []
    items = [
        {
            "id": n.pk,
            "title": n.title,
            "body": n.body,
            "link": n.link,
            "number": n.dispute.number,
            "at": timezone.localtime(n.delivered_at or n.created_at).strftime("%Y-%m-%d %H:%M"),
        }
        for n in reversed(rows)
    ]
    latest = selectors.inbox(user).values_list("pk", flat=True).first() or 0
    return JsonResponse({"unread": selectors.unread_count(user), "latest": latest, "items": items})


@login_required
@require_POST
def mark_read(request: HttpRequest, notification_id: int | None = None) -> HttpResponse:
    services.mark_read(actor=_user(request), notification_id=notification_id)
    return redirect("notices:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        services.set_preferences(
            actor=user, origin=Origin.from_request(request),
            sms=request.POST.get("sms") == "on", email=request.POST.get("email") == "on",
        )
        return redirect("notices:preferences")
    sms, email = selectors.preference_of(user)
    context = {"sms": sms, "email": email, "records": selectors.deliveries(user)[:30]}
    return render(request, "notices/preferences.html", context)


def sms_outbox(request: HttpRequest) -> HttpResponse:
    """The local SMS gateway's log, for testers of the demo (no real phones). Not in production:
    it shows one-time codes, so it exists only where ``SUYUAN_SMS_OUTBOX_PAGE`` is on (DEBUG)."""
    if not getattr(settings, "SUYUAN_SMS_OUTBOX_PAGE", settings.DEBUG):
        raise Http404
    phone = request.GET.get("phone", "").strip()[:20]
    page = Paginator(selectors.sms_outbox(phone), 50).get_page(request.GET.get("page"))
    return render(request, "notices/sms_outbox.html", {"page": page, "phone": phone})
