"""Demo data for representativeness: the school yard dialogue in Berga gets registrations for
its dialogue meeting from the two target groups its plan names, so its page shows a
meaningful picture with the demo's population import and survey answers: the planned groups
reached, the younger respondents well represented, and the 45–64-year-olds under-reached."""

from torget.core import demo
from torget.core.demo import DemoContext
from torget.dialogues.models import Dialogue, TargetGroup
from torget.meetings.models import Meeting, Registration, RegistrationStatus

DIALOGUE = "Ny skolgård vid Bergaskolan"
MEETING = "Dialogmöte om skolgården"
# (target group code, how many registered saying they belong to it)
REGISTRATIONS = (("barn", 8), ("boende-i-omradet", 6))
EMAIL = "anmald{n}@demo.storeby.example"


@demo.register(
    "representation",
    after=["dialogues", "meetings", "population", "surveys", "survey-results"],
)
def load(context: DemoContext) -> None:
    dialogue = Dialogue.objects.filter(title=DIALOGUE).first()
    if dialogue is None:
        return
    meeting = Meeting.objects.filter(dialogue=dialogue, title=MEETING).first()
    if meeting is None or Registration.objects.filter(email=EMAIL.format(n=1)).exists():
        return
    groups = {g.code: g for g in TargetGroup.objects.filter(code__in=[c for c, _ in REGISTRATIONS])}
    n = 0
    for code, count in REGISTRATIONS:
        for _ in range(count):
            n += 1
            Registration.objects.create(
                meeting=meeting,
                name=f"Anmäld {n}",
                email=EMAIL.format(n=n),
                target_group=groups.get(code),
                status=RegistrationStatus.REGISTERED,
            )
            context.changes += 1
