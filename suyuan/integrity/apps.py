from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "suyuan.integrity"
    verbose_name = "诉讼诚信与类案"

    def ready(self) -> None:
        from suyuan.common.management.commands.requeue_tasks import register_requeued
        from suyuan.disputes.events import register_event_sink
        from suyuan.disputes.importing import register_import_finished

        from .tasks import ARRIVALS, on_event, on_import_finished

        # The disputes app does not know this app (layering): it calls the hooks registered here.
        register_event_sink(on_event)
        register_import_finished(on_import_finished)
        register_requeued("suyuan.integrity.tasks.check_pending", ARRIVALS.flag.requeued)
