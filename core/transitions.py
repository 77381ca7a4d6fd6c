"""State moves and history rows, the one way every app writes them (issue 11).

A domain model lists its allowed moves in `TRANSITIONS`; its history table is
an `EventModel` (core.models) with an `Action` TextChoices. A service calls
`transition` to move a status and `record` for any other event; both write one
event row: who (`actor`), when (`at`), what (`action`), from which state to
which, why (`reason`) and the event's own fields (its foreign keys, `changes`).

Core imports no domain app: the model instance and the event class come in as
arguments. Locking is the caller's: it holds the row `select_for_update` (with
the relations it needs) before it checks anything.
"""

from .errors import DomainError


def actor(by):
    """The user to record as the actor; None for the system (no saved user)."""
    return by if getattr(by, "pk", None) else None


def record(event_model, *, by, action, why: str = "", **fields):
    """Write one row of `event_model`. `changes=None` stores the default {}."""
    if fields.get("changes") is None:
        fields.pop("changes", None)
    return event_model.objects.create(
        actor=actor(by), action=action, reason=(why or "").strip(), **fields
    )


def check_transition(obj, to, *, refusal, field: str = "status", refusal_params=None) -> None:
    """Refuse a move `type(obj).TRANSITIONS` does not list (see `transition`),
    for a service that checks the move before its other checks."""
    model = type(obj)
    current = getattr(obj, field)
    if to not in model.TRANSITIONS.get(current, ()):
        labels = dict(model._meta.get_field(field).flatchoices)
        raise DomainError(
            refusal % {"from": labels.get(current, current), "to": labels.get(to, to),
                       **(refusal_params or {})},
            code="bad_transition",
        )


def transition(obj, to, *, by, action, event_model, refusal, why: str = "",
               field: str = "status", save: bool = True, refusal_params=None, **event_fields):
    """Move `obj.<field>` to `to` if `type(obj).TRANSITIONS` allows it, and
    record the move (from, to, why) as an `event_model` row; returns the row.

    Refused moves raise DomainError(code="bad_transition") with `refusal`, a
    message taking %(from)s and %(to)s (the states' labels) and any
    `refusal_params`. With `save=False` the status is set but not saved: the
    caller saves it with its other changes.
    """
    model = type(obj)
    current = getattr(obj, field)
    check_transition(obj, to, refusal=refusal, field=field, refusal_params=refusal_params)
    event = record(event_model, by=by, action=action, why=why, from_status=current,
                   to_status=to, **event_fields)
    setattr(obj, field, to)
    if save:
        update_fields = [field]
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            update_fields.append("updated_at")
        obj.save(update_fields=update_fields)
    return event
