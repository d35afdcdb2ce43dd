"""Subcommands of the saylau CLI, one module per area; each has register(subparsers)."""
