from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "dialogues"
urlpatterns: list[URLPattern | URLResolver] = [
    path("doi-thoai/", views.dialogue_list, name="list"),
    path("doi-thoai/<int:pk>/", views.dialogue_detail, name="detail"),
    path("doi-thoai/<int:pk>/cau-hoi/<int:question_id>/binh-chon/", views.vote, name="vote"),
    path("doi-thoai/<int:pk>/cam-ket/", views.accountability, name="accountability"),
    path("cam-ket/don-vi/<text:code>/", views.unit_accountability, name="unit-accountability"),
    path("staff/dialogues/", views.staff_list, name="staff-list"),
    path("staff/dialogues/new/", views.staff_new, name="staff-new"),
    path("staff/dialogues/<int:pk>/", views.staff_detail, name="staff-detail"),
    path("staff/dialogues/<int:pk>/status/", views.staff_status, name="staff-status"),
    path("staff/dialogues/<int:pk>/groups/", views.staff_group, name="staff-group"),
    path("staff/dialogues/<int:pk>/minutes/", views.staff_minutes, name="staff-minutes"),
    path(
        "staff/dialogues/<int:pk>/questions/<int:question_id>/hide/",
        views.staff_hide,
        name="staff-hide",
    ),
    path("staff/commitments/", views.commitments, name="commitments"),
    path("staff/commitments/<int:pk>/", views.commitment_detail, name="commitment"),
    path("staff/commitments/<int:pk>/files/<int:file_id>/", views.evidence_file, name="evidence"),
]
