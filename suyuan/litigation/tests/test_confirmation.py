"""Judicial confirmation (民特): joint application within 30 days of the agreement taking effect
(民诉法 第二百零五条), acceptance within 3 days and ruling within 15 (+10) days (法释〔2011〕5号)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from suyuan.common.errors import InvalidInput, NotFound
from suyuan.disputes.models import Clock, Dispute
from suyuan.litigation import confirmation
from suyuan.litigation.agreements import AgreementInfo
from suyuan.litigation.choices import ConfirmationStatus
from suyuan.rules import periods

from .helpers import ORIGIN, make_dispute


@pytest.fixture
def settled(world, monkeypatch):
    def make(effective_on: date):
        dispute = make_dispute(world)
        Dispute.objects.filter(pk=dispute.pk).update(status="settled")
        info = AgreementInfo(pk=7, effective_on=effective_on, amount=Decimal("12000"), terms="分两期归还")
        monkeypatch.setattr(confirmation, "effective_agreement", lambda d: info if d.pk == dispute.pk else None)
        return dispute
    return make


@pytest.mark.django_db
def test_application_after_30_days_is_refused_with_the_citation(world, settled):
    today = timezone.localdate()
    deadline = periods.compute("confirmation_application", start=today - timedelta(days=40))
    assert deadline.due < today
    dispute = settled(today - timedelta(days=40))
    with pytest.raises(InvalidInput) as exc:
        confirmation.apply_for_confirmation(actor=world.party_user, origin=ORIGIN, dispute_id=dispute.pk, joint=True)
    assert "超过法定期限" in exc.value.message and "第二百零五条" in exc.value.message
    assert str(deadline.due) in exc.value.message
    assert Dispute.objects.get(pk=dispute.pk).status == "settled"


@pytest.mark.django_db
def test_application_on_the_last_day_is_accepted(world, settled):
    today = timezone.localdate()  # fixed to a working day by this package's conftest
    # The agreement date whose 30-day period ends exactly today (a holiday may stretch it).
    start = next(
        today - timedelta(days=back) for back in range(30, 45)
        if periods.compute("confirmation_application", start=today - timedelta(days=back)).due == today
    )
    dispute = settled(start)
    app = confirmation.apply_for_confirmation(actor=world.party_user, origin=ORIGIN, dispute_id=dispute.pk, joint=True)
    assert app.status == ConfirmationStatus.APPLIED


@pytest.mark.django_db
def test_a_one_sided_application_is_refused(world, settled):
    dispute = settled(timezone.localdate())
    with pytest.raises(InvalidInput, match="共同申请"):
        confirmation.apply_for_confirmation(actor=world.party_user, origin=ORIGIN, dispute_id=dispute.pk, joint=False)


@pytest.mark.django_db
def test_full_path_accept_number_and_confirm(world, settled):
    dispute = settled(timezone.localdate() - timedelta(days=2))
    app = confirmation.apply_for_confirmation(actor=world.party_user, origin=ORIGIN, dispute_id=dispute.pk, joint=True)
    assert Dispute.objects.get(pk=dispute.pk).status == "in_confirmation"
    acceptance = Clock.objects.get(rule="confirmation_acceptance", object_ref=app.object_ref)
    assert acceptance.due_on == periods.compute("confirmation_acceptance", start=timezone.localdate()).due
    app = confirmation.accept_confirmation(actor=world.clerk, origin=ORIGIN, application_id=app.pk)
    assert app.number == f"（{timezone.localdate().year}）宁0202民特1号"
    ruling = Clock.objects.get(rule="confirmation_ruling", object_ref=app.object_ref, status="open")
    assert ruling.due_on == periods.compute("confirmation_ruling", start=timezone.localdate()).due
    app = confirmation.extend_confirmation_ruling(actor=world.judge, origin=ORIGIN, application_id=app.pk,
                                                  approved_by="钱院长", reason="需要核实协议履行能力")
    ruling.refresh_from_db()
    assert ruling.extended
    assert ruling.due_on == periods.compute("confirmation_ruling", start=timezone.localdate(), extended=True).due
    app = confirmation.decide_confirmation(actor=world.judge, origin=ORIGIN, application_id=app.pk, confirmed=True,
                                           reasons="协议系双方自愿达成，内容不违反法律规定")
    assert app.status == ConfirmationStatus.CONFIRMED
    assert Dispute.objects.get(pk=dispute.pk).status == "performing"


@pytest.mark.django_db
def test_rejection_needs_reasons_and_returns_the_dispute(world, settled):
    dispute = settled(timezone.localdate())
    app = confirmation.apply_for_confirmation(actor=world.party_user, origin=ORIGIN, dispute_id=dispute.pk, joint=True)
    app = confirmation.accept_confirmation(actor=world.clerk, origin=ORIGIN, application_id=app.pk)
    with pytest.raises(InvalidInput):
        confirmation.decide_confirmation(actor=world.judge, origin=ORIGIN, application_id=app.pk, confirmed=False,
                                         reasons=" ")
    app = confirmation.decide_confirmation(actor=world.judge, origin=ORIGIN, application_id=app.pk, confirmed=False,
                                           reasons="协议内容损害案外人合法权益")
    assert app.status == ConfirmationStatus.REJECTED and "案外人" in app.reasons
    assert Dispute.objects.get(pk=dispute.pk).status == "mediation_failed"


@pytest.mark.django_db
def test_another_court_cannot_accept(world, settled):
    dispute = settled(timezone.localdate())
    app = confirmation.apply_for_confirmation(actor=world.party_user, origin=ORIGIN, dispute_id=dispute.pk, joint=True)
    with pytest.raises(NotFound):
        confirmation.accept_confirmation(actor=world.other_clerk, origin=ORIGIN, application_id=app.pk)
