from torget.core import personal_data as pd
from torget.privacy.models import RightsRequest

pd.not_personal(RightsRequest, handled_by=pd.STAFF)
