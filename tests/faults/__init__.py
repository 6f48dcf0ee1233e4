"""Fault injection: real processes killed, outages, redelivery storms, fuzzing."""
