from django.apps import AppConfig


class Config(AppConfig):
    """Running an installation: serve, demo data, backup and restore (commands only)."""

    name = "luoshi_web.operations"
    label = "operations"
    verbose_name = "运行维护"
