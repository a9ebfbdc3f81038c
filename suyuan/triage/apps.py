from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "suyuan.triage"
    label = "triage"
    verbose_name = "繁简分流"

    def ready(self) -> None:
        from suyuan.common.management.commands.requeue_tasks import register_requeued
        from suyuan.disputes.events import register_event_sink
        from suyuan.disputes.importing import register_import_finished

        from .tasks import PROPOSALS, on_event, on_import_finished

        # The disputes app does not know this app (layering): it calls the hooks registered here.
        register_event_sink(on_event)
        register_import_finished(on_import_finished)
        register_requeued("suyuan.triage.tasks.propose_pending", PROPOSALS.flag.requeued)

        from suyuan.disputes.bulk import register_bulk_action

        from .bulk import TRIAGE_ROLES, bulk_confirm

        register_bulk_action("triage_confirm", "采纳分流建议", TRIAGE_ROLES, bulk_confirm)

        from . import stage_rows

        stage_rows.register()
