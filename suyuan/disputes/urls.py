from django.urls import path

from .views import imports, pages, workbench

app_name = "disputes"

urlpatterns = [
    path("", workbench.workbench, name="workbench"),
    path("queue/export.xlsx", workbench.queue_export, name="queue_export"),
    path("queue/bulk/", workbench.queue_bulk, name="queue_bulk"),
    path("queue/views/", workbench.saved_view_create, name="saved_view_create"),
    path("queue/views/<int:pk>/delete/", workbench.saved_view_delete, name="saved_view_delete"),
    path("list/", pages.dispute_list, name="list"),
    path("list/export.xlsx", pages.dispute_export, name="export"),
    path("new/", pages.dispute_create, name="create"),
    path("party-flags/", pages.party_flags, name="party_flags"),
    path("fee-estimate/", pages.fee_estimate, name="fee_estimate"),
    # Batch filing (views/imports.py); before <number>/ so "import" is not read as a number.
    path("import/", imports.import_page, name="import"),
    path("import/template.<str:fmt>", imports.import_template, name="import_template"),
    path("import/<int:job_id>/", imports.import_job, name="import_job"),
    path("import/<int:job_id>/status.json", imports.import_status, name="import_status"),
    path("import/<int:job_id>/errors.<str:fmt>", imports.import_report, name="import_report"),
    path("<str:number>/", pages.dispute_detail, name="detail"),
    path("<str:number>/edit/", pages.dispute_edit, name="edit"),
    path("<str:number>/evidence/", pages.evidence_upload, name="evidence_upload"),
    path("<str:number>/evidence/<int:evidence_id>/", pages.evidence_download, name="evidence_download"),
    path("<str:number>/reveal/", pages.reveal_personal_data, name="reveal"),
    path("<str:number>/follow-up/", pages.follow_up, name="follow_up"),
    path("<str:number>/assign/", workbench.dispute_assign, name="assign"),
]
