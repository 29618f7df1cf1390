"""ACLED's event types before its 2019 codebook, read as today's types.

Exports made before 2019 (and the 2015/2016 API output) use nine older types; onsets count
today's unrest types (geo.analysis.spread.UNREST_TYPES), so each old type is read as the type
ACLED's 2019 codebook gave such events, with the old name kept as the sub-event type where today's
codebook has one. `Riots/Protests` was split in 2019: a row whose first actor is coded as
rioters (`inter1` 5) is a riot, every other one a protest.
"""

from __future__ import annotations

import pandas as pd

LEGACY_TYPES: dict[str, tuple[str, str | None]] = {
    "riots/protests": ("Protests", None),
    "battle-no change of territory": ("Battles", "Armed clash"),
    "battle-government regains territory": ("Battles", "Government regains territory"),
    "battle-non-state actor overtakes territory": (
        "Battles",
        "Non-state actor overtakes territory",
    ),
    "remote violence": ("Explosions/Remote violence", None),
    "violence against civilians": ("Violence against civilians", None),
    "strategic development": ("Strategic developments", None),
    "non-violent transfer of territory": (
        "Strategic developments",
        "Non-violent transfer of territory",
    ),
    "headquarters or base established": (
        "Strategic developments",
        "Headquarters or base established",
    ),
}
"""Old ACLED event type (lower case) -> (today's event type, today's sub-event type or None)."""
RIOTERS = "5"
"""ACLED's `inter1` code of rioters."""


def modernize_types(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Old ACLED event types replaced by today's (see LEGACY_TYPES), with a note on the mapping
    used and how many rows each old type had. Drops the helper column `inter1` if present."""
    inter1 = frame.pop("inter1") if "inter1" in frame else None
    if "event_type" not in frame:
        return frame, []
    text = frame["event_type"].astype("string").str.strip()
    key = text.str.lower().str.replace(r"\s*-\s*", "-", regex=True)
    old = key.isin(LEGACY_TYPES).fillna(False)
    # "Violence against civilians" is also a current name: it is only renamed in old files.
    legacy_only = old & (key != "violence against civilians")
    if not legacy_only.any():
        return frame, []
    frame = frame.copy()
    mapped = key[old].map(lambda k: LEGACY_TYPES[k][0])
    rioters = pd.Series(False, index=frame.index)
    if inter1 is not None:
        codes = inter1.astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
        rioters = (codes == RIOTERS).fillna(False) & (key == "riots/protests")
    mapped[rioters[old]] = "Riots"
    sub = key[old].map(lambda k: LEGACY_TYPES[k][1])
    if "sub_event_type" not in frame:
        frame["sub_event_type"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    empty_sub = frame["sub_event_type"].astype("string").str.strip().fillna("").eq("")[old]
    fill = empty_sub & sub.notna()
    frame.loc[fill[fill].index, "sub_event_type"] = sub[fill]
    pairs = pd.DataFrame({"old": text[old], "new": mapped})
    summary = pairs.groupby("old", sort=False)["new"].agg(
        ["size", lambda s: " / ".join(sorted(set(s)))]
    )
    listed = ", ".join(f"{old} -> {new} ({n})" for old, (n, new) in summary.iterrows())
    frame.loc[old, "event_type"] = mapped
    note = (
        "ACLED's pre-2019 event types read as today's for onsets: "
        + listed
        + " (Riots/Protests is a riot when inter1 is 5, rioters, else a protest)"
    )
    return frame, [note]
