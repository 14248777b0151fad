"""How a permit category's code reads on pages and charts: the numbered categories keep their number, the
regimes with a name (seasonal work, intra-corporate transfer, the 2007-2011 seasonal agricultural category)
read as words in the user's language."""

from django.utils.translation import gettext_lazy as _

NAMED = {
    "seasonal": _("seasonal"),
    "4-seasonal": _("4 (seasonal agriculture)"),
    "ict": _("intra-corporate transfer"),
}


def category_label(code: str) -> str:
    return str(NAMED.get(code, code))
