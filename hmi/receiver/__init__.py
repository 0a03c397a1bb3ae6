"""The reference receiver: what an MES does with Floorline's records, in a few hundred lines.

A peer of the HMI, not a part of it (an import-linter contract says so): it
subscribes to the records' MQTT topics, or listens for their HTTP POSTs,
checks each envelope, keeps one copy per record id in a SQLite file and
counts the duplicates that at-least-once delivery brings. ``hmi receiver``
runs it; the tests run it in-process as the upstream's other end.
"""
