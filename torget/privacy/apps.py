from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Dataskydd: the register of personal data (declared in each app's `personal_data.py`,
    torget.core.personal_data) and the staff tool for a person's rights (access, export,
    erasure)."""

    name = "torget.privacy"
    label = "privacy"
    verbose_name = _("Dataskydd")

    def ready(self) -> None:
        from torget.core import personal_data
        from torget.privacy import permissions  # noqa: F401 (registers its rules)

        # Every app's declarations, once all models are loaded.
        personal_data.discover()
