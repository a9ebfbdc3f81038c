from django.contrib import admin
from django.urls import include, path

from suyuan.common import views as common_views

from .api import api

admin.site.site_header = "诉源 · 系统管理"
admin.site.site_title = "诉源系统管理"
admin.site.index_title = "基础数据与账户管理"

urlpatterns = [
    path("", common_views.home, name="home"),
    path("accounts/", include("suyuan.accounts.urls")),
    path("network/", include("suyuan.network.urls")),
    path("disputes/", include("suyuan.disputes.urls")),
    path("triage/", include("suyuan.triage.urls")),
    path("integrity/", include("suyuan.integrity.urls")),
    path("documents/", include("suyuan.documents.urls")),
    path("mediation/", include("suyuan.mediation.urls")),
    path("litigation/", include("suyuan.litigation.urls")),
    path("preservation/", include("suyuan.preservation.urls")),
    path("assets/", include("suyuan.assets.urls")),
    path("assistance/", include("suyuan.assistance.urls")),
    path("enforcement/", include("suyuan.enforcement.urls")),
    path("notices/", include("suyuan.notices.urls")),
    path("governance/", include("suyuan.governance.urls")),
    path("voice/", include("suyuan.voice.urls")),
    path("portal/", include("suyuan.portal.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "suyuan.common.views.not_found"
handler403 = "suyuan.common.views.forbidden"
handler500 = "suyuan.common.views.server_error"
