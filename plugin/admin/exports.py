"""CSV downloads: impressions, conversions, shipments and feedback of a period, streamed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import Any

from flask import Response, request, stream_with_context

from plugin.admin.access import current_principal, store_for
from plugin.admin.blueprint import bp
from plugin.admin.periods import requested_period
from plugin.analytics.exports import EXPORTS
from plugin.db import session
from plugin.errors import ApiError
from plugin.models import utcnow

# A spreadsheet runs a cell starting with these as a formula: shopper-typed text must not.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _lines(header: Sequence[str], rows: Iterator[Sequence[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        if buffer.tell() > 16384:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@bp.get("/stores/<store_id>/export/<name>.csv")
def export_csv(store_id: str, name: str) -> Response:
    db = session()
    store = store_for(db, current_principal(), store_id)
    export = EXPORTS.get(name)
    if export is None:
        raise ApiError(404, "unknown_export", f"Choose one of: {', '.join(EXPORTS)}.")
    period = requested_period(request.args, store, utcnow())
    filename = f"encore-{name}-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}.csv"
    return Response(
        stream_with_context(_lines(export.header, export.rows(db, store, period))),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
