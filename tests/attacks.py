"""A corpus of script-injection attempts, made here from the known families, and the
check that a page carries none of them live.

Every payload tries to run one of ``MARKERS``: a dialog, a flag on the window, or
a changed document title. The browser tests (tests/browser/test_attacks.py) watch
for all three; ``script_risks`` finds, without a browser, what could run.

The families are those the published cheat sheets and mutation write-ups cover:
script elements in every spelling, event-handler attributes, script-capable
addresses hidden by case, controls, entities and percent signs, namespace
confusion (SVG, MathML) and parser round trips, elements that load or navigate
(base, meta refresh, frames, plugins, forms), style sheets, Markdown's own link
forms, and quotes that try to leave an attribute.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote
from xml.etree.ElementTree import Element

import html5lib

MARKERS = ("alert(1)", "top.__pwned=1", "document.title='pwned'")
# The address every scheme family hides: it sets the flag the browser test reads.
JS = "top.__pwned=1"


@dataclass(frozen=True)
class Attack:
    family: str
    text: str


# -- script-capable addresses ------------------------------------------------------


def _entities(text: str) -> Iterator[str]:
    """``text`` with its letters written as character references, each way a browser
    reads them: decimal, hex, without the semicolon, padded with zeros."""
    yield "".join(f"&#{ord(c)};" for c in text)
    yield "".join(f"&#x{ord(c):x};" for c in text)
    yield "".join(f"&#X{ord(c):X}" for c in text)
    yield "".join(f"&#{ord(c):07d}" for c in text)
    yield "".join(f"&#x{ord(c):08x};" for c in text)


def script_addresses(js: str = JS) -> Iterator[str]:
    """``javascript:`` (and its kin) in every disguise a browser still runs."""
    yield f"javascript:{js}"
    yield f"JaVaScRiPt:{js}"
    yield f"JAVASCRIPT:{js}"
    yield f" javascript:{js}"
    yield f"\x01javascript:{js}"
    yield f"\x00javascript:{js}"
    yield f"java\tscript:{js}"
    yield f"java\nscript:{js}"
    yield f"java\rscript:{js}"
    yield f"jav&#x09;ascript:{js}"
    yield f"jav&#x0A;ascript:{js}"
    yield f"jav&Tab;ascript:{js}"
    yield f"java&NewLine;script:{js}"
    yield f"javascript&colon;{js}"
    yield f"javascript&#58;{js}"
    yield f"javascript&#x3a{js}"
    yield f"&#14;javascript:{js}"
    yield f"javascript:{quote(js)}"
    yield f"javascript://%0a{quote(js)}"
    yield f"javascript:/*-/*`/*\\`/*'/*\"/**/({js})//"
    yield f"%6aavascript:{js}"
    yield from (f"{e}:{js}" for e in _entities("javascript"))
    yield from (f"{e}{js}" for e in _entities("javascript:"))
    yield f"vbscript:msgbox({js})"
    yield "VBScript:alert(1)"
    yield "data:text/html,<script>alert(1)</script>"
    yield "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="
    yield "DATA:text/html,%3Cscript%3Ealert(1)%3C/script%3E"
    yield "data:image/svg+xml,<svg onload=alert(1)>"
    yield "data:application/javascript,alert(1)"


def _addresses_in_attributes() -> Iterator[Attack]:
    places = [
        '<a href="{u}">link</a>',
        "<a href={u}>link</a>",
        "<a href='{u}'>link</a>",
        '<img src="{u}">',
        '<iframe src="{u}"></iframe>',
        '<form action="{u}"><button>go</button></form>',
        '<form><button formaction="{u}">go</button></form>',
        '<svg><a xlink:href="{u}"><text y="20">link</text></a></svg>',
        '<svg><a href="{u}"><text y="20">link</text></a></svg>',
        '<math><maction actiontype="statusline" xlink:href="{u}">link</maction></math>',
        '<blockquote cite="{u}">quoted</blockquote>',
        '<object data="{u}"></object>',
        '<embed src="{u}">',
        '<table background="{u}"><tr><td>cell</td></tr></table>',
        '<video poster="{u}"></video>',
        '<input type="image" src="{u}">',
        '<area href="{u}">',
        '<script src="{u}"></script>',
    ]
    addresses = list(script_addresses())
    # Every disguise in the link everyone allows; the first few in every other place.
    for url in addresses:
        yield Attack("address", places[0].format(u=url))
    for place, url in itertools.product(places[1:], addresses[:4] + addresses[-5:]):
        yield Attack("address", place.format(u=url))
    yield Attack("address", '<iframe srcdoc="&lt;script&gt;top.__pwned=1&lt;/script&gt;"></iframe>')
    yield Attack("address", "<iframe srcdoc='<img src=x onerror=alert(1)>'></iframe>")


# -- elements and attributes -------------------------------------------------------


def _script_elements() -> Iterator[Attack]:
    for js in MARKERS:
        for shape in (
            "<script>{js}</script>",
            "<SCRIPT>{js}</SCRIPT>",
            "<ScRiPt>{js}</sCrIpT>",
            "<script >{js}</script >",
            "<script/x>{js}</script>",
            "<script\n>{js}</script\n>",
            '<script type="text/javascript">{js}</script>',
            '<script type="module">{js}</script>',
            "<script>{js}//",
            "<<script>{js}//<</script>",
            "<scr<script>ipt>{js}</scr</script>ipt>",
            "<svg><script>{js}</script></svg>",
            '<svg><script href="data:,{js}"></script></svg>',
            "<math><script>{js}</script></math>",
            '<script src="data:,{js}"></script>',
        ):
            yield Attack("script", shape.format(js=js))


EVENTS = ("onerror", "onload", "onfocus", "onanimationstart", "ontoggle", "onbegin",
          "onmouseover", "onclick", "onpointerenter", "onstart", "onfocusin")  # fmt: skip


def _event_handlers() -> Iterator[Attack]:
    carriers = [
        '<img src=x {e}="{js}">',
        "<img src=x {e}={js}>",
        "<img/src='x'/{e}={js}>",
        "<IMG SRC=x {E}={js}>",
        '<svg {e}="{js}"></svg>',
        "<svg/{e}={js}>",
        "<body {e}={js}>",
        "<details open {e}={js}><summary>s</summary></details>",
        "<video src=x {e}={js}></video>",
        "<audio src=x {e}={js}></audio>",
        "<input autofocus {e}={js}>",
        "<select autofocus {e}={js}></select>",
        "<textarea autofocus {e}={js}></textarea>",
        '<div style="animation-name:spin" {e}={js}>x</div>',
        "<marquee {e}={js}>x</marquee>",
        "<svg><animate {e}={js} attributeName=x dur=1s></svg>",
        "<svg><set {e}={js} attributeName=x to=1></svg>",
        '<a href="https://example.org/" {e}="{js}">link</a>',
        "<p {e}={js}>text</p>",
        "<iframe {e}={js}></iframe>",
        "<object data=x {e}={js}></object>",
        "<style {e}={js}></style>",
        '<img src=x {e}="{js}"//',
        "<img src=x {e}\n=\n{js}>",
        '<img src=x alt="" {e}=`{js}`>',
    ]
    markers = itertools.cycle(MARKERS)
    for carrier, event in itertools.product(carriers, EVENTS):
        yield Attack("event", carrier.format(e=event, E=event.upper(), js=next(markers)))


def _namespaces_and_mutations() -> Iterator[Attack]:
    js = "alert(1)"
    img = f"<img src=x onerror={js}>"
    for shape in (
        "<svg><p><style><img src=x onerror={js}></style></p></svg>",
        '<svg></p><style><a id="</style>{img}">',
        "<math><mtext><table><mglyph><style><img src=x onerror={js}></style></mglyph></table>"
        "</mtext></math>",
        "<math><mi><style><img src=x onerror={js}></style></mi></math>",
        '<math><annotation-xml encoding="text/html"><style><img src=x onerror={js}></style>'
        "</annotation-xml></math>",
        "<form><math><mtext></form><form><mglyph><style></math>{img}",
        '<noscript><p title="</noscript>{img}"></noscript>',
        "<template>{img}</template>",
        "<template><style></template>{img}</style>",
        "<textarea></textarea>{img}",
        '<textarea><p title="</textarea>{img}"></textarea>',
        '<title><p title="</title>{img}"></title>',
        '<style><p title="</style>{img}"></style>',
        '<xmp><p title="</xmp>{img}"></xmp>',
        '<noembed><p title="</noembed>{img}"></noembed>',
        '<noframes><p title="</noframes>{img}"></noframes>',
        '<iframe><p title="</iframe>{img}"></iframe>',
        "<plaintext>{img}",
        '<!--<img src="-->{img}">',
        "<!-- --!>{img} -->",
        "<!--->{img}-->",
        "<? {img} ?>",
        '<p title="</p>{img}">text</p>',
        '<a title="</a><img src=x onerror={js}>">x</a>',
        "<svg><![CDATA[><img src=x onerror={js}>]]></svg>",
        "<svg><style>&lt;img src=x onerror={js}&gt;</style></svg>",
        "<svg><style><img src=x onerror={js}></style></svg>",
        "<svg><foreignObject>{img}</foreignObject></svg>",
        "<svg><desc><img src=x onerror={js}></desc></svg>",
        "<math><style><img src=x onerror={js}></style></math>",
        '<math href="javascript:{js}">click</math>',
        "<table><td><svg><style>{img}</style></svg></td></table>",
        "<select><template><style><img src=x onerror={js}></style></template></select>",
        "<li><marquee><li>{img}",
        "<a><style></a>{img}</style>",
        '<div id="x"><style>{img}</style></div>',
        "&lt;img src=x onerror={js}&gt;",
        "&#60;script&#62;{js}&#60;/script&#62;",
        "\u003cscript\u003e{js}\u003c/script\u003e",
        "<img src=x onerror\u0000={js}>",
        "<img src=x o\u0000nerror={js}>",
        "<img src=`x`onerror={js}>",
        '<img src="x"onerror="{js}">',
        '<img """><script>{js}</script>">',
        '<a href="https://example.org/" title="x"onmouseover="{js}">link</a>',
    ):
        yield Attack("mutation", shape.format(js=js, img=img))


