from django.urls import path

from . import after_views, objection_views, views

app_name = "litigation"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("queue/", views.registration_queue, name="queue"),
    path("file/<int:dispute_id>/", views.file_suit, name="file"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/register/", views.register, name="register"),
    path("cases/<int:pk>/materials/", views.request_materials, name="materials"),
    path("cases/<int:pk>/materials/complete/", views.complete_materials, name="complete_materials"),
    path("cases/<int:pk>/refuse/", views.refuse, name="refuse"),
    path("cases/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("cases/<int:pk>/refer/", views.refer, name="refer"),
    path("cases/<int:pk>/start-trial/", views.start_trial, name="start_trial"),
    path("cases/<int:pk>/extend-trial/", views.extend_trial, name="extend_trial"),
    path("cases/<int:pk>/judgment/", views.judgment, name="judgment"),
    path("cases/<int:pk>/fee/", views.notify_fee, name="notify_fee"),
    path("cases/<int:pk>/relief/", views.apply_relief, name="apply_relief"),
    path("fees/<int:pk>/paid/", views.fee_paid, name="fee_paid"),
    path("reliefs/<int:pk>/decide/", views.decide_relief, name="decide_relief"),
    path("mediations/<int:pk>/sign/", views.sign_mediation, name="sign_mediation"),
    path("mediations/<int:pk>/extend/", views.extend_mediation, name="extend_mediation"),
    path("mediations/<int:pk>/outcome/", views.mediation_outcome, name="mediation_outcome"),
    path("cases/<int:pk>/serve/", after_views.serve, name="serve"),
    path("cases/<int:pk>/service-consent/", after_views.service_consent, name="service_consent"),
    path("cases/<int:pk>/appeal/", after_views.appeal, name="appeal"),
    path("cases/<int:pk>/appeal-decision/", after_views.decide_appeal, name="decide_appeal"),
    path("cases/<int:pk>/evidence/<int:evidence_id>/", after_views.case_evidence, name="case_evidence"),
    path("cases/<int:pk>/retrial/", after_views.apply_retrial, name="apply_retrial"),
    path("retrials/<int:pk>/act/", after_views.retrial_act, name="retrial_act"),
    path("cases/<int:pk>/judicial-aid/", after_views.apply_aid, name="apply_aid"),
    path("judicial-aid/<int:pk>/act/", after_views.aid_act, name="aid_act"),
    path("confirmations/apply/<int:dispute_id>/", views.confirmation_apply, name="confirmation_apply"),
    path("confirmations/<int:pk>/", views.confirmation_detail, name="confirmation"),
    path("confirmations/<int:pk>/act/", views.confirmation_act, name="confirmation_act"),
    path("cases/<int:pk>/complaint-service/", objection_views.record_service, name="record_service"),
    path("cases/<int:pk>/jurisdiction-objection/", objection_views.file_objection, name="file_objection"),
    path("objections/<int:pk>/rule/", objection_views.rule_objection, name="rule_objection"),
    path("objections/<int:pk>/step/", objection_views.objection_step, name="objection_step"),
]
