"""How text from data reaches a page: only as values, never as template source or markup.

Two passes read a folium page before the browser does. Jinja renders each element's template,
and branca's `MacroElement.render` then wraps each rendered macro in `Element(text)`, which
compiles that text as a Jinja template a second time. Any `{{ … }}` that data put into a
rendered macro is evaluated on the server there (`{{ lipsum.__globals__.os… }}` runs code).
So here:

- `script_json` serialises a value for a script: JSON whose strings carry `<`, `>`, `&`, `'`,
  `{` and `}` as \\u escapes, so no HTML parser and no later template pass can see markup or a
  Jinja delimiter in it; the browser's JSON/JS reading gives back the exact text.
- `RenderedOnce` is the base of every element Qantar adds to a map: its macros are rendered once
  and their output reaches the page as it is (`Verbatim`), never compiled again.
- In the browser, data text is put in the page with `textContent`, never `innerHTML`.

docs/security.md says how to keep it so when adding a layer.
"""

from __future__ import annotations

import json
import re

from branca.element import Element, Figure, MacroElement

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_UNSAFE_IN_STRINGS = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "'": "\\u0027",
        "{": "\\u007b",
        "}": "\\u007d",
    }
)


def script_json(value: object) -> str:
    """`value` as JSON that is safe inside a <script>, an HTML attribute and any template pass.

    Non-ASCII is escaped too (`ensure_ascii`), which also covers U+2028/U+2029, line breaks in
    older JavaScript. NaN and infinities are refused: they are not JSON.
    """
    text = json.dumps(value, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    return _JSON_STRING.sub(lambda match: match.group(0).translate(_UNSAFE_IN_STRINGS), text)


class Verbatim(Element):
    """Text that is already rendered: added to a page as it is, with no template pass."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "Verbatim"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class RenderedOnce(MacroElement):
    """A MacroElement whose header, html and script macros are rendered exactly once.

    branca's own `MacroElement.render` passes each macro's output through `Element(output)`,
    a second Jinja compile of text that may hold data; this one adds the output verbatim.
    """

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{type(self).__name__} can only be rendered inside a Figure")
        module = self._template.module
        for part in ("header", "html", "script"):
            macro = getattr(module, part, None)
            if macro is not None:
                getattr(figure, part).add_child(Verbatim(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&])")


def markdown_text(value: object) -> str:
    """`value` for a place that renders Markdown (Streamlit's labels, captions, messages): every
    Markdown, HTML and Streamlit directive character (`:red[…]`, `$…$`) backslash-escaped, so a
    file name or a column header shows as typed and never as a link, an image or markup."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))


LINK_SAFE = ":/?&=%#+,.-_~"
"""Characters a Markdown link's target keeps as they are; any other is %-escaped."""


def markdown_link(text: object, url: str) -> str:
    """A Markdown link to an http(s) `url` (anything else gives the text alone), its text escaped
    and its target %-escaped, so neither can close the link or add markup."""
    from urllib.parse import quote

    from geo.schema import is_web_link

    if not is_web_link(url):
        return markdown_text(text)
    return f"[{markdown_text(text)}]({quote(url, safe=LINK_SAFE)})"
