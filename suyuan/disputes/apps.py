from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "suyuan.disputes"
    label = "disputes"
    verbose_name = "纠纷"

    def ready(self) -> None:
        # Every app's lifecycle module registers its table (workflow.REGISTRY), like admin.py.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("lifecycle")

        # The queue's own bulk action; stage apps register theirs (refer, register …) in their ready().
        from .assignment import ASSIGNER_ROLES, assignee_options, bulk_assign
        from .bulk import register_bulk_action

        register_bulk_action("assign", "分配承办人", ASSIGNER_ROLES, bulk_assign,
                             option_label="承办人", options=assignee_options)
