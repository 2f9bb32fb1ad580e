"""The demo's one photograph, drawn: Quay Street on a Saturday, shops open and no cars.

Drawn with Pillow when the demo loads, so the demo shows a lead image (on the page, in
link previews) without shipping a photograph; it goes into the library like an upload.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

ALT_TEXT = "A drawing of Quay Street's shop fronts on a Saturday, the road empty of cars"
CAPTION = "Quay Street, where the Saturday trial will run."
CREDIT = "Illustration: the Broadsheet demo"
SIZE = (1200, 630)  # what link previews show best
SHOPS = ["#b5523b", "#d9a441", "#4f7a5a", "#3d6e8f", "#8a5a83", "#c97b4a"]


def quay_street() -> bytes:
    """The drawing, as PNG bytes."""
    width, height = SIZE
    picture = Image.new("RGB", SIZE, "#9fc6e0")
    draw = ImageDraw.Draw(picture)
    horizon = int(height * 0.55)
    for band in range(horizon):  # the sky, paler towards the horizon
        shade = 160 + band * 70 // horizon
        draw.line([(0, band), (width, band)], fill=(shade - 40, shade, 235))
    draw.rectangle([0, horizon, width, height], fill="#cfc6b3")  # the pavements
    draw.polygon(
        [(0, height), (width, height), (width * 0.62, horizon), (width * 0.38, horizon)],
        fill="#8d8a86",
    )
    for left in range(0, width, width // len(SHOPS)):
        colour = SHOPS[left * len(SHOPS) // width]
        top = horizon - 170 + (left // 7) % 60
        side = left < width / 2
        if (side and left + 180 > width * 0.38) or (not side and left < width * 0.62):
            continue
        draw.rectangle([left + 8, top, left + 190, horizon + 40], fill=colour)
        draw.rectangle([left + 40, horizon - 40, left + 150, horizon + 40], fill="#f2e6c9")
        draw.rectangle([left + 30, top + 30, left + 170, top + 60], fill="#2f2f2f")
    for row in range(8):  # people on foot, nearer ones larger
        y = horizon + 30 + row * 30
        x = width * (0.42 + (row * 37 % 17) / 100)
        r = 6 + row * 2
        draw.ellipse([x - r, y - 3 * r, x + r, y - r], fill="#3b3b3b")
        draw.rectangle([x - r, y - r, x + r, y + 2 * r], fill=SHOPS[row % len(SHOPS)])
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()
