"""The surveys' addresses. Each part keeps its own list: the builder (staff), answering
(public and paper entry), the SMS gateway's webhook, and the results."""

app_name = "surveys"

urlpatterns: list = []
