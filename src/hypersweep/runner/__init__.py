"""Running objectives: worker processes, the in-trial handle, and the sweep loop."""