def _loaders_and_styles() -> Iterator[Attack]:
    for shape in (
        '<base href="javascript:{js}//">',
        '<base href="//evil.example/">',
        '<meta http-equiv="refresh" content="0;url=javascript:{js}">',
        '<meta http-equiv="refresh" content="0; url=data:text/html,<script>{js}</script>">',
        '<meta charset="x-imap4-modified-utf7">',
        '<iframe src="javascript:{js}"></iframe>',
        '<iframe src="data:text/html,<script>parent.__pwned=1</script>"></iframe>',
        '<frameset><frame src="javascript:{js}"></frameset>',
        '<object data="javascript:{js}"></object>',
        '<object type="text/html" data="data:text/html,<script>{js}</script>"></object>',
        '<embed src="javascript:{js}">',
        '<embed src="data:image/svg+xml,<svg onload={js}>">',
        '<applet code="x">x</applet>',
        '<form action="javascript:{js}"><input type=submit value=go></form>',
        '<form id=f></form><button form=f formaction="javascript:{js}">go</button>',
        '<isindex action="javascript:{js}" type=image>',
        '<link rel="stylesheet" href="javascript:{js}">',
        '<link rel="import" href="data:text/html,<script>{js}</script>">',
        "<style>@import 'javascript:{js}';</style>",
        '<style>body{{background:url("javascript:{js}")}}</style>',
        "<style>*{{x:expression({js})}}</style>",
        '<div style="background-image:url(javascript:{js})">x</div>',
        '<div style="width:expression({js})">x</div>',
        '<div style="x:\\65xpression({js})">x</div>',
        '<div style="behavior:url(x.htc)">x</div>',
        '<td style="text-align:left;background:url(javascript:{js})">x</td>',
        '<table><tr><td style="text-align:expression({js})">x</td></tr></table>',
        '<table><tr><td style="text-align:url(javascript:{js})">x</td></tr></table>',
        '<table><tr><th style="text-align:left;x:expression({js})">x</th></tr></table>',
        "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'>"
        "<image href='1' onerror='{js}'/></svg>#x\"/></svg>",
        '<a href="https://example.org/" target="_blank" rel="opener">opener</a>',
        '<img src="https://example.org/x.png" srcset="javascript:{js} 1x">',
        '<a href="https://example.org/" ping="javascript:{js}">ping</a>',
        '<a href="https://example.org/" download>download</a>',
        "<button popovertarget=x>p</button><div popover id=x onbeforetoggle={js}>x</div>",
    ):
        yield Attack("loader", shape.format(js=JS))


