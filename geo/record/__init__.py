"""The bundled reference tables: the January 2022 record, its official tolls, disputes and
context, the boundary layouts, the gazetteer, country codes and time zones."""
