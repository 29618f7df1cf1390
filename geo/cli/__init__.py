"""The command line: `python -m geo validate|summary|onsets|spread|export|publish`."""
