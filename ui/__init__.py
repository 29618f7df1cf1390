"""Streamlit adapters: the only code besides dashboard.py that imports streamlit."""
