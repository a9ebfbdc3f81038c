from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "suyuan.governance"
    verbose_name = "诉源治理"

    def ready(self) -> None:
        # The fact tables follow every timeline event in the event's own transaction (the
        # layering rule: disputes does not import us; we register a sink).
        from suyuan.disputes.events import register_event_sink

        from . import facts, lifecycle  # noqa: F401  (registers the suggestion lifecycle)

        register_event_sink(facts.record_event, bulk=facts.record_events)

        from .figures import register_figure_section, voice_section

        register_figure_section(voice_section)
