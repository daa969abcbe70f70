"""The notice the area report sends when the coordinator forwards it to the council (KF)."""

from torget.notifications import notices

notices.register(
    "insight.area_report_forwarded",
    example={
        "title": "Områdesrapport för Utskottsområde Centrum, 2026-01-01–2026-06-30",
        "area_name": "Utskottsområde Centrum",
        "body_name": "Kommunfullmäktige",
        "note": "Till fullmäktiges sammanträde i september.",
        "url": "/personal/statistik/omraden/utskottsomrade-centrum/?fran=2026-01-01&till=2026-06-30",
    },
)
