"""Management commands of the Zammad app."""
