"""Conversation flows, one module each (bot/flows/registry.py maps their names to them).

Importing the package loads no flow, so services and the rich menu can use
bot/flows/postbacks.py without importing the flows that use them.
"""
