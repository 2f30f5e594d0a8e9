# The metrics endpoint (issue #13): filled in by its change.
