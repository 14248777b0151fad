"""Foreign labour: quotas, the labour-market test and work permits (issue 5)."""
