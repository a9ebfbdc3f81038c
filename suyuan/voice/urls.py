from django.urls import path

from . import views

app_name = "voice"

urlpatterns = [
    path("", views.index, name="index"),
    path("s/<str:token>/", views.survey_link, name="survey_link"),
    path("surveys/<int:pk>/", views.survey, name="survey"),
    path("complaints/new/<str:number>/", views.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", views.complaint, name="complaint"),
    path("complaints/<int:pk>/<str:action>/", views.complaint_step, name="complaint_step"),
    path("deputy/", views.deputy_home, name="deputy_home"),
    path("invitations/new/<str:number>/", views.invite_new, name="invite_new"),
    path("invitations/<int:pk>/", views.invitation, name="invitation"),
    path("invitations/<int:pk>/<str:action>/", views.invitation_step, name="invitation_step"),
    path("figures/", views.figures_page, name="figures"),
]
