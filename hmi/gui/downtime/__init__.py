"""Downtime at the station: the reason picker, the queue of stops waiting, live OEE."""
