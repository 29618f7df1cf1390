"""The command line's reports as aligned plain text (the same dicts --json prints)."""

from __future__ import annotations

from typing import Any

from geo.analysis import spread


def validate_text(report: dict[str, Any]) -> str:
    lines = [
        f"File: {report['file']} (format {report['format']}, layout {report['layout']})",
        f"Rows read: {report['rows_read']}  loaded: {report['rows_loaded']}  "
        f"placed: {report['rows_placed']}  unplaced: {report['unplaced']['rows']}  "
        f"duplicates: {len(report['duplicates'])}  problems: {len(report['problems'])}",
    ]
    if report["placed_by"]:
        lines.append("Placed by: " + ", ".join(f"{m} {n}" for m, n in report["placed_by"].items()))
    if report["mapping"]:
        lines.append(
            "Columns: "
            + ", ".join(k if k == v else f"{k} <- {v}" for k, v in report["mapping"].items())
        )
    lines += _notes_block("Notes", report["notes"])
    lines += _unplaced_block(report["unplaced"])
    if report["duplicates"]:
        lines += ["", f"Duplicates ({len(report['duplicates'])}, counted once):"]
        lines += _table(
            ["row", "same as row", "event_id_cnty", "reason"],
            [[d["row"], d["duplicate_of"], d["event_id_cnty"], d["reason"]]
             for d in report["duplicates"]],
        )  # fmt: skip
    if report["problems"]:
        lines += ["", f"Problems ({len(report['problems'])}, rows not loaded):"]
        lines += _table(
            ["row", "column", "value", "message"],
            [[p["row"], p["column"], p["value"], p["message"]] for p in report["problems"]],
        )
    else:
        lines += ["", "No problems."]
    return "\n".join(lines)


def summary_text(report: dict[str, Any]) -> str:
    units = report["units"]
    lines = [
        f"{len(units)} units (layout {report['layout']}); {report['rows_placed']} of "
        f"{report['rows_loaded']} events placed, from {report['file']}",
        "",
    ]
    rows = [
        [u["unit"], u["code"], u["events"], u["fatalities"], u["first_date"], u["last_date"]]
        for u in units
    ]
    total = [
        "Total",
        "",
        sum(u["events"] for u in units),
        sum(u["fatalities"] for u in units),
        min((u["first_date"] for u in units if u["first_date"]), default=None),
        max((u["last_date"] for u in units if u["last_date"]), default=None),
    ]
    lines += _table(["unit", "code", "events", "fatalities", "first", "last"], [*rows, total])
    lines += _unplaced_block(report["unplaced"])
    return "\n".join(lines)


def onsets_text(report: dict[str, Any]) -> str:
    units = report["units"]
    affected = len(units) - len(report["without_onset"])
    lines = [
        f"Onsets in {affected} of {len(units)} units (layout {report['layout']}; counting "
        f"{_types_label(report['event_types'])})",
        _origin_line(report["origin"]),
        "",
    ]
    lines += _table(
        ["rank", "unit", "onset", "days", "distance_km", "first place"],
        [
            [
                u["onset_rank"],
                u["unit"],
                u["onset_date"],
                u["days_since_origin"],
                u["distance_km"],
                u["first_place"],
            ]
            for u in units
        ],
    )
    lines += ["", _fit_line(report["fit"]), _without_line(report)]
    return "\n".join(lines)


def spread_text(report: dict[str, Any]) -> str:
    lines = [
        f"Spread tree (layout {report['layout']}; counting "
        f"{_types_label(report['event_types'])}): each unit linked to the nearest unit "
        "affected before it",
        _origin_line(report["origin"]),
        "",
    ]
    lines += _table(
        ["unit", "onset", "from", "from onset", "distance_km", "class"],
        [
            [
                r["unit"],
                r["onset_date"],
                r["parent"],
                r["parent_onset_date"],
                r["distance_km"],
                r["onset_class"],
            ]
            for r in report["tree"]
        ],
    )
    lines += ["", _fit_line(report["fit"]), ""]
    lines.append(f"Diffusion classes per day (k = {report['k']} days):")
    names = list(spread.DIFFUSION_CLASSES)
    lines += _table(
        ["date", "active", *names],
        [[d["date"], d["active"], *(d[n] for n in names)] for d in report["classes_per_day"]],
    )
    return "\n".join(lines)


def export_text(report: dict[str, Any]) -> str:
    credit = report["attribution"] or "Qantar's own credit line only"
    return (
        f"Wrote {report['what']} ({report['bytes']:,} bytes) to {report['out']}\nCredits: {credit}"
    )


def publish_text(report: dict[str, Any]) -> str:
    files = ", ".join(f"{name} ({size:,} bytes)" for name, size in report["files"].items())
    return f"Wrote {report['out']}: {files}. Open index.html, or put the folder on any web host."


