"""Every write of placement: the training history (history.py, its file format in history_format.py), the
training of the outcome model (training.py), batches and their proposals, overrides and approval
(batches.py, solve.py), and the adaptation plans an approval opens (plans.py)."""
