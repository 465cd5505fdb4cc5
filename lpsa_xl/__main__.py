"""``python -m lpsa_xl`` runs the ``lpsa-xl`` command."""

from lpsa_xl.cli import main

main()
