from django.urls import path

from torget.accounts import security_views, views

app_name = "accounts"

urlpatterns = [
    path("konto/registrera/", views.signup, name="signup"),
    path("konto/registrera/klart/", views.signup_done, name="signup_done"),
    path("konto/bekrafta/<str:token>/", views.verify_email, name="verify_email"),
    path("konto/bekrafta-igen/", views.resend_verification, name="resend_verification"),
    path("konto/logga-in/", views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", views.LogoutView.as_view(), name="logout"),
    path("konto/glomt-losenord/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "konto/glomt-losenord/skickat/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/nytt-losenord/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/nytt-losenord/klart/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("konto/avslutat/", views.account_closed, name="account_closed"),
    path(
        "konto/tvastegsverifiering/",
        security_views.two_factor_setup,
        name="two_factor_setup",
    ),
    path(
        "konto/tvastegsverifiering/kod/",
        security_views.two_factor_verify,
        name="two_factor_verify",
    ),
    path(
        "konto/tvastegsverifiering/reservkoder/",
        security_views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("konto/bekrafta-losenord/", security_views.reauthenticate, name="reauthenticate"),
    path("mina-sidor/", views.my_pages, name="my_pages"),
    path("mina-sidor/uppgifter/", views.profile_edit, name="profile_edit"),
    path("mina-sidor/losenord/", views.PasswordChangeView.as_view(), name="password_change"),
    path("mina-sidor/export.json", views.data_export, name="data_export"),
    path("mina-sidor/avsluta-konto/", views.account_close, name="account_close"),
]
