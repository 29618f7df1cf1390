"""A file's own categories get their own colours on the map, in its legend and in the pictures."""

from __future__ import annotations

import pandas as pd

from geo.render.style import (
    EVENT_TYPE_COLOURS,
    OTHER_TYPE_COLOUR,
    OTHER_TYPES_LABEL,
    TYPE_PALETTE,
    colours_of_types,
    type_colours,
    type_legend,
)


def test_acled_types_keep_their_colours_and_only_present_ones_are_listed():
    types = pd.Series(["Riots", "Protests", "Protests", None])
    assert type_colours(types) == {"Protests": "#0072B2", "Riots": "#E69F00"}
    assert type_legend(types) == [("#0072B2", "Protests"), ("#E69F00", "Riots")]


def test_a_files_own_categories_take_the_free_colours_most_frequent_first():
    """An ACLED-like upload in another taxonomy: "Violent Protests" was grey under a legend of
    Protests, Riots, Battles..."""
    types = pd.Series(
        ["Violent Protests"] * 5 + ["Movement of Security Forces"] * 3 + ["Protests"] * 2
    )
    colours = type_colours(types)
    assert colours["Protests"] == EVENT_TYPE_COLOURS["Protests"]
    free = [c for c in TYPE_PALETTE if c != EVENT_TYPE_COLOURS["Protests"]]
    assert colours["Violent Protests"] == free[0]
    assert colours["Movement of Security Forces"] == free[1]
    assert len(set(colours.values())) == 3
    assert colours_of_types(types, colours)[:1] == [free[0]]


def test_beyond_the_palette_categories_share_other():
    kinds = [f"category {n:02d}" for n in range(12)]
    types = pd.Series([kind for n, kind in enumerate(kinds) for _ in range(12 - n)])
    colours = type_colours(types)
    assert list(colours) == kinds[: len(TYPE_PALETTE)]  # the most frequent keep a colour
    assert len(set(colours.values())) == len(TYPE_PALETTE)
    legend = type_legend(types)
    assert legend[-1] == (OTHER_TYPE_COLOUR, OTHER_TYPES_LABEL)
    assert len(legend) == len(TYPE_PALETTE) + 1
    assert colours_of_types(pd.Series([kinds[-1]]), colours) == [OTHER_TYPE_COLOUR]
