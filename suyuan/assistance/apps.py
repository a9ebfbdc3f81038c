from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    """协助任务: tasks a court officer gives the grid worker of a party's grid (locate, check, serve, persuade)."""

    name = "suyuan.assistance"
    label = "assistance"
    verbose_name = "网格协助"

    def ready(self) -> None:
        from suyuan.notices.recipients import register_staff_only_clock

        from . import lifecycle  # noqa: F401  (registers the lifecycle for workflow_docs and the tests)
        from .services import RULE

        register_staff_only_clock(RULE)
