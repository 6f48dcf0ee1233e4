"""Stand-ins for what Tsunagu talks to but does not own, starting with LINE."""
