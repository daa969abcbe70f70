from torget.core import personal_data as pd
from torget.retention.models import RetentionRule

pd.not_personal(RetentionRule, updated_by=pd.STAFF)
