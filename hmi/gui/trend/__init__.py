"""Trends: live and historical plots of tag values with their quality."""
