from django.apps import AppConfig


class Config(AppConfig):
    name = "luoshi_web.tracking"
    label = "tracking"
    verbose_name = "进展跟踪"
    default_auto_field = "django.db.models.BigAutoField"
