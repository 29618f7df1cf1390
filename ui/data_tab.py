"""The Data and exports tab: what was read and why rows were left out, every download, and the
sources and licences."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

import geo
from geo.errors import summarize_problems
from geo.export import pictures, tables
from geo.export import unplaced as unplaced_listing
from geo.export.edition import edition_zip
from geo.export.event_table import event_table
from geo.export.page import standalone_html
from geo.pipeline import Dataset, read_counts
from geo.render import webmap
from geo.render.htmlsafe import markdown_text
from geo.render.listings import story_title
from geo.render.style import COUNT_METRICS, SOURCES_AND_LICENCES
from ui import cached, state
from ui.viewstate import ViewState

PROBLEMS_SHOWN = 200
EXPORT_COLUMNS = 3


def data_ui(dataset: Dataset, view: ViewState) -> None:
    report_ui(dataset)
    exports_ui(dataset, view)
    sources_ui()


def report_ui(dataset: Dataset) -> None:
    st.subheader(f"Data: {markdown_text(dataset.name)}")
    counts = read_counts(dataset)
    st.write(
        f"{counts.rows_read} rows read · {counts.loaded} loaded · {counts.placed} placed in a "
        f"region · {counts.rejected} rejected · {counts.unplaced} not placed · "
        f"{counts.duplicates} duplicates counted once"
    )
    st.dataframe(
        pd.DataFrame(
            {"placed by": list(counts.placed_by), "events": list(counts.placed_by.values())}
        ),
        hide_index=True,
        key="place_methods",
    )
    for note in dataset.notes:
        st.caption(markdown_text(note))
    if dataset.problems:
        lines = summarize_problems(dataset.problems)  # a failing column is one line
        shown = lines[:PROBLEMS_SHOWN]
        more = len(lines) - len(shown)
        st.markdown("**Rejected rows** (file, row, column, what was expected):")
        st.code("\n".join(shown) + (f"\n… and {more} more" if more > 0 else ""), language=None)
    if len(dataset.unplaced):
        unplaced_ui(dataset)
    if counts.duplicates:
        st.markdown("**Duplicates**, each counted once with the row it repeats:")
        st.dataframe(dataset.duplicates, hide_index=True, width="stretch", key="duplicates")


def unplaced_ui(dataset: Dataset) -> None:
    """The rows not placed, by reason, with the first rows of each; the full list to download
    (a day of GDELT leaves hundreds of thousands, abroad)."""
    unplaced = dataset.unplaced
    st.markdown(f"**Not placed: {len(unplaced):,} rows**, by reason:")
    st.dataframe(
        unplaced_listing.by_reason(unplaced),
        column_config={"reason": "Reason", "rows": st.column_config.NumberColumn("Rows")},
        hide_index=True,
        width="stretch",
        key="unplaced_reasons",
    )
    st.caption(f"The first {unplaced_listing.FIRST_ROWS} rows of each reason, in file order:")
    st.dataframe(
        unplaced_listing.first_of_each_reason(unplaced),
        column_config={
            "source_row": st.column_config.NumberColumn("Row"),
            "event_date": st.column_config.DateColumn("Date"),
            "location": "Place",
            "admin1": "Region",
            "country": "Country",
            "unplaced_reason": "Reason",
        },
        hide_index=True,
        width="stretch",
        key="unplaced",
    )
    st.download_button(
        f"Every row not placed ({len(unplaced):,}, CSV)",
        data=lambda: unplaced_listing.unplaced_csv(unplaced, attribution=dataset.attribution),
        file_name="unplaced.csv",
        mime="text/csv",
        key="export_unplaced.csv",
        on_click="ignore",
    )


def exports_ui(dataset: Dataset, view: ViewState) -> None:
    """Every download, each built only when the person asks for it."""
    st.subheader("Exports")
    downloads = export_files(dataset, view)
    if dataset.step == "hour":  # an animation with one frame per hour would run for minutes
        downloads = [d for d in downloads if not d[1].startswith("qantar-spread.")]
        st.caption("The GIF and MP4 step by day: switch “Step through” to days for them.")
    columns = st.columns(EXPORT_COLUMNS)
    for index, (label, file_name, mime, make) in enumerate(downloads):
        columns[index % EXPORT_COLUMNS].download_button(
            label,
            data=make,
            file_name=file_name,
            mime=mime,
            key=f"export_{file_name}",
            width="stretch",
            on_click="ignore",
        )


def export_files(dataset: Dataset, view: ViewState) -> list[tuple]:
    """(label, file name, MIME type, a function that makes the bytes) for each export."""
    credit = dataset.attribution
    day = pd.Timestamp(view.date)
    scene = (dataset.regions, dataset.counts, dataset.events)
    drawing = {
        "mode": view.mode,
        "metric": export_metric(view.metric),
        "basemap": cached.basemap(),
        "attribution": credit,
    }
    files = [
        (
            "Cleaned event table (CSV)",
            "events.csv",
            "text/csv",
            lambda: tables.event_table_csv(
                event_table(dataset.events, dataset.duplicates, dataset.problems, dataset.outside),
                attribution=credit,
            ),
        ),
        (
            "Region-day table (CSV)",
            "region-days.csv",
            "text/csv",
            lambda: tables.region_day_csv(
                dataset.counts,
                dataset.regions,
                attribution=credit,
                tolls=cached.tolls_of(dataset),
            ),
        ),
        (
            "Onset table (CSV)",
            "onsets.csv",
            "text/csv",
            lambda: tables.onset_csv(dataset.onsets, dataset.origin, attribution=credit),
        ),
        (
            "Region-days (GeoJSON)",
            "region-days.geojson",
            "application/geo+json",
            lambda: tables.region_days_geojson(dataset.counts, dataset.regions, attribution=credit),
        ),
        (
            "This frame (PNG)",
            f"qantar-{view.date:%Y-%m-%d}.png",
            "image/png",
            partial(pictures.frame_png, *scene, day, window_days=view.window, **drawing),
        ),
        (
            "The whole spread (GIF)",
            "qantar-spread.gif",
            "image/gif",
            partial(pictures.spread_gif, *scene, **drawing),
        ),
        (
            "Offline map with player (HTML)",
            "qantar-map.html",
            "text/html",
            lambda: standalone_snapshot(dataset, view),
        ),
        (
            "The edition for readers (static site, ZIP)",
            "qantar-edition.zip",
            "application/zip",
            lambda: reader_edition(dataset, view),
        ),
    ]
    if pictures.mp4_unavailable_reason() is None:
        files.append(
            (
                "The whole spread (MP4)",
                "qantar-spread.mp4",
                "video/mp4",
                partial(pictures.spread_mp4, *scene, **drawing),
            )
        )
    return files


def export_metric(metric: str) -> str:
    """PNG and GIF exports draw counts; onset and diffusion views export as event counts."""
    return metric if metric in COUNT_METRICS else "events"


def standalone_snapshot(dataset: Dataset, view: ViewState) -> str:
    m = webmap.story_map(
        dataset,
        basemap=cached.basemap(),
        initial=state.player_state(view, state.frames_of(dataset)),
        tolls=cached.tolls_of(dataset),
        connectivity=cached.connectivity_of(dataset),
    )
    return standalone_html(m, title=story_title(dataset), attribution=dataset.attribution)


def reader_edition(dataset: Dataset, view: ViewState) -> bytes:
    """The edition for readers of this data, opening on the view's day (geo.export.edition): a
    folder that any static host serves, for an audience too large for one dashboard."""
    tolls = cached.tolls_of(dataset)
    return edition_zip(
        dataset,
        basemap=cached.basemap(),
        day=pd.Timestamp(view.date).normalize(),
        context=cached.bundled_context() if dataset.bundled else None,
        tolls=None if tolls is None else geo.national_tolls(tolls),
    )


def sources_ui() -> None:
    st.subheader("Sources and licences")
    st.markdown("\n".join(f"- {line}" for line in SOURCES_AND_LICENCES))
