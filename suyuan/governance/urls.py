from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", views.report, name="report"),
    path("public/", views.public_statistics, name="public"),
    path("report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("suggestions/<int:pk>/", views.suggestion, name="suggestion"),
    path("suggestions/<int:pk>/<slug:action>/", views.advance, name="advance"),
]
