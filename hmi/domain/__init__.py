"""Plain typed domain objects: tags, quality, plant definitions, the tag store.

Standard library only: no Qt, no I/O, no third-party packages.
"""
