from django.utils.translation import gettext_lazy as _

from torget.core import personal_data as pd
from torget.privacy.models import RightsRequest

pd.not_personal(
    RightsRequest,
    handled_by=pd.STAFF,
    searched_by=_("Vilket slag av uppgift som söktes på, aldrig själva uppgiften."),
)
