"""Citizens' text on the map's pages: always through the one safe renderer (nh3)."""

from django import template
from django.utils.safestring import SafeString

from torget.core.richtext import plain_to_html

register = template.Library()


@register.filter
def citizen_text(text: str) -> SafeString:
    return plain_to_html(text)
