"""Analytics: pure functions from the database to the figures the merchant sees.

Each module computes one family of figures for a store and a `Period`; none writes anything.
The definitions are in each module's docstring and in docs/admin.md.
"""
