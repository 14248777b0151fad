from django import template

from koshiqon.labour.categories import category_label

register = template.Library()


@register.filter
def labour_category(code: str) -> str:
    """A permit category as people read it: "3", "1+2", "seasonal" in the user's language."""
    return category_label(code or "")
