"""The wizard's pages, one module each (and the widgets only they use)."""
