from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("party-login/", views.party_login, name="party_login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("audit/", views.audit_log, name="audit_log"),
    path("two-factor/", views.second_factor, name="second_factor"),
    path("two-factor/enrol/", views.second_factor_enrol, name="second_factor_enrol"),
    path("two-factor/accounts/", views.second_factor_users, name="second_factor_users"),
    path("two-factor/accounts/<int:user_id>/reset/", views.second_factor_reset, name="second_factor_reset"),
]
