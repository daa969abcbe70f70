from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register("torget")
def demo_method_not_in_production(**kwargs: Any) -> list[Error]:
    if settings.IS_PRODUCTION and any("methods.demo" in m for m in settings.IDENTITY_METHODS):
        return [
            Error(
                "The demo identity method accepts any personnummer and must not run in production.",
                hint="Remove torget.identity.methods.demo.DemoMethod from IDENTITY_METHODS.",
                id="torget.E101",
            )
        ]
    return []
