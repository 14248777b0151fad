"""Tables of the adaptation app."""
