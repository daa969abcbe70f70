from django.urls import path

from torget.forum import public_views, rules_views

urlpatterns = [
    path("forum/regler/", rules_views.rules, name="rules"),
    path("dialoger/<int:dialogue_pk>/forum/<int:pk>/", public_views.forum, name="forum"),
    path(
        "dialoger/<int:dialogue_pk>/forum/<int:pk>/ny-trad/",
        public_views.new_thread,
        name="new_thread",
    ),
    path("dialoger/<int:dialogue_pk>/forum/<int:pk>/flode.xml", public_views.feed, name="feed"),
    path("forum/trad/<int:pk>/", public_views.thread, name="thread"),
    path("forum/trad/<int:pk>/svara/", public_views.reply, name="reply"),
    path("forum/inlagg/<int:pk>/andra/", public_views.edit, name="edit"),
    path("forum/inlagg/<int:pk>/hall-med/", public_views.agree, name="agree"),
]
