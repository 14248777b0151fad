"""Every read of placement, scoped to the user: the history (facts.py, history.py), the trained models and
their cards (models.py), and the batches with their families and the room they are solved against
(batches.py)."""
