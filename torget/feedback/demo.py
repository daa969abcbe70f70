"""Demo data for synpunkter och felanmälan: categories and a few cases."""

import datetime

from django.utils import timezone

from torget.accounts.roles import Role
from torget.core import demo
from torget.core.demo import DemoContext
from torget.feedback import selectors
from torget.feedback import services as feedback
from torget.feedback.models import (
    Case,
    CaseStatus,
    Category,
    CategoryAttribute,
    CategoryUse,
    Kind,
    ReplyTemplate,
)
from torget.organisation.models import Administration, Unit

# Synpunkter och felanmälan: (code, name, use, administration, unit, group)
FEEDBACK_CATEGORIES = [
    (
        "gatubelysning",
        "Gatubelysning",
        CategoryUse.FAULT,
        "SBF",
        "Gata och park",
        "Gator och trafik",
    ),
    (
        "gator",
        "Hål eller skador i gata, gång- eller cykelväg",
        CategoryUse.FAULT,
        "SBF",
        "Gata och park",
        "Gator och trafik",
    ),
    (
        "snorojning",
        "Snöröjning och halkbekämpning",
        CategoryUse.FAULT,
        "SBF",
        "Gata och park",
        "Gator och trafik",
    ),
    (
        "skyltar",
        "Trafikskyltar och trafiksignaler",
        CategoryUse.FAULT,
        "SBF",
        "Gata och park",
        "Gator och trafik",
    ),
    (
        "lekplatser",
        "Lekplatser och parker",
        CategoryUse.FAULT,
        "SBF",
        "Gata och park",
        "Parker och natur",
    ),
    (
        "nedskrapning",
        "Nedskräpning och papperskorgar",
        CategoryUse.FAULT,
        "SBF",
        "Gata och park",
        "Renhållning",
    ),
    (
        "klotter",
        "Klotter och skadegörelse",
        CategoryUse.FAULT,
        "SBF",
        "Gata och park",
        "Renhållning",
    ),
    ("skola", "Förskola och skola", CategoryUse.OPINION, "UF", "Förskola och skola", ""),
    ("trafik", "Gator, trafik och parkering", CategoryUse.OPINION, "SBF", "Gata och park", ""),
    (
        "fritid",
        "Kultur, idrott och fritid",
        CategoryUse.OPINION,
        "KFF",
        "Fritid och föreningar",
        "",
    ),
    ("service", "Kommunens service och bemötande", CategoryUse.OPINION, "KLF", "Kontaktcenter", ""),
    ("annat", "Annat", CategoryUse.OPINION, "KLF", "Kontaktcenter", ""),
]

# (category, kind, area, description, address, days ago, status, public reply)
DEMO_CASES = [
    (
        "gatubelysning",
        Kind.FAULT,
        "Berga",
        "Tre lampor i rad är släckta längs gång- och cykelvägen.",
        "Gång- och cykelvägen vid Bergaskolan",
        2,
        "mottaget",
        "",
    ),
    (
        "gator",
        Kind.FAULT,
        "Innerstaden",
        "Djupt hål i vägbanan vid övergångsstället.",
        "Storgatan vid Torget",
        9,
        "pagar",
        "Vi lagar hålet under vecka 49.",
    ),
    (
        "lekplatser",
        Kind.FAULT,
        "Ryd",
        "Gungan på lekplatsen har en trasig kedja.",
        "",
        30,
        "atgardat",
        "Kedjan är utbytt. Tack för att du hörde av dig!",
    ),
    (
        "klotter",
        Kind.FAULT,
        "Skäggetorp",
        "Klotter på bullerplanket.",
        "Bullerplanket mot E4",
        6,
        "mottaget",
        "",
    ),
    (
        "skola",
        Kind.QUESTION,
        "",
        "Hur anmäler jag mitt barn till fritids under lovet?",
        "",
        3,
        "mottaget",
        "",
    ),
    (
        "service",
        Kind.PRAISE,
        "",
        "Mycket trevligt och hjälpsamt bemötande i receptionen!",
        "",
        12,
        "avslutat",
        "",
    ),
]

