"""Composition root: the command line, logging, and building the runtime and the window."""
