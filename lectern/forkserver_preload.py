"""Imported (as a preload) only by serve's forkserver: it dies with the server that started it."""
from .lifeline import bind_to_parent

bind_to_parent()
