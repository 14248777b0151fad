"""Decision letters: the PDF a family receives once a selection run is approved (issue 3).

The letter is written in the applicant's language (Kazakh by default, Russian or English on request): the
decision, the score with its per-criterion breakdown and explanation, the kandas status's validity and the
support in tenge for an included family, the right of appeal for the others. It carries a QR code (segno,
inline SVG) that encodes the absolute address of the public verification page, so anyone holding the paper
can check that the decision is genuine and still current.

WeasyPrint needs system libraries (Pango); it is imported only when a PDF is made, so that the rest of the
system runs where they are missing.
"""

from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from koshiqon.kandas.domain.status import AppStatus
from koshiqon.kandas.models import STATUS_LABELS, Application

LETTER_LANGUAGES = ("kk", "ru", "en")
DEFAULT_LANGUAGE = "kk"
DECIDED = frozenset({AppStatus.INCLUDED, AppStatus.WAITLISTED, AppStatus.INELIGIBLE, AppStatus.STATUS_GRANTED})


# Reasons recorded as codes by the selection; the commission's reasons are the commission's own words.
REASON_LABELS = {
    "below_pass_mark": gettext_lazy("The score is below the pass mark of the criteria grid."),
    "no_head": gettext_lazy("The application names no head of family."),
    "no_rules": gettext_lazy("No kandas rules were in force on the application date."),
    "quota_full": gettext_lazy(
        "The region's quota was filled before this family's turn, or the places left were fewer than its members."
    ),
    "no_regional_quota": gettext_lazy("The quota plan of the year gives this region no places."),
}


def reason_texts(reasons) -> list[str]:
    return [str(REASON_LABELS.get(r, r)) for r in reasons or []]


class LetterUnavailable(RuntimeError):
    """The PDF cannot be made here: WeasyPrint or its system libraries are missing."""


def letter_language(requested: str | None) -> str:
    """The letter's language: the one asked for when it is kk, ru or en, else Kazakh."""
    code = (requested or "").lower()[:2]
    return code if code in LETTER_LANGUAGES else DEFAULT_LANGUAGE


def has_letter(application: Application) -> bool:
    """A letter exists once a decision went out: the application was decided in an approved run."""
    return bool(application.verification_code) and application.status in DECIDED


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG (error correction M: a folded or stamped letter still scans)."""
    import segno

    return segno.make(url, error="m", micro=False).svg_inline(scale=3, dark="#000", light="#fff", border=2)


def support_date(application: Application) -> date | None:
    """The date the support was converted at (stored as ISO text in the support record)."""
    on = (application.support or {}).get("on")
    return date.fromisoformat(on) if on else None


def _points_rows(application: Application, language: str) -> list[dict]:
    breakdown = application.breakdown or {}
    labels = breakdown.get("labels") or {}
    rows = []
    for field, points in (breakdown.get("points") or {}).items():
        label = labels.get(field) or {}
        rows.append({"field": field, "label": label.get(language) or field, "points": Decimal(str(points))})
    return rows


def _support_rows(application: Application) -> list[dict]:
    return [
        {**item, "mci": Decimal(str(item["mci"])), "rate_mci": Decimal(str(item["rate_mci"]))}
        for item in (application.support or {}).get("items", [])
    ]


def letter_context(*, application: Application, verify_url: str, language: str) -> dict:
    breakdown = application.breakdown or {}
    explanation = breakdown.get("explanation") or {}
    head = application.head
    decided_on = timezone.localdate(application.decided_at) if application.decided_at else timezone.localdate()
    return {
        "application": application,
        "language": language,
        "head": head,
        "region_name": application.region.name_on(decided_on, language),
        "decided_on": decided_on,
        "status": application.status,
        "status_label": STATUS_LABELS.get(AppStatus(application.status), application.status),
        "included": application.status in (AppStatus.INCLUDED, AppStatus.STATUS_GRANTED),
        "points": _points_rows(application, language),
        "pass_mark": breakdown.get("pass_mark"),
        "explanation": explanation.get(language) or "",
        "support": application.support or {},
        "support_on": support_date(application),
        "support_rows": _support_rows(application),
        "reasons": reason_texts(application.decision_reasons),
        "appeal_days": breakdown.get("appeal_filing_days"),
        "verify_url": verify_url,
        "qr": qr_svg(verify_url),
    }


def letter_html(*, application: Application, verify_url: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The letter as HTML, in `language` (kk, ru or en), whatever language the request speaks."""
    language = letter_language(language)
    with translation.override(language):
        return render_to_string(
            "kandas/letter.html", letter_context(application=application, verify_url=verify_url, language=language)
        )


def decision_letter_pdf(*, application: Application, verify_url: str, language: str = DEFAULT_LANGUAGE) -> bytes:
    """The decision letter as PDF bytes. Raises LetterUnavailable where WeasyPrint cannot run."""
    html = letter_html(application=application, verify_url=verify_url, language=language)
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango or its friends are not installed
        raise LetterUnavailable(str(exc)) from exc
    return HTML(string=html).write_pdf()


def letter_filename(application: Application, language: str) -> str:
    return f"kandas-{application.number}-{letter_language(language)}.pdf".replace("/", "-")
