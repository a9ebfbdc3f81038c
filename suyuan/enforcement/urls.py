from django.urls import path

from . import views

app_name = "enforcement"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/apply/", views.apply_enforcement, name="apply"),
    path("instalments/<int:pk>/report/", views.report, name="report"),
    path("instalments/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("instalments/<int:pk>/reject/", views.reject, name="reject"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/conclude/", views.conclude, name="conclude"),
]
