"""Numbers to what a reader sees: labels and number formats (en/ru), theme, plot helpers, page blocks."""
