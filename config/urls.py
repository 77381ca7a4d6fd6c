from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from core.views import favicon
from grants.views import home

urlpatterns = [
    path("", home, name="home"),
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("rounds/", include("grants.urls")),
    path("applications/", include("applications.urls")),
    path("reviews/", include("reviews.urls")),
    path("awards/", include("awards.urls")),
    path("reporting/", include("reporting.urls")),
    path("api/", include("api.urls")),
    path("outbox/", include("core.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "孤独・孤立対策 モデル事業 助成管理"
admin.site.site_title = "Kodoku grants admin"