def _markdown_shapes() -> Iterator[Attack]:
    addresses = [
        f"javascript:{JS}", f"JavaScript:{JS}", f"java&#115;cript:{JS}",
        f"&#x6A;avascript:{JS}", f"&#106avascript:{JS}", f"javascript&colon;{JS}",
        f"javascript&#58;{JS}", f"javascript\\:{JS}", f"%6Aavascript:{JS}", f" javascript:{JS}",
        f"vbscript:{JS}", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        f"java\\script:{JS}", f"jav&Tab;ascript:{JS}", f"javascript:{JS.replace('=', '%3D')}",
    ]  # fmt: skip
    for url in addresses:
        yield Attack("markdown", f"[click me]({url})")
        yield Attack("markdown", f"[click me](<{url}>)")
        yield Attack("markdown", f'[click me]({url} "title")')
        yield Attack("markdown", f"![picture]({url})")
        yield Attack("markdown", f"[click me][ref]\n\n[ref]: {url}")
        yield Attack("markdown", f"[click me]\n\n[click me]: <{url}> 'title'")
        yield Attack("markdown", f"<{url}>")
        yield Attack("markdown", url)
    for shape in (
        '[x](https://example.org/ "a\\" onmouseover=\\"alert(1)")',
        "[x](https://example.org/ 'a\" onmouseover=\"alert(1)')",
        '[x](https://example.org/ (a" onmouseover="alert(1)))',
        '[x](https://example.org/"onmouseover="alert(1))',
        '[x](https://example.org/?a="><script>alert(1)</script>)',
        '<https://example.org/"onmouseover="alert(1)>',
        'https://example.org/"onmouseover="alert(1)',
        "https://example.org/<script>alert(1)</script>",
        '![x" onerror="alert(1)](https://example.org/x.png)',
        '![x](https://example.org/x.png "t\\" onerror=\\"alert(1)")',
        "[<img src=x onerror=alert(1)>](https://example.org/)",
        "[x](https://example.org/)<img src=x onerror=alert(1)>",
        '<div onclick="alert(1)">\n\nblock\n\n</div>',
        "<script>\nalert(1)\n</script>",
        "<img src=x onerror=alert(1)>\n\ntext",
        "text <span onmouseover=alert(1)>inline</span> text",
        "> <img src=x onerror=alert(1)>",
        "- <script>alert(1)</script>\n- item",
        "`<script>alert(1)</script>`",
        "```html\n<script>alert(1)</script>\n```",
        "    <script>alert(1)</script>",
        "\\<script>alert(1)\\</script>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "*<img src=x onerror=alert(1)>*",
        "[a](https://example.org/)[b]: javascript:alert(1)",
        '[x](#" onmouseover="alert(1))',
        '[x](https://example.org/ "&quot; onmouseover=&quot;alert(1)")',
        "<!-- <img src=x onerror=alert(1)> -->",
        "[x](</script><script>alert(1)</script>)",
        "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |",
    ):
        yield Attack("markdown", shape)


