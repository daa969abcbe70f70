"""The forum's addresses: the public ones under the dialogue's own address (/dialoger/<id>/)
and /forum/, the staff ones under /personal/."""

from torget.forum import moderation_urls, public_urls, staff_urls

app_name = "forum"

urlpatterns = [*public_urls.urlpatterns, *moderation_urls.urlpatterns, *staff_urls.urlpatterns]
