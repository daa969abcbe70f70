"""The surveys' addresses. Each part keeps its own list: the builder (staff), answering
(public and paper entry), the SMS gateway's webhook, and the results."""

from django.urls import path

from torget.surveys import sms_views

app_name = "surveys"

urlpatterns: list = []

# sms
urlpatterns += [
    path("personal/enkater/<int:pk>/sms/", sms_views.sms_send, name="sms_send"),
    path("personal/enkater/<int:pk>/sms/paminn/", sms_views.sms_remind, name="sms_remind"),
    path("sms/inkommande/<str:secret>/", sms_views.sms_inbound, name="sms_inbound"),
]