def corpus() -> list[Attack]:
    """Every attack, each text once."""
    seen: dict[str, Attack] = {}
    for attack in itertools.chain(
        _script_elements(), _event_handlers(), _addresses_in_attributes(),
        _namespaces_and_mutations(), _loaders_and_styles(), _markdown_shapes(),
    ):  # fmt: skip
        seen.setdefault(attack.text, attack)
    return list(seen.values())


def breakouts() -> list[str]:
    """Short texts that try to leave a quoted attribute, an element or a script: for
    names, titles and other one-line fields shown as text."""
    return [
        '"><img src=x onerror=alert(1)>',
        "'><img src=x onerror=alert(1)>",
        '" onmouseover="top.__pwned=1" x="',
        "' onfocus='top.__pwned=1' autofocus x='",
        "` onmouseover=top.__pwned=1 x=`",
        "</title><script>alert(1)</script>",
        "</script><script>alert(1)</script>",
        "</textarea><script>alert(1)</script>",
        "<!--<script>alert(1)</script>-->",
        "]]><script>alert(1)</script>",
        "\u2028</script><svg onload=alert(1)>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "{{ 7*7 }}{% debug %}",
    ]


def website_attacks() -> list[str]:
    """Author website addresses that try to run script or leave the href."""
    return [
        "javascript:alert(1)",
        "JavaScript:alert(1)//https://example.org/",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        'https://example.org/"onmouseover="alert(1)',
        "https://example.org/'onmouseover='alert(1)",
        'https://example.org/"><script>alert(1)</script>',
        "https://example.org/?q=<img src=x onerror=alert(1)>",
        "http://javascript:alert(1)",
        "//evil.example/",
        "https:evil.example",
    ]


# -- the static check ---------------------------------------------------------------

OWN_SCRIPTS = ("/static/", "/admin/jsi18n/")

