from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "suyuan.documents"
    label = "documents"
    verbose_name = "诉讼文书"

    def ready(self) -> None:
        from . import stage_rows

        stage_rows.register()
