"""``python -m luoshi`` is the ``luoshi`` command."""

from luoshi.cli import main

main()
