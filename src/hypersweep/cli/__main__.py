"""``python -m hypersweep.cli`` runs the command line."""
from hypersweep.cli.main import main

main()
