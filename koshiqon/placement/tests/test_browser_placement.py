"""A proposed batch reviewed in a real browser (Debian's Chromium driven by Playwright), in Kazakh: a national
officer reads the model card, opens the proposal, sends one family to another region with a reason, and
approves the batch."""

import re

import pytest

from koshiqon.conftest import screenshot

pytestmark = pytest.mark.browser


def test_a_national_officer_overrides_a_family_with_a_reason_and_approves_the_batch_in_kazakh(
    live_server, transactional_db, browser_page, batch_scene, demo_history, national,
):
    from playwright.sync_api import expect

    from koshiqon.core.models import AuditEvent
    from koshiqon.placement.models import BatchStatus, PlacementBatch
    from koshiqon.placement.services.batches import batch_create, batch_family_needs_set
    from koshiqon.placement.services.solve import batch_solve_start
    from koshiqon.placement.services.training import model_train
    from koshiqon.placement.tests.scene import ARRIVAL, YEAR

    model = model_train(by=national)
    batch = batch_create(year=YEAR, arrival_date=ARRIVAL, by=national, name="Желтоқсан тобы")
    batch_family_needs_set(family=batch.families.get(application=batch_scene["fragile"]), needs=["psychologist"],
                           by=national)
    batch_solve_start(batch=batch, by=national)  # committed: the job runs at once (immediate backend)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PROPOSED
    families = list(batch.families.select_related("proposed_region", "application"))
    spare = next(c["region"] for c in batch.capacities
                 if c["families"] > sum(1 for f in families if f.proposed_region.code == c["region"]))
    mover = next(f for f in families if not f.needs and f.proposed_region.code != spare)

    page, base = browser_page, live_server.url
    page.goto(f"{base}/login/")
    page.fill("#id_username", "national")
    page.fill("#id_password", "correct-horse-battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")

    page.goto(f"{base}/placement/models/{model.pk}/")
    expect(page.locator("#oracle-share")).to_be_visible()
    expect(page.locator(".calibration__point").first).to_be_visible()
    screenshot(page, "placement-01-model-card")

    page.goto(f"{base}/placement/batches/{batch.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("#families tbody tr")).to_have_count(5)
    screenshot(page, "placement-02-proposal")

    page.select_option("#id_override-family", str(mover.pk))
    page.select_option("#id_override-region", spare)
    page.fill("#id_override-reason", "Туыстары баспана береді")
    page.locator("#override-form button[type=submit]").click()
    expect(page.locator(".messages .notice--success")).to_be_visible()
    expect(page.locator(f"#family-{mover.pk}")).to_contain_text("Туыстары баспана береді")
    event = AuditEvent.objects.get(action="placement.batch_family.override")
    assert event.after["region"] == spare and event.reason == "Туыстары баспана береді"

    page.fill("#id_approve-reason", "Комиссия хаттамасы № 12")
    page.locator("#approve").click()
    expect(page).to_have_url(re.compile(rf"/placement/batches/{batch.pk}/$"))
    expect(page.locator("#approved")).to_be_visible()
    assert PlacementBatch.objects.get(pk=batch.pk).status == BatchStatus.APPROVED
    screenshot(page, "placement-03-approved")
