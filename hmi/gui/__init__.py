"""Qt only: the bridge from the runtime, table models, pages, widgets, theme."""
