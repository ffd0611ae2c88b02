"""Lectern: one structured course source becomes a slide deck, a study guide and handouts."""

__version__ = "0.1.0"
