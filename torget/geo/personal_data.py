from django.utils.translation import gettext_lazy as _

from torget.core import personal_data as pd
from torget.geo.models import Area, PopulationImport

pd.not_personal(Area, name=pd.NOT_ABOUT_A_PERSON)
pd.not_personal(
    PopulationImport,
    imported_by=pd.STAFF,
    file_name=_("Namnet på filen med befolkningsstatistik, som bara har antal per område."),
)
