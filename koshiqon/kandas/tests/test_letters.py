"""Decision letters: PDF in the applicant's language, with a QR code of the public verification page."""

import pytest

from koshiqon.kandas import letters
from koshiqon.kandas.models import Application
from koshiqon.kandas.services.selection import selection_run_approve, selection_run_start
from koshiqon.kandas.tests.selection_setup import (
    make_application,
    make_plan,
    selection_scene,
    weasyprint_or_skip,
)

VERIFY = "https://koshiqon.example.kz/kandas/verify/{code}/"


@pytest.fixture
def decided(reference, national, django_capture_on_commit_callbacks):
    """Two applications of 2026 decided by an approved run: one included (4 persons), one ineligible."""
    selection_scene()
    make_plan(2026, {"KZ-55": 10})
    included = make_application(education="6", experience=6, size=4)
    ineligible = make_application(education="3", size=1, last_name="Омаров")
    with django_capture_on_commit_callbacks(execute=True):
        run = selection_run_start(year=2026, by=national)
    selection_run_approve(run=run, by=national, reason="ok")
    return Application.objects.get(pk=included.pk), Application.objects.get(pk=ineligible.pk)


def url_of(app):
    return VERIFY.format(code=app.verification_code)


def test_the_pdf_is_produced(decided):
    weasyprint_or_skip()
    included, _ = decided
    pdf = letters.decision_letter_pdf(application=included, verify_url=url_of(included), language="kk")
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 5000


def test_the_qr_code_encodes_the_verification_url(decided):
    included, _ = decided
    html = letters.letter_html(application=included, verify_url=url_of(included), language="kk")
    assert letters.qr_svg(url_of(included)) in html
    assert letters.qr_svg(VERIFY.format(code="someone-else")) not in html
    assert url_of(included) in html


def test_the_qr_code_holds_exactly_the_url():
    import segno

    url = VERIFY.format(code="abc123")
    assert letters.qr_svg(url) == segno.make(url, error="m", micro=False).svg_inline(
        scale=3, dark="#000", light="#fff", border=2)
    assert letters.qr_svg(url) != letters.qr_svg(url + "x")


def test_the_letter_is_in_kazakh_by_default_and_in_russian_or_english_on_request(decided):
    included, _ = decided
    kk = letters.letter_html(application=included, verify_url=url_of(included))
    ru = letters.letter_html(application=included, verify_url=url_of(included), language="ru")
    en = letters.letter_html(application=included, verify_url=url_of(included), language="en")
    assert '<html lang="kk">' in kk and '<html lang="ru">' in ru and '<html lang="en">' in en
    assert "Білімі" in kk and "Образование" in ru and "Education" in en  # the grid's own labels
    assert "Павлодар облысы" in kk and "Павлодарская область" in ru and "Pavlodar Region" in en
    assert letters.letter_language("de") == "kk"


def test_an_included_familys_letter_gives_the_validity_and_the_support_in_tenge(decided):
    included, _ = decided
    html = letters.letter_html(application=included, verify_url=url_of(included), language="en")
    relocation = next(i for i in included.support["items"] if i["code"] == "relocation")
    assert "Relocation subsidy" in html
    assert f"{relocation['tenge']:,}" in html  # 280 MCI in tenge, grouped as English writes numbers
    assert str(included.status_valid_until.year) in html
    assert "Right of appeal" not in html


def test_an_ineligible_familys_letter_explains_the_score_and_the_right_of_appeal(decided):
    _, ineligible = decided
    html = letters.letter_html(application=ineligible, verify_url=url_of(ineligible), language="en")
    assert "did not reach the pass mark" in html
    assert "within 30 calendar days" in html
    assert "Relocation subsidy" not in html
    assert "Total: 10 points; pass mark 20" in html


def test_only_a_decided_application_has_a_letter(reference, decided):
    included, _ = decided
    assert letters.has_letter(included)
    assert not letters.has_letter(make_application())


def test_the_letter_is_written_in_the_familys_language_of_correspondence_unless_another_is_asked(
    decided, client, national, monkeypatch
):
    from django.urls import reverse

    included = decided[0]
    Application.objects.filter(pk=included.pk).update(language="ru")
    included.refresh_from_db()
    client.force_login(national)
    captured = {}

    def fake_pdf(*, application, verify_url, language):
        captured["language"] = language
        return b"%PDF-1.7 test"

    monkeypatch.setattr(letters, "decision_letter_pdf", fake_pdf)
    client.get(reverse("kandas:letter", args=[included.pk]))
    assert captured["language"] == "ru"
    client.get(reverse("kandas:letter", args=[included.pk]) + "?lang=en")
    assert captured["language"] == "en"
