from django.urls import path

from torget.forum import staff_views

urlpatterns = [
    path("personal/dialoger/<int:pk>/forum/nytt/", staff_views.staff_new, name="staff_new"),
    path("personal/forum/moderering/", staff_views.queue, name="queue"),
    path("personal/forum/avstangningar/", staff_views.bans, name="bans"),
    path("personal/forum/<int:pk>/", staff_views.staff_detail, name="staff_detail"),
    path("personal/forum/<int:pk>/andra/", staff_views.staff_edit, name="staff_edit"),
    path("personal/forum/<int:pk>/sammanfattning/", staff_views.summary, name="summary"),
    path("personal/forum/trad/<int:pk>/", staff_views.staff_thread, name="staff_thread"),
    path(
        "personal/forum/inlagg/<int:pk>/<slug:action>/",
        staff_views.post_action,
        name="post_action",
    ),
]
