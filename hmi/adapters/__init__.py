"""Wire <-> domain: MQTT (paho), OPC UA (asyncua), payload codecs."""
