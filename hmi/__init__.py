"""Floorline: an operator HMI for factories."""

__version__ = "0.1.0"
