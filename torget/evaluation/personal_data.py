from torget.core import personal_data as pd
from torget.evaluation.models import InternalEvaluation, Survey, SurveyTemplate

pd.not_personal(SurveyTemplate, name=pd.NOT_ABOUT_A_PERSON)
pd.not_personal(Survey, sent_by=pd.STAFF)
pd.not_personal(InternalEvaluation, updated_by=pd.STAFF)
