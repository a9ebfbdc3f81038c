from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("feed.json", views.feed, name="feed"),
    path("read/", views.mark_read, name="read_all"),
    path("<int:notification_id>/read/", views.mark_read, name="read"),
    path("preferences/", views.preferences, name="preferences"),
    path("sms-outbox/", views.sms_outbox, name="sms_outbox"),
]
