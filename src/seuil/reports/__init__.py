"""Activity report: `compute` (pure arithmetic on plain data) fed by `facts` (bulk queries)."""
