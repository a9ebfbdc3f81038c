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

# Credit measures with grace and grid-worker assistance (credit_views.py).
from . import credit_views  # noqa: E402

urlpatterns += [path("cases/<int:pk>/credit/<str:action>/", credit_views.credit_act, name="credit_act")]
