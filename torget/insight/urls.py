"""The addresses of insight: representativeness (representation_urls) and the dashboards and
the utskott's area report (dashboard_urls), each part in its own module."""

from torget.insight import dashboard_urls, representation_urls

app_name = "insight"

urlpatterns = [*representation_urls.urlpatterns, *dashboard_urls.urlpatterns]
