from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "luoshi_web.supervision"
    label = "supervision"
    verbose_name = "督查"

    def ready(self) -> None:
        from luoshi_web.supervision import signals  # noqa: F401  (connects the search index)
