"""Programmes (e.g. programme C, 地方版孤独・孤立対策官民連携プラットフォーム
推進事業) created and edited by staff; every write leaves a ProgrammeEvent."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.roles import Role
from core.transitions import record

from .models import Programme, ProgrammeEvent

FIELDS = ("code", "name_ja", "name_en", "description_ja", "description_en", "funder_name")



def _check(values: dict, programme: Programme | None = None) -> None:
    if "name_ja" in values and not (values["name_ja"] or "").strip():
        raise DomainError(_("Enter the Japanese name."), code="required", field="name_ja")
    code = values.get("code")
    if code is not None:
        taken = Programme.objects.filter(code=code)
        if programme is not None:
            taken = taken.exclude(pk=programme.pk)
        if taken.exists():
            raise DomainError(_("The code %(code)s is already in use.") % {"code": code},
                              code="code_taken", field="code")


def _set_staff(programme: Programme, staff) -> list[str]:
    """Only programme staff may staff a programme."""
    staff = list(staff)
    wrong = [u.email for u in staff if u.role != Role.PROGRAMME_STAFF and not u.is_superuser]
    if wrong:
        raise DomainError(
            _("%(email)s is not programme staff.") % {"email": wrong[0]},
            code="not_programme_staff", field="staff")
    programme.staff.set(staff)
    return sorted(u.email for u in staff)


@transaction.atomic
def create_programme(*, by, staff=None, **values) -> Programme:
    """A new programme; its creator staffs it unless `staff` says who."""
    _check(values)
    programme = Programme.objects.create(**{f: v for f, v in values.items() if f in FIELDS})
    people = _set_staff(programme, staff if staff is not None else [by])
    record(
        ProgrammeEvent, programme=programme, by=by, action=ProgrammeEvent.Action.CREATED,
        changes={**{f: [None, getattr(programme, f)] for f in FIELDS}, "staff": [None, people]})
    return programme


@transaction.atomic
def update_programme(*, programme: Programme, by, reason: str = "", staff=None,
                     **values) -> Programme:
    """Change names, descriptions, funder, code or staff; no change, no row."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _check(values, programme)
    changes = {f: [getattr(programme, f), v] for f, v in values.items()
               if f in FIELDS and getattr(programme, f) != v}
    for field, (_old, new) in changes.items():
        setattr(programme, field, new)
    if changes:
        programme.save()
    if staff is not None:
        before = sorted(programme.staff.values_list("email", flat=True))
        after = _set_staff(programme, staff)
        if before != after:
            changes["staff"] = [before, after]
    if changes:
        record(ProgrammeEvent, programme=programme, by=by, action=ProgrammeEvent.Action.CHANGED,
               why=reason, changes=changes)
    return programme
