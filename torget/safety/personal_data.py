from torget.core import personal_data as pd
from torget.safety.models import FollowUp

pd.not_personal(FollowUp, recorded_by=pd.STAFF)
