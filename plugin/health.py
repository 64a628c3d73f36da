"""GET /healthz for load balancers: 200 when the database answers, 503 otherwise."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from plugin.db import session

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify({"status": "unavailable", "reason": "database unreachable"}), 503
    return jsonify({"status": "ok"}), 200
