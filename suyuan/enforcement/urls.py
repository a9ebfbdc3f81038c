from django.urls import path

from . import case_views, views

app_name = "enforcement"

urlpatterns = [
    path("", views.index, name="index"),
    path("groups/", case_views.groups, name="groups"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/apply/", case_views.apply_on_plan, name="apply"),
    path("disputes/<int:pk>/apply/", case_views.apply_on_document, name="apply_on_document"),
    path("instalments/<int:pk>/report/", views.report, name="report"),
    path("instalments/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("instalments/<int:pk>/reject/", views.reject, name="reject"),
    path("cases/<int:pk>/", case_views.case_detail, name="case"),
    path("cases/<int:pk>/<slug:action>/", case_views.case_action, name="case_action"),
    path("derivatives/<int:pk>/<slug:action>/", case_views.derivative_action, name="derivative_action"),
]

# Credit measures with grace and grid-worker assistance (credit_views.py).
from . import credit_views  # noqa: E402

urlpatterns += [path("cases/<int:pk>/credit/<str:action>/", credit_views.credit_act, name="credit_act")]
