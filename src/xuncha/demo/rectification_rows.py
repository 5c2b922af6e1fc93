"""Writing the demo rectification's rows: bulk inserts, with the stamps the models would set on
save (created, updated, uploaded) written afterwards, and the moments those stamps are made of.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import connection
from django.utils import timezone

BATCH = 500


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def stamp(row, **stamps: datetime) -> None:
    """Stamps of fields the model sets on save, written after the bulk insert."""
    row._demo_stamps = {**getattr(row, "_demo_stamps", {}), **stamps}


def insert(model, rows: list) -> None:
    """Bulk-insert the rows, then write their stamps. One UPDATE statement run for every row
    (executemany) rather than bulk_update: its CASE expressions take seconds over thousands of rows."""
    model.objects.bulk_create(rows, batch_size=BATCH)
    stamped = [r for r in rows if getattr(r, "_demo_stamps", None)]
    if not stamped:
        return
    names = sorted(stamped[0]._demo_stamps)
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(model._meta.db_table)} SET " + ", ".join(f"{quote(f.column)} = %s" for f in fields)
           + f" WHERE {quote(model._meta.pk.column)} = %s")
    params = []
    for row in stamped:
        for name in names:
            setattr(row, name, row._demo_stamps[name])
        params.append([f.get_db_prep_value(getattr(row, f.attname), connection) for f in fields] + [row.pk])
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)

