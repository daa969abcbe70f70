from typing import Any

from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class AccessibleFormRenderer(TemplatesSetting):
    """Every form renders its fields with a label, hint and error tied to the input
    (aria-describedby, aria-invalid) and an error summary linking to the fields."""

    form_template_name = "ui/form.html"
    field_template_name = "ui/field.html"


def apply_service_errors(form: Any, error: ValidationError) -> None:
    """A service's ValidationError onto the form that sent its input: each message on its
    field where the form has that field, otherwise on the form as a whole."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
