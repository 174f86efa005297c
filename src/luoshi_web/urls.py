from django.contrib.auth import views as auth_views
from django.urls import include, path

from luoshi_web.api.main import api
from luoshi_web.documents import views as documents
from luoshi_web.tracking import views as tracking

urlpatterns = [
    path("", tracking.task_list, name="task-list"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tasks/<int:pk>/", tracking.task_detail, name="task-detail"),
    path("tasks/<int:pk>/report/<int:period>/", tracking.report_form, name="report-form"),
    path(
        "tasks/<int:pk>/consolidate/<int:period>/",
        tracking.consolidation_form,
        name="consolidation-form",
    ),
    path("reports/<int:pk>/return/", tracking.return_report_view, name="report-return"),
    path("consolidations/<int:pk>/review/", tracking.review_form, name="review-form"),
    path("tasks/<int:pk>/remind/", tracking.remind_form, name="remind-form"),
    path("tasks/<int:pk>/instruct/", tracking.instruct_form, name="instruct-form"),
    path("reminders/<int:pk>/read/", tracking.mark_read, name="reminder-read"),
    path("attachments/<int:pk>/", tracking.download_attachment, name="attachment"),
    path("import/", documents.import_upload, name="import"),
    path("import/confirm/", documents.import_confirm, name="import-confirm"),
    path("documents/", documents.document_list, name="document-list"),
    path("documents/<int:pk>/file/", documents.download_source, name="document-file"),
    path("documents/<int:pk>/reparse/", documents.reparse_view, name="document-reparse"),
    path("exports/", include("luoshi_web.exports.urls")),
    path("api/", api.urls),
    path("supervision/", include("luoshi_web.supervision.urls")),
]
