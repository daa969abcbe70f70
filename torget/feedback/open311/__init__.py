"""Open311 GeoReport v2 over the fault reports (felanmälningar)."""
