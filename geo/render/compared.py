"""Two sources compared (geo.analysis.compare), in words a reader understands."""

from __future__ import annotations

from geo.analysis.compare import ESTIMATE_ASSUMES, Comparison


def comparison_sentences(comparison: Comparison) -> list[str]:
    """What the comparison found, one plain sentence per finding, for the page and the edition."""
    c = comparison
    a, b = c.a_name, c.b_name
    span = f"{c.first_day:%d %b %Y} to {c.last_day:%d %b %Y}"
    lines = [
        f"Over the days both sources cover ({span}), {a} has {len(c.a_events):,} events and "
        f"{b} {len(c.b_events):,}. {c.matched:,} of them are the same event in both: within "
        f"{c.km:g} km and {c.days} day{'s' if c.days != 1 else ''} of each other, and of "
        "matching kinds, each event paired once, nearest first.",
    ]
    if c.a_match_rate is not None and c.b_match_rate is not None:
        lines.append(
            f"{b} also has {c.a_match_rate:.0%} of {a}'s events; {a} has {c.b_match_rate:.0%} "
            f"of {b}'s."
        )
    left_out = [f"{n:,} of {name}'s" for n, name in ((c.a_left_out, a), (c.b_left_out, b)) if n]
    if left_out:
        lines.append(
            f"Left out because the other source does not cover their day: {' and '.join(left_out)}."
        )
    if c.estimated_total is None:
        lines.append("No event is in both, so the two cannot estimate how many events there were.")
    else:
        lines.append(
            f"If each source caught events at random, there were about "
            f"{c.estimated_total:,.0f} events in all ({len(c.a_events):,} × {len(c.b_events):,} "
            f"÷ {c.matched:,}). {ESTIMATE_ASSUMES}"
        )
    rank = c.onset_rank_correlation
    if rank is not None:
        agree = (
            "much the same" if rank >= 0.7 else "partly the same" if rank >= 0.3 else "a different"
        )
        lines.append(
            f"The two put the regions in {agree} order of when unrest began (rank correlation "
            f"{rank:.2f}, where 1 is the same order)."
        )
    return lines
