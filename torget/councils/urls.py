from django.urls import path

from torget.councils import views

app_name = "councils"

urlpatterns = [
    # Public
    path("trygghet/rad/", views.council_list, name="list"),
    path("trygghet/rad/<slug:slug>/", views.council_detail, name="detail"),
    # Staff
    path("personal/rad/", views.staff_index, name="staff_index"),
    path("personal/rad/nytt/", views.staff_create, name="staff_create"),
    path("personal/rad/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("personal/rad/<int:pk>/andra/", views.staff_edit, name="staff_edit"),
    path(
        "personal/rad/<int:pk>/ledamoter/<int:member_pk>/",
        views.member_edit,
        name="staff_member",
    ),
    path("personal/rad/<int:pk>/moten/nytt/", views.meeting_plan, name="staff_meeting_plan"),
    path(
        "personal/rad/<int:pk>/moten/<int:meeting_pk>/",
        views.meeting_detail,
        name="staff_meeting",
    ),
    path(
        "personal/rad/<int:pk>/moten/<int:meeting_pk>/<slug:action>/",
        views.meeting_action,
        name="staff_meeting_action",
    ),
    path("personal/rad/<int:pk>/<slug:action>/", views.staff_action, name="staff_action"),
]
