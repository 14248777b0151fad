"""The placement pages: home and model cards (models.py), the training history (history.py), batches and
their families (batches.py); forms.py parses input, cards.py and charts.py prepare what the pages draw."""
