"""Tables of the placement app."""
