"""The worker's side: processing (the loop over a resident's events), dispatch, one handler per LINE event type."""
