from django.apps import AppConfig


class AssetsConfig(AppConfig):
    """财产查控: asset search and control through one adapter, shared by preservation and enforcement."""

    name = "suyuan.assets"
    label = "assets"
    verbose_name = "财产查控"

    def ready(self) -> None:
        from . import expiry, lifecycle  # noqa: F401 - registers the lifecycles for workflow_docs and tests

        expiry.connect()
