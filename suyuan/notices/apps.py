from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "suyuan.notices"
    label = "notices"
    verbose_name = "通知推送"

    def ready(self) -> None:
        # The disputes and accounts apps sit below this one and must not import it: they expose
        # hook points, and this app plugs in (outbox rows written with every timeline event; the
        # SMS gateway and party lookup for the party sign-in).
        from suyuan.accounts.party_signin import register_party_signin
        from suyuan.common.management.commands.requeue_tasks import register_requeued
        from suyuan.disputes.events import register_event_sink

        from . import wakeup
        from .services import write_outbox, write_outbox_many
        from .signin import ensure_party_user, find_party, send_sign_in_code

        register_event_sink(write_outbox, bulk=write_outbox_many)
        register_requeued("suyuan.notices.tasks.deliver_due", wakeup.requeued)
        register_party_signin(find_party=find_party, ensure_user=ensure_party_user, send_code=send_sign_in_code)
