from django.urls import path

from . import views, views_case, views_delegations, views_retention, views_staff

app_name = "cases"
urlpatterns = [
    path("gui-don/", views.submit, name="submit"),
    path("tra-cuu/", views.track, name="track"),
    path("tra-cuu/<text:code>/", views.track_detail, name="track-detail"),
    path("don-cua-toi/", views.my_cases, name="mine"),
    path("tra-cuu/<text:code>/tep/<int:file_id>/", views_staff.public_file, name="public-file"),
    path("staff/cases/", views.queue, name="queue"),
    path("staff/retention/", views_retention.retention, name="retention"),
    path("staff/delegations/", views_delegations.delegations, name="delegations"),
    path(
        "staff/delegations/<int:pk>/revoke/",
        views_delegations.revoke,
        name="delegation-revoke",
    ),
    path("staff/cases/new/", views_staff.intake, name="intake"),
    path("staff/cases/import/", views_staff.import_letters, name="import"),
    path("staff/cases/assign/", views_staff.bulk_assign, name="bulk-assign"),
    path("staff/cases/<int:pk>/", views_case.detail, name="detail"),
    path("staff/cases/<int:pk>/identity/", views_staff.identity, name="identity"),
    path("staff/cases/<int:pk>/files/<int:file_id>/", views_staff.staff_file, name="file"),
    path("staff/cases/<int:pk>/assign/", views_staff.assign, name="assign"),
    path("staff/cases/<int:pk>/split/", views_staff.split, name="split"),
    path("staff/cases/<int:pk>/link/<int:other>/", views_staff.link, name="link"),
    path(
        "staff/cases/<int:pk>/merge/<int:other>/",
        views_staff.link,
        {"merge": True},
        name="merge",
    ),
    path("staff/cases/<int:pk>/<text:action>/", views_case.act, name="act"),
]
