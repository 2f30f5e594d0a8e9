# gisa extract on bad inputs (issue #15): filled in by its change.
