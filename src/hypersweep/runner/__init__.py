"""Running objectives: the Runner, the Executor seam and its local process executor, the in-trial handle."""
