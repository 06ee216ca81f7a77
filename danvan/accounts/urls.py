from django.urls import path

from . import twofactor_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("signup/", views.signup, name="signup"),
    path("signup/confirm/", views.signup_confirm, name="signup-confirm"),
    path("signup/resend/", views.signup_resend, name="signup-resend"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/code/", views.password_reset_code, name="password-reset-code"),
    path("password-reset/resend/", views.password_reset_resend, name="password-reset-resend"),
    path("password-reset/new/", views.password_reset_new, name="password-reset-new"),
    path("two-factor/", twofactor_views.two_factor, name="two-factor"),
    path("two-factor/recovery/", twofactor_views.two_factor_recovery, name="two-factor-recovery"),
    path("two-factor/enrol/", twofactor_views.two_factor_enrol, name="two-factor-enrol"),
    path("two-factor/setup/", twofactor_views.two_factor_setup, name="two-factor-setup"),
    path("", views.account, name="account"),
]
