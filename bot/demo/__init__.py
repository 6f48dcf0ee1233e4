"""Demo data for trying the bot and the admin view locally (`make run`), one module per domain."""
