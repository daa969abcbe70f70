"""Demo data for representativeness (filled in below)."""
