"""Every outbound network call in plugin/ names a timeout (a hung shop must not hang a worker)."""

from __future__ import annotations

import ast
from pathlib import Path

PLUGIN = Path(__file__).resolve().parents[2] / "plugin"
HTTP_VERBS = {"get", "post", "put", "patch", "delete", "head", "options", "request"}
# Receivers whose verbs are HTTP calls: the requests module, sessions, HTTP clients.
HTTP_RECEIVERS = ("requests", "session", "http", "httpx")
CONNECTIONS = {"SMTP", "SMTP_SSL", "urlopen", "create_connection", "HTTPSConnection"}
NETWORK_MODULES = {"requests", "smtplib", "httpx", "urllib.request", "socket", "http.client"}


def _imports_network(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name in NETWORK_MODULES for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.module in NETWORK_MODULES:
            return True
    return False


def _is_network_call(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in CONNECTIONS
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr in CONNECTIONS:
        return True
    receiver = ast.unparse(func.value).lower()
    # `session()` alone is the database session (plugin.db), not an HTTP one.
    return (
        func.attr in HTTP_VERBS
        and any(word in receiver for word in HTTP_RECEIVERS)
        and (receiver != "session()")
    )


def calls_without_timeout(source: str, name: str = "<source>") -> list[str]:
    """`file:line call` for each network call that passes no `timeout=`."""
    tree = ast.parse(source)
    if not _imports_network(tree):
        return []
    missing = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _is_network_call(node)):
            continue
        if not any(keyword.arg == "timeout" for keyword in node.keywords):
            missing.append(f"{name}:{node.lineno} {ast.unparse(node.func)}")
    return missing


def test_every_outbound_call_in_plugin_has_a_timeout() -> None:
    missing = []
    for path in sorted(PLUGIN.rglob("*.py")):
        missing += calls_without_timeout(path.read_text(), str(path.relative_to(PLUGIN)))
    assert missing == [], "pass timeout= (from config) to: " + ", ".join(missing)


def test_the_check_finds_the_calls_it_guards() -> None:
    found = calls_without_timeout(
        "import requests, smtplib\n"
        "requests.get('https://shop.example')\n"
        "self.session.post(url, json={})\n"
        "smtplib.SMTP('mail.example', 587)\n"
        "requests.post(url, timeout=5)\n"
        "session().get(Store, 1)\n"
    )
    assert [entry.split(" ", 1)[1] for entry in found] == [
        "requests.get",
        "self.session.post",
        "smtplib.SMTP",
    ]
