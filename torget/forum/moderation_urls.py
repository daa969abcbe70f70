from django.urls import path

from torget.forum import moderation_views

urlpatterns = [
    path("forum/inlagg/<int:pk>/flagga/", moderation_views.flag, name="flag"),
]
