"""Inspections made through the services, as the staff pages make them."""

import datetime
from typing import Any

from torget.councils.tests.factories import coordinator
from torget.inspections import services
from torget.inspections.models import Inspection


def inspection(council: Any, day: datetime.date, actor: Any = None, **values: Any) -> Inspection:
    values.setdefault("meeting_point", "Vid centrumtorget")
    return services.inspection_plan(
        actor=actor or coordinator(), council=council, date=day, **values
    )
