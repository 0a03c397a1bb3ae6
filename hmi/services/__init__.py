"""Use cases on the runtime's asyncio thread: acquisition now; alarms, downtime, sync later."""