# Svarsmallar: (name, category code or "", kind or "", text). Placeholders: see replies.py.
REPLY_TEMPLATES = [
    (
        "Felanmälan tas om hand",
        "",
        Kind.FAULT,
        "Hej {namn}!\n\nTack för din felanmälan, som har nummer {ärendenummer}. Den "
        "handläggs av {enhet}, som åtgärdar felet så snart det går. Du kan följa ärendet "
        "med länken i kvittot.\n\nVänliga hälsningar\n{handläggare}\n{kommun}",
    ),
    (
        "Gatubelysning: lampbyte beställt",
        "gatubelysning",
        Kind.FAULT,
        "Hej {namn}!\n\nTack för att du anmälde den släckta belysningen ({ärendenummer}). "
        "{enhet} har beställt lampbyte. Det brukar ta en till två veckor.\n\n"
        "Vänliga hälsningar\n{handläggare}\n{kommun}",
    ),
    (
        "Svar på fråga",
        "",
        Kind.QUESTION,
        "Hej {namn}!\n\nTack för din fråga som kom in {inkom} (ärende {ärendenummer}).\n\n"
        "[Skriv svaret här.]\n\nHör gärna av dig igen om något är oklart.\n\n"
        "Vänliga hälsningar\n{handläggare}, {enhet}\n{kommun}",
    ),
    (
        "Tack för berömmet",
        "",
        Kind.PRAISE,
        "Hej {namn}!\n\nTack för dina vänliga ord (ärende {ärendenummer}). Vi har skickat "
        "dem vidare till {enhet}, som blir glada att höra det.\n\n"
        "Vänliga hälsningar\n{handläggare}\n{kommun}",
    ),
]


@demo.register("feedback", after=["accounts", "geo", "organisation"])
def load(context: DemoContext) -> None:
    """The categories (routed to the administrations' units) and a few cases at different
    statuses, made through the real steps."""
    areas, users = context.areas, context.users
    feedback.statuses_ensure_defaults()
    administrations = {a.abbreviation: a for a in Administration.objects.all()}
    categories = {}
    for order, (code, name, use, administration, unit, group) in enumerate(FEEDBACK_CATEGORIES):
        categories[code] = context.ensure(
            Category,
            {"code": code},
            name=name,
            use=use,
            administration=administrations[administration],
            unit=Unit.objects.get(administration=administrations[administration], name=unit),
            group=group,
            order=order,
        )
    context.ensure(
        CategoryAttribute,
        {"category": categories["gatubelysning"], "code": "stolpnummer"},
        description="Stolpens nummer, om du ser det",
        datatype_description="Står på en skylt på stolpen, till exempel 12-345.",
        required=False,
        order=1,
    )
    templates = {}
    for order, (name, category, kind, text) in enumerate(REPLY_TEMPLATES):
        templates[name] = context.ensure(
            ReplyTemplate,
            {"name": name},
            category=categories[category] if category else None,
            kind=kind,
            text=text,
            order=order,
        )
    if Case.objects.exists():
        return
    handler = users[Role.CONTACT_CENTRE]
    for code, kind, area_name, text, address, days, status, reply in DEMO_CASES:
        point = areas[area_name].shape.representative_point() if area_name else None
        case = feedback.case_create(
            kind=kind,
            category=categories[code],
            description=text,
            lat=point.y if point else None,
            lon=point.x if point else None,
            address=address,
            created_at=timezone.now() - datetime.timedelta(days=days),
        )
        if reply:
            feedback.case_reply(case=case, actor=handler, text=reply, public=True)
        if kind == Kind.PRAISE:
            # Answered from a template, so the admin shows one that is in use (and kept).
            template = templates["Tack för berömmet"]
            feedback.case_reply(
                case=case,
                actor=handler,
                text=selectors.reply_template_text(template, case, handler),
                template=template,
            )
        if status != "mottaget":
            feedback.case_set_status(
                case=case, status=CaseStatus.objects.get(slug=status), actor=handler
            )
        context.changes += 1


# -- medborgardialoger --------------------------------------------------------------------
