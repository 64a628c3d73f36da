"""Demo store jobs (filled by the demo loader work)."""
