from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from danvan.core.downloads import DOCX, file_response
from danvan.core.forms import TextModelForm

from .filling import DocumentKind, default_template
from .models import DocumentTemplate


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin[DocumentTemplate]):
    form = TextModelForm
    list_display = ["kind", "is_active", "note", "uploaded_at", "uploaded_by"]
    list_filter = ["is_active"]
    fields = ["kind", "file", "is_active", "note", "uploaded_at", "uploaded_by", "defaults"]
    readonly_fields = ["uploaded_at", "uploaded_by", "defaults"]

    def save_model(
        self,
        request: HttpRequest,
        obj: DocumentTemplate,
        form: ModelForm[DocumentTemplate],
        change: bool,
    ) -> None:
        if "file" in form.changed_data:
            obj.uploaded_at = timezone.now()
            obj.uploaded_by_id = request.user.pk
        super().save_model(request, obj, form, change)

    @admin.display(description=_("default templates"))
    def defaults(self, obj: DocumentTemplate | None) -> SafeString:
        """Links to the default files, to start a replacement from."""
        links = (
            (reverse("admin:documents_documenttemplate_default", args=[kind]), label)
            for kind, label in DocumentKind.choices
        )
        return format_html_join(" · ", '<a href="{}" download>{}</a>', links)

    def get_urls(self) -> list[URLPattern]:
        default = path(
            "default/<text:kind>/",
            self.admin_site.admin_view(self.default_view),
            name="documents_documenttemplate_default",
        )
        return [default, *super().get_urls()]

    def default_view(self, request: HttpRequest, kind: str) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        if kind not in DocumentKind.values:
            raise Http404
        data = default_template(kind).read_bytes()
        return file_response(data, name=f"{kind}.docx", content_type=DOCX)
