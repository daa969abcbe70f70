"""The map's addresses: the public ones under the dialogue's own address (/dialoger/<id>/)
and /karta/, the staff ones under /personal/."""

from torget.mapinput import public_urls, staff_urls

app_name = "mapinput"

urlpatterns = [*public_urls.urlpatterns, *staff_urls.urlpatterns]
