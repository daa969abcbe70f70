from django.urls import path

from torget.notifications import views

app_name = "notifications"

urlpatterns = [
    path("bevaka/<slug:kind>/<int:pk>/", views.follow, name="follow"),
    path("bevakning/bekrafta/<str:token>/", views.confirm, name="confirm"),
    path("bevakning/<str:token>/", views.manage, name="manage"),
    path("bevakning/<str:token>/avsluta/", views.unsubscribe, name="unsubscribe"),
    path("bevakning/<str:token>/sms-kod/", views.phone_code, name="phone_code"),
    # The short link at the end of every SMS to a follower.
    path("sluta/<str:code>/", views.stop, name="stop"),
    path("mina-sidor/bevakningar/", views.my_subscriptions, name="my_subscriptions"),
    path("personal/utskick/", views.outbox, name="outbox"),
    path("personal/utskick/<int:pk>/skicka-om/", views.retry, name="retry"),
]
