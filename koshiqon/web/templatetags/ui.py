"""Shared pieces of the pages: form fields with their errors, and the current menu item."""

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("web/_field.html")
def field(bound_field, css_class: str = "", help_id_suffix: str = "_help"):
    """A form field with its label, help and errors. The input points at its errors and help with
    `aria-describedby` and says `aria-invalid`, so screen readers read the error with the field."""
    base_id = bound_field.auto_id or bound_field.html_name
    described = []
    if bound_field.errors:
        described.append(f"{base_id}_errors")
    if bound_field.help_text:
        described.append(f"{base_id}{help_id_suffix}")
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    optional = getattr(bound_field.field, "optional", not bound_field.field.required)
    if not optional:
        attrs["aria-required"] = "true"
    widget_type = bound_field.widget_type
    return {
        "f": bound_field,
        "widget": bound_field.as_widget(attrs=attrs),
        "base_id": base_id,
        "optional": optional,
        "is_group": widget_type in ("radioselect", "checkboxselectmultiple"),
        "is_check": widget_type == "checkbox",
        "css_class": css_class,
    }


@register.filter
def is_current(item_url: str, path: str) -> bool:
    """The home item is current only on the home page; the others on every page below them."""
    if item_url == "/":
        return path == "/"
    return path.startswith(item_url)


@register.simple_tag
def interface_languages():
    """The languages of the switcher, each named in itself ("Қазақша", "Русский", "English"), never
    translated: a reader who does not understand the current language must still find their own."""
    return settings.LANGUAGES
