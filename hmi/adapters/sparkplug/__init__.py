"""Sparkplug B 3.0: the generated protobuf code, payload decoding and the source link."""
