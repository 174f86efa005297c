from django.apps import AppConfig


class Config(AppConfig):
    name = "luoshi_web.api"
    label = "api"
    verbose_name = "REST API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from luoshi_web.api import signals  # noqa: F401  (a new password ends the tokens)
