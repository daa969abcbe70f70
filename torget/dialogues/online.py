"""What a dialogue's online methods share (the web forum and the interactive map, one layer
up, side by side): who may write, how moderation goes, and the published reasons a
moderator hides something for. One list of reasons, so that the published rules
(`/forum/regler/`, for forums and maps alike) name every reason either may give."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Moderation(models.TextChoices):
    """Chosen per forum or map: pre-moderation holds every entry until a moderator lets it
    through; post-moderation publishes at once and moderators act afterwards."""

    POST = "efter", _("Efterhandsmoderering (visas direkt)")
    PRE = "fore", _("Förhandsmoderering (granskas innan de visas)")


class Identification(models.TextChoices):
    """Who may write: a verified e-mail address at least; e-ID when the official chooses it."""

    EMAIL = "e-post", _("Konto med bekräftad e-postadress")
    EID = "e-legitimation", _("E-legitimation")


class HideReason(models.TextChoices):
    """The published rules an entry can break; the reason is shown in the entry's place."""

    PERSONAL_ATTACK = "personangrepp", _("personangrepp")
    OFFENSIVE = "krankande", _("kränkande eller hotfullt innehåll")
    PERSONAL_DATA = "personuppgifter", _("känsliga personuppgifter om någon annan")
    OFF_TOPIC = "utanfor-amnet", _("utanför ämnet")
    SPAM = "reklam", _("reklam eller spam")
    UNLAWFUL = "olagligt", _("olagligt innehåll")
    PHOTO = "bild", _("bilden visar människor eller privata uppgifter")
    OTHER = "annat", _("annat brott mot reglerna")
