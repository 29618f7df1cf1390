"""Exports: downloadable tables, pictures, a standalone page and the static edition for readers."""
