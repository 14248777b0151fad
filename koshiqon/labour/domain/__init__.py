"""Pure rules of foreign labour: regimes by date, the permit decision, terms and policy values."""
