from django.urls import path

from torget.safety import views

app_name = "safety"

urlpatterns = [
    # Public (the /trygghet/ page itself is the site's)
    path("trygghet/medborgarlofte/", views.promise_current, name="current_promise"),
    path("trygghet/medborgarloften/<int:pk>/", views.promise_detail, name="promise"),
    # Staff
    path("personal/trygghet/", views.staff_index, name="staff_index"),
    path("personal/trygghet/undersokningar/importera/", views.survey_import, name="survey_import"),
    path("personal/trygghet/medborgarloften/nytt/", views.promise_create, name="promise_create"),
    path("personal/trygghet/medborgarloften/<int:pk>/", views.staff_promise, name="staff_promise"),
    path(
        "personal/trygghet/medborgarloften/<int:pk>/andra/", views.promise_edit, name="promise_edit"
    ),
    path(
        "personal/trygghet/medborgarloften/<int:pk>/atagande/",
        views.commitment_add,
        name="commitment_add",
    ),
    path(
        "personal/trygghet/medborgarloften/<int:pk>/uppfoljning/",
        views.follow_up_record,
        name="follow_up",
    ),
]
