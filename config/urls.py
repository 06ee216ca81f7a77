from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Dân Vận administration")
admin.site.site_title = _("Dân Vận administration")
admin.site.index_title = _("Configuration")

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("danvan.accounts.urls")),
    path("accounts/my-data/", include("danvan.privacy.urls")),
    path("", include("danvan.ops.urls")),
    path("", include("danvan.api.urls")),
    path("", include("danvan.cases.urls")),
    path("", include("danvan.reception.urls")),
    path("", include("danvan.dialogues.urls")),
    path("", include("danvan.evaluation.urls")),
    path("", include("danvan.insights.urls")),
    path("", include("danvan.portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
