"""Unit rows from the library's registry (``luoshi.registry``): the registry is the source, the
rows follow it. ``load_units`` makes every record a row (idempotent); ``unit_for`` makes one row
on demand, as an import meets the unit."""

from __future__ import annotations

from django.db import transaction

from luoshi.registry import Registry, RegistryUnit, default_registry
from luoshi_web.documents.models import Unit


def _fields(record: RegistryUnit) -> dict:
    return {
        "name": record.name,
        "full_name": record.full_name or "",
        "kind": record.kind,
        "valid_from": record.valid_from,
        "valid_to": record.valid_to,
    }


def _link(unit: Unit, record: RegistryUnit) -> None:
    """Link ``unit`` to the rows of its predecessors and successors that exist."""
    ids = {link.id for link in record.predecessors}
    if ids:
        unit.predecessors.add(*Unit.objects.filter(registry_id__in=ids))
    ids = {link.id for link in record.successors}
    if ids:
        unit.successors.add(*Unit.objects.filter(registry_id__in=ids))


def unit_for(registry_id: str, registry: Registry | None = None) -> Unit | None:
    """The Unit row for a registry id, created (and linked) the first time; None when the
    registry has no such record."""
    unit = Unit.objects.filter(registry_id=registry_id).first()
    if unit is not None:
        return unit
    registry = registry or default_registry()
    if registry_id not in registry:
        return None
    record = registry.get(registry_id)
    unit = Unit.objects.create(registry_id=registry_id, **_fields(record))
    _link(unit, record)
    return unit


@transaction.atomic
def load_units(registry: Registry | None = None) -> tuple[int, int]:
    """Every registry record as a Unit row, names and links brought up to date.
    Returns ``(created, updated)``; a second run returns ``(0, 0)``."""
    registry = registry or default_registry()
    existing = {u.registry_id: u for u in Unit.objects.all()}
    created = updated = 0
    for record in registry:
        fields = _fields(record)
        unit = existing.get(record.id)
        if unit is None:
            existing[record.id] = Unit.objects.create(registry_id=record.id, **fields)
            created += 1
        elif any(getattr(unit, k) != v for k, v in fields.items()):
            for key, value in fields.items():
                setattr(unit, key, value)
            unit.save()
            updated += 1
    for record in registry:
        _link(existing[record.id], record)
    return created, updated
