"""Tables of the labour app."""
