from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "suyuan.documents"
    label = "documents"
    verbose_name = "诉讼文书"
