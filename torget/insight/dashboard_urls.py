"""Addresses of the dashboards and the utskott's area report (see urls.py)."""

from django.urls import URLPattern, path

from torget.insight import area_report_views, dashboard_views

urlpatterns: list[URLPattern] = [
    path("statistik/", dashboard_views.public_dashboard, name="dashboard"),
    path("personal/statistik/", dashboard_views.staff_dashboard, name="staff_dashboard"),
    path(
        "personal/statistik/omraden/<slug:slug>/",
        area_report_views.report_page,
        name="area_report",
    ),
    path(
        "personal/statistik/omraden/<slug:slug>/rapport.pdf",
        area_report_views.report_pdf,
        name="area_report_pdf",
    ),
    path(
        "personal/statistik/omraden/<slug:slug>/bifoga/",
        area_report_views.report_attach,
        name="area_report_attach",
    ),
    path(
        "personal/statistik/omraden/<slug:slug>/till-kf/",
        area_report_views.report_forward,
        name="area_report_forward",
    ),
]
