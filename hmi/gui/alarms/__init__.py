"""Alarms on screen: the live list, the banner, the journal and the alarm KPIs."""
