from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "suyuan.triage"
    label = "triage"
    verbose_name = "繁简分流"
