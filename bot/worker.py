"""Entry point for the huey consumer: ``huey_consumer bot.worker.huey``."""
from bot import create_app

app = create_app()
huey = app.extensions["tsunagu"].huey
