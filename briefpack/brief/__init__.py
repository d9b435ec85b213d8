"""The Brief: a pure document model built from the store, a visit and a scorecard."""