def compare_text(report: dict[str, Any]) -> str:
    a, b = report["a"], report["b"]
    total = report["estimated_total"]
    lines = [
        f"A: {a['file']} ({a['events']:,} events compared, {a['left_out']:,} outside the days "
        "both cover)",
        f"B: {b['file']} ({b['events']:,} events compared, {b['left_out']:,} outside)",
        f"Days both cover: {report['first_day']} to {report['last_day']}; a match is within "
        f"{report['km']:g} km and {report['days']} day(s), categories of one group",
        f"Matched: {report['matched']:,}  only in A: {report['a_only']:,}  only in B: "
        f"{report['b_only']:,}  (A's events in B: {_share(a['match_rate'])}, B's in A: "
        f"{_share(b['match_rate'])})",
        "Estimated total (nA·nB/m): "
        + ("none (no event matched)" if total is None else f"{total:,.0f}"),
        f"  {report['estimate_assumes']}",
        "Onset order, rank correlation: " + _r(report["onset_rank_correlation"]),
        "Daily counts, correlation with B shifted by lag days: "
        + ", ".join(f"{d['lag_days']:+d}: {_r(d['r'])}" for d in report["daily_correlation"]),
        "",
    ]
    lines += _table(
        ["region", "A", "B", "matched", "only A", "only B", "onset A", "onset B", "lag"],
        [[r["region"], r["a_events"], r["b_events"], r["matched"], r["a_only"], r["b_only"],
          r["a_onset"], r["b_onset"], r["lag_days"]] for r in report["regions"]],
    )  # fmt: skip
    return "\n".join(lines)


def _r(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _share(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.0%}"


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    """Aligned plain-text table lines: numbers right-aligned, missing values as '-'."""
    cells = [[_cell(v) for v in row] for row in rows]
    numeric = [
        all(isinstance(row[i], int | float) or row[i] is None for row in rows)
        and any(row[i] is not None for row in rows)
        for i in range(len(headers))
    ]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(w) if right else v.ljust(w)
            for v, w, right in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)]


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def _notes_block(title: str, notes: list[str]) -> list[str]:
    return ["", f"{title}:", *(f"  - {n}" for n in notes)] if notes else []


def _unplaced_block(unplaced: dict[str, Any]) -> list[str]:
    if not unplaced["rows"]:
        return ["", "Unplaced rows: none"]
    countries = ", ".join(
        f"{c['country'] or 'unknown'} {c['rows']:,}" for c in unplaced["by_country"]
    )
    lines = [
        "",
        f"Unplaced rows ({unplaced['rows']:,}), by reason:",
        *_table(["rows", "reason"], [[r["rows"], r["reason"]] for r in unplaced["by_reason"]]),
        f"By country: {countries}",
    ]
    for reason in unplaced["by_reason"]:
        shown = reason["first_rows"]
        more = f" (first {len(shown)} of {reason['rows']:,})" if reason["rows"] > len(shown) else ""
        lines += ["", f"{reason['reason']}{more}:"]
        lines += _table(
            ["row", "date", "location", "country"],
            [[u["row"], u["event_date"], u["location"], u["country"]] for u in shown],
        )
    return lines


def _types_label(types: list[str]) -> str:
    if all(map(spread.is_unrest, types)):
        return "unrest: " + ", ".join(types)
    return "every event type"


def _origin_line(origin: dict[str, Any] | None) -> str:
    if origin is None:
        return "Origin: none (no event of the counted types has coordinates)"
    label = f" {origin['label']}" if origin["label"] else ""
    how = f"event {origin['event_id']}" if origin["event_id"] else "first counted event"
    return (
        f"Origin: {origin['date']}{label} ({origin['latitude']:.4f}, "
        f"{origin['longitude']:.4f}; {how})"
    )


def _fit_line(fit: dict[str, Any]) -> str:
    if fit["km_per_day"] is None:
        return f"Speed: not fitted ({fit['reason']})"
    r2 = "n/a" if fit["r_squared"] is None else f"{fit['r_squared']:.2f}"
    return (
        f"Speed: {fit['km_per_day']:,.1f} km/day (least squares of distance on days since the "
        f"origin; R² {r2}, n = {fit['n_units']} units)"
    )


def _without_line(report: dict[str, Any]) -> str:
    missing = report["without_onset"]
    if not missing:
        return f"All {len(report['units'])} units have an onset."
    what = (
        "a dated protest" if all(map(spread.is_unrest, report["event_types"])) else "a dated event"
    )
    hint = " (--all-types counts every event type)" if what == "a dated protest" else ""
    return f"{len(missing)} unit{'s' if len(missing) != 1 else ''} without {what}: " + (
        ", ".join(missing) + hint
    )
