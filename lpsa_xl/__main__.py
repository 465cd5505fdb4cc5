"""``python -m lpsa_xl`` runs the ``lpsa-xl`` command."""

from .cli import main

main()
