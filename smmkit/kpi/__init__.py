"""Tables to numbers: periods, metric functions, the KPI engine, signals and the result type."""
