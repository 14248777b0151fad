"""Pages of the person registry. They call the same services and selectors as the API, so every rule
(rights, regions, validation, duplicates, audit) lives in one place; a page only shows the outcome."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import TextInput
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from koshiqon.core.audit import persons_read
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can, require
from koshiqon.people import selectors, services
from koshiqon.people.domain.names import latin_from_cyrillic
from koshiqon.people.forms import (
    DocumentForm,
    FamilyMemberForm,
    PersonEditForm,
    PersonForm,
    PersonSearchForm,
    ReasonForm,
    apply_errors,
    person_initial,
)
from koshiqon.web.trail import describe_events

REASON_LABELS = {
    "iin": gettext_lazy("same IIN"),
    "document": gettext_lazy("same document number"),
    "name_and_birth_date": gettext_lazy("similar name, same date of birth"),
}


def _rights(user) -> dict:
    return {
        "can_change": can(user, Perm.PEOPLE_CHANGE),
        "can_merge": can(user, Perm.PEOPLE_MERGE),
        "can_archive": can(user, Perm.PEOPLE_DELETE),
        "can_audit": can(user, Perm.AUDIT_VIEW),
    }


@require_GET
def person_list(request):
    """The registry: search by name in any script, IIN or document number, with filters. htmx swaps only the
    results; without JavaScript the same form is an ordinary GET."""
    require(request.user, Perm.PEOPLE_VIEW)
    form = PersonSearchForm(request.GET or None, user=request.user)
    filters = form.filters()
    persons = selectors.person_list(user=request.user, **filters).prefetch_related("region__names")
    page = Paginator(persons, settings.KOSHIQON_PAGE_SIZE).get_page(request.GET.get("page"))
    persons_read(request, [p.pk for p in page.object_list])
    context = {"form": form, "page": page, "searched": bool(filters)} | _rights(request.user)
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "people/_results.html" if partial else "people/person_list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def person_detail(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk, channel="page", path=request.path)
    families = list(selectors.person_families(person=person))
    context = {
        "person": person,
        "documents": selectors.person_documents(person=person),
        "families": families,
    } | _rights(request.user)
    # The person's own read is logged by the selector; the relatives and possible duplicates named here are
    # reads of their records too.
    shown = [m.person_id for f in families for m in f.members.all()]
    if context["can_merge"]:
        candidates, _hidden = selectors.person_duplicate_candidates(
            user=request.user, last_name=person.last_name, first_name=person.first_name,
            patronymic=person.patronymic, last_name_latin=person.last_name_latin,
            first_name_latin=person.first_name_latin, birth_date=person.birth_date, exclude_id=person.pk,
        )
        context["possible_duplicates"] = candidates
        shown += [c.person.pk for c in candidates]
    persons_read(request, [i for i in shown if i != person.pk])
    return render(request, "people/person_detail.html", context)


def _candidate_rows(request, exc: services.PossibleDuplicates) -> list[dict]:
    # The candidates' details are shown to the officer: that is a read of their records.
    persons_read(request, [c.person.pk for c in exc.candidates])
    rows = []
    for c in exc.candidates:
        rows.append({
            "person": c.person, "score": c.score, "documents": selectors.person_documents(person=c.person),
            "reasons": [REASON_LABELS.get(r, r) for r in c.reasons],
        })
    return rows


def _duplicates_page(request, form, exc: services.PossibleDuplicates, *, confirm_error: bool):
    if confirm_error:
        form.add_error("confirmed_new", _("Tick the box to confirm that this is a different person."))
    context = {
        "form": form, "new": form.cleaned_data, "candidates": _candidate_rows(request, exc),
        "hidden": exc.hidden, "blocking": [m for msgs in exc.errors.values() for m in msgs],
    }
    return render(request, "people/person_duplicates.html", context)


def person_create(request):
    require(request.user, Perm.PEOPLE_CHANGE)
    if request.method != "POST":
        regions = list(request.user.regions.all()[:2])
        initial = {"region": regions[0].code} if len(regions) == 1 else {}
        form = PersonForm(user=request.user, initial=initial)
        return render(request, "people/person_form.html", {"form": form, "creating": True})
    form = PersonForm(request.POST, user=request.user)
    if "back" not in request.POST and form.is_valid():
        try:
            person = services.person_create(
                **form.service_kwargs(), by=request.user, confirmed_new=form.cleaned_data["confirmed_new"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except services.PossibleDuplicates as exc:
            return _duplicates_page(request, form, exc, confirm_error="confirm" in request.POST)
        else:
            messages.success(request, _("The person is registered."))
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "creating": True})


def person_edit(request, pk: int):
    person = selectors.person_for_update(user=request.user, pk=pk)
    if request.method != "POST":
        form = PersonEditForm(user=request.user, initial=person_initial(person))
        persons_read(request, [person.pk])  # the form shows the whole record
        return render(request, "people/person_form.html", {"form": form, "person": person})
    form = PersonEditForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.person_update(
                person=person, by=request.user, reason=form.cleaned_data["reason"], **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("people:person_detail", pk=person.pk)
    persons_read(request, [person.pk])
    return render(request, "people/person_form.html", {"form": form, "person": person})


@require_GET
def latin_hint(request):
    """The Latin-name input, pre-filled with the passport spelling of the Cyrillic name when still empty."""
    require(request.user, Perm.PEOPLE_CHANGE)
    name = request.GET.get("field", "")
    if name not in ("last_name_latin", "first_name_latin"):
        raise Http404
    current = request.GET.get(name, "").strip()
    source = request.GET.get(name.removesuffix("_latin"), "")
    value = current or latin_from_cyrillic(" ".join(source.split()))
    attrs = {"id": f"id_{name}", "maxlength": "100", "aria-describedby": f"id_{name}_help"}
    return HttpResponse(TextInput().render(name, value, attrs=attrs))


def document_create(request, pk: int):
    person = selectors.person_for_update(user=request.user, pk=pk)
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_add(
                person=person, by=request.user, kind=data["kind"], number=data["number"], mrz=data["mrz"],
                issuing_country=data["issuing_country"], issued_on=data["issued_on"], expires_on=data["expires_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The document is added."))
            return redirect("people:person_detail", pk=person.pk)
    persons_read(request, [person.pk])  # the page names the person
    return render(request, "people/document_form.html", {"form": form, "person": person})


def document_archive(request, pk: int, doc_pk: int):
    person = selectors.person_for_update(user=request.user, pk=pk)
    document = selectors.document_get(user=request.user, pk=doc_pk)
    if document.person_id != person.pk:
        raise Http404
    form = ReasonForm(request.POST or None, help_text=_("For example: lost, replaced by a new passport, entered by mistake."))
    if request.method == "POST" and form.is_valid():
        try:
            services.document_archive(document=document, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The document is archived."))
            return redirect("people:person_detail", pk=person.pk)
    context = {"form": form, "person": person, "document": document, "what": "document"}
    persons_read(request, [person.pk])  # the page names the person and the document
    return render(request, "people/archive_form.html", context)


def person_archive(request, pk: int):
    require(request.user, Perm.PEOPLE_DELETE)
    person = selectors.person_for_update(user=request.user, pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_archive(person=person, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The record is archived."))
            return redirect("people:person_list")
    persons_read(request, [person.pk])  # the page names the person
    return render(request, "people/archive_form.html", {"form": form, "person": person, "what": "person"})


def _merge_choices(request, keep) -> dict:
    candidates, hidden = selectors.person_duplicate_candidates(
        user=request.user, last_name=keep.last_name, first_name=keep.first_name, patronymic=keep.patronymic,
        last_name_latin=keep.last_name_latin, first_name_latin=keep.first_name_latin, birth_date=keep.birth_date,
        exclude_id=keep.pk,
    )
    q = request.GET.get("q", "").strip()
    found = list(selectors.person_list(user=request.user, q=q).exclude(pk=keep.pk)[:20]) if q else []
    # The record kept is logged by its selector; the candidates and the records found are shown too.
    persons_read(request, [c.person.pk for c in candidates] + [p.pk for p in found])
    return {"candidates": candidates, "hidden": hidden, "q": q, "found": found}


def person_merge(request, pk: int):
    """Merge another record (the duplicate) into this one, after a side-by-side comparison and with a reason."""
    require(request.user, Perm.PEOPLE_MERGE)
    keep = selectors.person_get(user=request.user, pk=pk, channel="page", path=request.path)
    other_id = request.POST.get("other") or request.GET.get("other")
    if not other_id:
        return render(request, "people/person_merge_choose.html", {"person": keep} | _merge_choices(request, keep))
    if not str(other_id).isdigit():
        raise Http404
    duplicate = selectors.person_get(user=request.user, pk=int(other_id), channel="page", path=request.path)
    form = ReasonForm(
        request.POST or None, label=_("Why are these records the same person?"),
        help_text=_("For example: the same passport seen by the officer; a typing error in the date of birth."),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_merge(keep=keep, duplicate=duplicate, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The records are merged."))
            return redirect("people:person_detail", pk=keep.pk)
    context = {
        "person": keep, "other": duplicate, "form": form,
        "keep_documents": selectors.person_documents(person=keep),
        "other_documents": selectors.person_documents(person=duplicate),
    }
    return render(request, "people/person_merge.html", context)


@require_POST
def family_create(request, pk: int):
    person = selectors.person_for_update(user=request.user, pk=pk)
    try:
        services.family_create(head=person, by=request.user, name=request.POST.get("name", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The family is registered with this person as its head."))
    return redirect("people:person_detail", pk=person.pk)


def _find_member(user, value: str):
    value = "".join(value.split())
    qs = selectors.person_queryset(user=user)
    if len(value) == 12 and value.isdigit():
        return qs.filter(iin=value).first()
    if value.isdigit():
        return qs.filter(pk=int(value)).first()
    return None


def family_member_add(request, pk: int, family_pk: int):
    person = selectors.person_for_update(user=request.user, pk=pk)
    family = get_object_or_404(selectors.person_families(person=person), pk=family_pk)
    form = FamilyMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = _find_member(request.user, form.cleaned_data["member"])
        if member is None:
            form.add_error("member", _("No person with this IIN or record number is registered in your regions."))
        else:
            try:
                services.family_member_add(
                    family=family, person=member, relation=form.cleaned_data["relation"], by=request.user
                )
            except ValidationError as exc:
                apply_errors(form, exc, rename={"person": "member"})
            else:
                messages.success(request, _("The family member is added."))
                return redirect(reverse("people:person_detail", args=[person.pk]) + "#families")
    persons_read(request, [person.pk])  # the page names the person
    return render(request, "people/family_member_form.html", {"form": form, "person": person, "family": family})


def person_audit(request, pk: int):
    """Who did what to this record and its documents, when, why, with the values before and after."""
    require(request.user, Perm.AUDIT_VIEW)
    person = selectors.person_get(user=request.user, pk=pk, channel="page", path=request.path)
    events = list(selectors.person_audit_trail(user=request.user, person=person))
    return render(request, "people/person_audit.html", {"person": person, "events": describe_events(events)})
