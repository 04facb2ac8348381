"""The national template of the yearly disclosure reports: its tables recognised, their figures checked."""
