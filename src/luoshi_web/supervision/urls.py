from django.urls import path

from luoshi_web.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.overview_page, name="overview"),
    path("remind/", views.remind, name="remind"),
    path("leaders/", views.my_leader_page, name="my-leader"),
    path("leaders/<int:pk>/", views.leader_page, name="leader"),
    path("units/", views.my_unit_page, name="my-unit"),
    path("units/<int:pk>/", views.unit_page, name="unit"),
    path("reminders/<int:pk>/read/", views.reminder_read, name="reminder-read"),
    path("documents/<int:pk>/", views.document_page, name="document"),
    path("documents/<int:pk>/year-end/", views.year_end_upload, name="year-end"),
    path("search/", views.search_page, name="search"),
    path("charts/", views.charts_page, name="charts"),
    path("charts/<slug:name>.json", views.chart_data, name="chart-data"),
    path("tasks/<int:pk>/targets.json", views.task_targets, name="task-targets"),
    path("digest/", views.digest_page, name="digest"),
    path("digest/send/", views.digest_send, name="digest-send"),
]
