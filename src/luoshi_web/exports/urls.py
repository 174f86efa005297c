from django.urls import path

from luoshi_web.exports import views

urlpatterns = [
    path("documents/<int:pk>/ledger/", views.ledger_download, name="export-ledger"),
    path("documents/<int:pk>/bulletin/", views.bulletin_download, name="export-bulletin"),
]
