from django.utils.translation import gettext_lazy as _

from torget.core import personal_data as pd
from torget.safety.models import FollowUp, SurveyResult

pd.not_personal(FollowUp, recorded_by=pd.STAFF)
pd.not_personal(
    SurveyResult,
    source_name=_("Vilken undersökning resultaten kommer från (till exempel polisens)."),
    imported_by=pd.STAFF,
)
