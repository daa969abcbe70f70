"""Gives the existing catalogue its codes and rule data.

This is the one place a catalogue entry is matched by its name: the names below are the ones
0002 loaded, matched once so that each entry gets its stable code. Entries the administrator
added (or had already renamed) get a code made from their name. From here on code refers to
the code and the rules read the data fields, so renaming an entry changes no rule.
"""

from django.db import migrations
from django.utils.text import slugify

METHOD_CODES = {
    "Information på kommunens webbplats": "webbplats",
    "Informationsmöte (stormöte)": "informationsmote",
    "Digitalt informationsmöte": "digitalt-informationsmote",
    "Sociala medier": "sociala-medier",
    "Sms-utskick": "sms",
    "Digitala brev och brev": "brev",
    "Affischer": "affischer",
    "Pressmeddelande och kommunens tidning": "press",
    "Lokalradio": "lokalradio",
    "Fokusgrupp": "fokusgrupp",
    "Intervjuer": "intervjuer",
    "Enkät": "enkat",
    "Samrådsmöte enligt plan- och bygglagen": "samrad-pbl",
    "Kund- och brukarundersökning": "brukarundersokning",
    "Klassråd, föräldraråd, elevråd": "skolans-rad",
    "Dialogmöte": "dialogmote",
    "Öppet områdesmöte (medborgarstämma)": "medborgarstamma",
    "Utbildade intervjuare (community researchers)": "community-researchers",
    "Lärande promenad": "larande-promenad",
    "Open space": "open-space",
    "Digitalt dialogmöte": "digitalt-dialogmote",
    "Sociala fyrtorn": "sociala-fyrtorn",
    "Delegering": "delegering",
    "Medborgarbudget": "medborgarbudget",
}
# seed 004 §5: focus groups of 8–12 participants.
GROUP_SIZES = {"fokusgrupp": (8, 12)}

TARGET_GROUP_CODES = {
    "Barn": "barn",
    "Unga": "unga",
    "Personer som står utanför arbetsmarknaden": "utanfor-arbetsmarknaden",
    "Personer med funktionsnedsättning": "funktionsnedsattning",
    "Utlandsfödda": "utlandsfodda",
    "Personer med psykisk ohälsa": "psykisk-ohalsa",
    "Nyinflyttade": "nyinflyttade",
    "Samer": "samer",
    "Företagare": "foretagare",
    "Civilsamhällets aktörer": "civilsamhallet",
    "Boende i ett visst område": "boende-i-omradet",
    "Äldre": "aldre",
    "Fritidshusägare": "fritidshusagare",
}
INFORMATION_STEP = 1


def _unique_code(wanted, taken):
    base = (slugify(wanted) or "post")[:54]
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    taken.add(code)
    return code


def _fill(model, codes):
    rows = list(model.objects.order_by("pk"))
    # The seed entries' codes are reserved, so an administrator's entry never takes one.
    taken = set(codes.values())
    for row in rows:
        row.code = codes.get(row.name) or _unique_code(row.name, taken)
    return rows


def fill_codes(apps, schema_editor):
    Method = apps.get_model("dialogues", "Method")
    TargetGroup = apps.get_model("dialogues", "TargetGroup")
    for method in _fill(Method, METHOD_CODES):
        # Until now the information-first rule read the ladder step; keep what it decided.
        method.is_information = method.ladder_step == INFORMATION_STEP
        method.min_participants, method.max_participants = GROUP_SIZES.get(
            method.code, (None, None)
        )
        method.save(
            update_fields=["code", "is_information", "min_participants", "max_participants"]
        )
    for group in _fill(TargetGroup, TARGET_GROUP_CODES):
        group.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0003_catalogue_codes_fields")]

    operations = [migrations.RunPython(fill_codes, migrations.RunPython.noop)]
