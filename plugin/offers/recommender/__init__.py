"""The learned next-best-offer recommender: incremental state per store, read-only hot path."""
