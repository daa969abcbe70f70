from django.forms.renderers import TemplatesSetting


class AccessibleFormRenderer(TemplatesSetting):
    """Every form renders its fields with a label, hint and error tied to the input
    (aria-describedby, aria-invalid) and an error summary linking to the fields."""

    form_template_name = "ui/form.html"
    field_template_name = "ui/field.html"
