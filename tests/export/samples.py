"""What the export tests feed in besides the events: a provider's attribution and hostile text."""

ACLED = (
    "Armed Conflict Location & Event Data Project (ACLED); www.acleddata.com, accessed 2026-11-25"
)
XSS = "</script><script>alert(2)</script>"
