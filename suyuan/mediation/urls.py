from django.urls import path

from . import views

app_name = "mediation"

urlpatterns = [
    path("", views.index, name="index"),
    path("queue/", views.queue, name="queue"),
    path("mine/", views.mine, name="mine"),
    path("consents/", views.consents, name="consents"),
    path("disputes/<int:dispute_id>/refer/", views.refer, name="refer"),
    path("disputes/<int:dispute_id>/consent/", views.consent_record, name="consent"),
    path("meetings/<str:ref>/", views.meeting, name="meeting"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:pk>/assign/", views.assign, name="assign"),
    path("referrals/<int:pk>/accept/", views.accept, name="accept"),
    path("referrals/<int:pk>/decline/", views.decline, name="decline"),
    path("referrals/<int:pk>/sessions/", views.session, name="session"),
    path("referrals/<int:pk>/offers/", views.offer, name="offer"),
    path("referrals/<int:pk>/offers/<int:offer_id>/answer/", views.offer_answer, name="offer_answer"),
    path("referrals/<int:pk>/end/<str:action>/", views.end, name="end"),
    path("referrals/<int:pk>/agreement/", views.agreement_draft, name="agreement_draft"),
    path("referrals/<int:pk>/agreement/<int:agreement_id>/<str:action>/", views.agreement_step,
         name="agreement_step"),
    path("referrals/<int:pk>/voluntary/", views.voluntary, name="voluntary"),
]
