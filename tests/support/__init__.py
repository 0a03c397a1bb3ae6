"""Real peers for tests: a Mosquitto broker and an OPC UA server, on loopback with free ports."""