# Attributes that hold an address a browser may load or follow.
_ADDRESS_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "cite", "background",
    "poster", "codebase", "dynsrc", "lowsrc", "ping", "srcset", "imagesrcset",
    "{http://www.w3.org/1999/xlink}href",
}  # fmt: skip
_LOADERS = {"base", "iframe", "frame", "frameset", "object", "embed", "applet", "portal",
            "isindex"}  # fmt: skip
# A browser drops C0 controls and spaces before an address.
_LEADING = re.compile(r"^[\x00-\x20]+")
_SAFE_DATA = re.compile(r"data:image/(png|gif|jpe?g|webp);", re.IGNORECASE)
_STYLE_RISK = re.compile(r"expression|javascript|vbscript|behavior|-moz-binding|url\s*\(", re.I)


def _scheme_risk(value: str) -> bool:
    """Whether a browser would run (or render as a page) the address ``value``."""
    address = _LEADING.sub("", re.sub(r"[\t\n\r]", "", value)).lower()
    if address.startswith(("javascript:", "vbscript:", "livescript:")):
        return True
    return address.startswith("data:") and not _SAFE_DATA.match(address)


def _name(element: Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1].lower()


# Script elements that hold data, never code.
_DATA_TYPES = ("application/ld+json", "application/json")


def _script_risk(element: Element, own_scripts: tuple[str, ...]) -> str | None:
    if (element.get("src") or "").startswith(own_scripts) and not (element.text or "").strip():
        return None
    if element.get("type") in _DATA_TYPES and not element.get("src"):
        try:
            json.loads(element.text or "")
        except ValueError:
            return "structured data that is not JSON"
        return None
    return "a <script> element"


def _element_risks(
    element: Element, own_scripts: tuple[str, ...], parents: dict[Element, Element]
) -> Iterator[str]:
    name = _name(element)
    if name == "script":
        risk = _script_risk(element, own_scripts)
        if risk:
            yield risk
    if name in _LOADERS:
        yield f"a <{name}> element"
    if name == "meta" and element.get("http-equiv") is not None:
        yield "a <meta http-equiv>"
    if name == "link" and (element.get("rel") or "").lower() not in (
        "stylesheet", "alternate", "icon", "canonical", "license", "next", "prev",
    ):  # fmt: skip
        yield f"a <link rel={element.get('rel')}>"
    if name in ("form", "button", "input") and _in_user_content(element, parents):
        yield f"a <{name}> in reader or editor text"
    if name == "style" and _STYLE_RISK.search(element.text or ""):
        yield "a style sheet that loads or runs something"
    for attribute, value in element.attrib.items():
        key = attribute.rsplit("}", 1)[-1].lower()
        if key.startswith("on"):
            yield f"an event handler {key}= on <{name}>"
        elif key == "srcdoc":
            yield f"a srcdoc on <{name}>"
        elif (attribute.lower() in _ADDRESS_ATTRIBUTES or key in _ADDRESS_ATTRIBUTES) and any(
            _scheme_risk(part) for part in re.split(r",\s*", value)
        ):
            yield f"a script address in <{name} {key}={value!r}>"
        elif key == "style" and _STYLE_RISK.search(value):
            yield f"a style that loads or runs something: <{name} style={value!r}>"


def _in_user_content(element: Element, parents: dict[Element, Element]) -> bool:
    """Inside stored reader or editor HTML (the site's own forms are never there)."""
    ancestor = parents.get(element)
    while ancestor is not None:
        classes = set((ancestor.get("class") or "").split())
        if _name(ancestor) == "blockquote" or {"body", "comment-body", "parent-comment"} & classes:
            return True
        ancestor = parents.get(ancestor)
    return False


def parse(html: str) -> Element:
    """The document as a browser builds it (the HTML5 parsing algorithm)."""
    return html5lib.parse(html, namespaceHTMLElements=False)


def script_risks(html: str, own_scripts: tuple[str, ...] = OWN_SCRIPTS) -> list[str]:
    """What in ``html`` could run script, load a page or send a form elsewhere.

    A script file under ``own_scripts`` (static files, the admin's translations) is
    the site's own.
    An empty list means the page is clean. A fragment is checked as a page's body.
    """
    own = own_scripts
    root = parse(html)
    parents = {child: parent for parent in root.iter() for child in parent}
    risks: list[str] = []
    for element in root.iter():
        if isinstance(element.tag, str):
            risks.extend(_element_risks(element, own, parents))
    return risks
