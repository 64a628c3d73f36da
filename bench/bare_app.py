"""A bare Flask app for bench/load.py: the floor that gunicorn and Flask alone cost.

Served under the same gunicorn settings as Encore (`gunicorn --pythonpath bench bare_app:app`).
"""

from __future__ import annotations

from flask import Flask, Response, jsonify

app = Flask("bare")


@app.get("/healthz")
def healthz() -> Response:
    return jsonify({"status": "ok"})


@app.get("/bare")
def bare() -> Response:
    """A small JSON answer, about the size of an acknowledged webhook's."""
    return jsonify({"status": "accepted"})
