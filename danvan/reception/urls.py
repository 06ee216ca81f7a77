from django.urls import path

from . import views

app_name = "reception"
urlpatterns = [
    path("lich-tiep-cong-dan/", views.public_schedule, name="schedule"),
    path("lich-tiep-cong-dan/<int:pk>/dat-lich/", views.book, name="book"),
    path("staff/reception/", views.today, name="today"),
    path("staff/reception/sessions/<int:pk>/status/", views.session_status, name="session-status"),
    path(
        "staff/reception/sessions/<int:pk>/thong-bao-ket-luan.docx",
        views.conclusion_notice,
        name="conclusion-notice",
    ),
    path("staff/reception/logbook/", views.logbook, name="logbook"),
    path("staff/reception/logbook/new/", views.entry_new, name="entry-new"),
    path("staff/reception/compliance/", views.compliance, name="compliance"),
    path("staff/reception/schedules/", views.schedules, name="schedules"),
    path("staff/reception/schedules/new/", views.schedule_new, name="schedule-new"),
    path("staff/reception/leave/new/", views.leave_new, name="leave-new"),
    path("staff/reception/sessions/new/", views.session_new, name="session-new"),
]
