from django.apps import AppConfig


class Config(AppConfig):
    name = "luoshi_web.documents"
    label = "documents"
    verbose_name = "文件与任务"
    default_auto_field = "django.db.models.BigAutoField"
