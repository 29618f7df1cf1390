"""Rendering: the folium map with its player, the Vega-Lite charts, the listings beside the map."""
