"""Analysis: placing events in units, counting them per frame, how the unrest spread, filters."""
