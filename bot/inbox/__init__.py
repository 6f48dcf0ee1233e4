"""LINE -> database: the webhook endpoint and the inbox it stores events in."""
