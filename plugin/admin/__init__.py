"""Merchant admin: server-rendered pages and the `/admin/api/...` JSON behind them.

Kept import-light on purpose: `plugin.models` imports `plugin.admin.tables`, so this package
must not import the blueprints (which import the models) when it is first loaded.
"""
