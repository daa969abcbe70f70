from torget.core import personal_data as pd
from torget.results.models import Correction, FeedbackPoint, PointSkip, ResultItem, ResultStep

pd.not_personal(ResultItem, politician=pd.STAFF, utskott_feedback_by=pd.STAFF, created_by=pd.STAFF)
pd.not_personal(ResultStep, created_by=pd.STAFF)
pd.not_personal(FeedbackPoint, published_by=pd.STAFF)
pd.not_personal(PointSkip, recorded_by=pd.STAFF)
pd.not_personal(Correction, corrected_by=pd.STAFF)
