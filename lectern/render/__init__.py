"""Renderers: finished view objects in, HTML or PDF bytes out."""
