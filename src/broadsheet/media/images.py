"""An uploaded file made into an image fit to publish, or refused with a reason.

The upload is decoded in full with Pillow (a file that only starts like an image is
refused), then written again from its pixels: what a camera or phone put in it
(EXIF, with the place a photo was taken; XMP; comments) is left behind, and the
orientation the camera recorded is applied to the pixels first. Each file is stored
under a name made from a digest of its bytes, so an address always means the same
bytes and can be cached for ever.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

# Pillow's format name: (the stored file's extension, its Content-Type).
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
CONTENT_TYPES = dict(FORMATS.values())
FORMAT_OF = {extension: name for name, (extension, _type) in FORMATS.items()}
# A stored file's name: images/<first two digits>/<digest>.<extension>. Nothing else is
# ever served (broadsheet.media.views), whatever lies in the folder.
STORED_NAME = re.compile(r"images/([0-9a-f]{2})/(\1[0-9a-f]{30})\.(jpg|png|gif|webp)")
# A still image longer than this on its longest side also gets a copy this long, which
# pages show: readers should not download a camera's 20-megabyte original.
WEB_SIDE = 2400
# Narrower copies for smaller screens: a page lists them in its ``srcset`` and the
# reader's browser takes the narrowest that fills its width at its pixel density (a
# phone then downloads a tenth of the bytes). Made for each width narrower than the
# copy pages show; the lead image is at most 44rem, 704 CSS pixels, wide.
SIZE_WIDTHS = (480, 800, 1200, 1600)
# What a re-encoded file keeps of the upload's own notes: its transparency (for a
# palette image), and the colour profile its colours are read with.
KEPT_INFO = ("transparency", "icc_profile")
_SAVE_OPTIONS: dict[str, dict] = {
    "JPEG": {"quality": 90},
    "WEBP": {"quality": 90},
    "PNG": {},
    "GIF": {},
}


@dataclass(frozen=True)
class Encoded:
    """One file to store: its bytes and what they show."""

    data: bytes
    width: int
    height: int
    extension: str

    @property
    def name(self) -> str:
        digest = hashlib.sha256(self.data).hexdigest()[:32]
        return f"images/{digest[:2]}/{digest}.{self.extension}"


@dataclass(frozen=True)
class Prepared:
    original: Encoded
    # The smaller copy pages show, when the original is very large; else None.
    web: Encoded | None
    # Narrower copies for smaller screens (SIZE_WIDTHS), narrowest first.
    sizes: tuple[Encoded, ...] = ()


NOT_AN_IMAGE = _(
    "This file is not a JPEG, PNG, GIF or WebP image, or it is damaged. "
    "Export it from your photo editor as one of those."
)
SVG = _(
    "SVG images are not accepted: an SVG file can carry script that would run on the "
    "site. Export it as a PNG."
)


def prepare(upload: IO[bytes], size: int) -> Prepared:
    """``upload`` (``size`` bytes) decoded, checked and written again without its
    metadata; ``ValidationError`` saying why when it cannot be published."""
    limit = settings.BROADSHEET_IMAGE_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _(
                "The file is %(size)s MB; an image may be at most %(limit)s MB "
                "(BROADSHEET_IMAGE_MAX_MB). Make it smaller and upload it again."
            )
            % {"size": f"{size / 2**20:.1f}", "limit": f"{limit / 2**20:g}"},
            code="too_large",
        )
    head = upload.read(1024)
    upload.seek(0)
    if b"<svg" in head.lower() or head.lstrip().startswith(b"<"):
        raise ValidationError(SVG, code="svg")
    image = _decoded(upload)
    if getattr(image, "n_frames", 1) > 1:
        return Prepared(_encode_animation(image), None)
    still = ImageOps.exif_transpose(image)
    original = _encode(still, image.format or "")
    web = None
    if max(still.size) > WEB_SIDE:
        smaller = still.copy()
        smaller.thumbnail((WEB_SIDE, WEB_SIDE), Image.Resampling.LANCZOS)
        web = _encode(smaller, image.format or "")
    return Prepared(original, web, _narrower(still, image.format or "", web or original))


def _narrower(still: Image.Image, format: str, shown: Encoded) -> tuple[Encoded, ...]:
    """``still`` at each of SIZE_WIDTHS narrower than ``shown``, in ``format``; a copy
    that takes no fewer bytes than ``shown`` is left out (a flat drawing in PNG can
    grow when its edges are smoothed)."""
    copies = []
    for width in SIZE_WIDTHS:
        if width >= shown.width:
            break
        height = max(1, round(still.height * width / still.width))
        copy = _encode(still.resize((width, height), Image.Resampling.LANCZOS), format)
        if len(copy.data) < len(shown.data):
            copies.append(copy)
    return tuple(copies)


def narrower_copies(
    original: tuple[str, bytes], shown: tuple[str, bytes] | None = None
) -> tuple[Encoded, ...]:
    """The narrower copies of a stored image the library wrote: ``original`` and the copy
    pages show (``shown``, when not the original), each a stored name and its bytes,
    checked by ``check_stored``. For an image stored before copies were made, or
    brought back from a backup, which does not carry them."""
    image = _decoded(io.BytesIO(original[1]))
    if getattr(image, "n_frames", 1) > 1:
        return ()  # an animation is shown as it is
    name, data = shown or original
    with Image.open(io.BytesIO(data)) as shown_image:  # its size only: not decoded
        width, height = shown_image.size
    return _narrower(
        image, image.format or "", Encoded(data, width, height, name.rsplit(".", 1)[1])
    )


def _decoded(upload: IO[bytes]) -> Image.Image:
    """The upload opened as one of FORMATS and decoded to its last pixel."""
    try:
        with warnings.catch_warnings():
            # Pillow warns of a size past its limit; the check below refuses it instead.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=list(FORMATS))
    except UnidentifiedImageError:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from None
    except Image.DecompressionBombError:
        raise _bomb() from None
    frames = getattr(image, "n_frames", 1)
    # Checked before decoding: the declared size is what decoding would allocate.
    if image.width * image.height * frames > _pixel_limit():
        raise _bomb(image.width, image.height, frames)
    try:
        for frame in range(frames):
            image.seek(frame)
            image.load()
        image.seek(0)
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            _(
                "The image is damaged or cut short: it could not be read to its end. "
                "Upload the file again, or export it again from your photo editor."
            ),
            code="damaged",
        ) from None
    return image


def _pixel_limit() -> int:
    """Pillow's limit, which an operator may lower (``PIL.Image.MAX_IMAGE_PIXELS``); its
    default when it is turned off: the library never opens an image without one."""
    return Image.MAX_IMAGE_PIXELS or 89_478_485


def _bomb(width: int = 0, height: int = 0, frames: int = 1) -> ValidationError:
    size = {"width": width, "height": height, "frames": frames}
    if not width:
        said = ""
    elif frames > 1:
        said = gettext(" (%(width)s×%(height)s pixels, %(frames)s frames)") % size
    else:
        said = gettext(" (%(width)s×%(height)s pixels)") % size
    return ValidationError(
        gettext(
            "The image is too large to open%(size)s: at most %(limit)s million pixels in "
            "all. Make it smaller and upload it again."
        )
        % {"size": said, "limit": _pixel_limit() // 10**6},
        code="too_many_pixels",
    )


def _encode(image: Image.Image, format: str) -> Encoded:
    """A still image written again in ``format`` with none of the upload's metadata."""
    kept = {name: image.info[name] for name in KEPT_INFO if name in image.info}
    if format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif format == "WEBP" and image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    else:
        image = image.copy()
    # Writers fall back on the image's own notes (WebP writes its EXIF, GIF its
    # comment): the copy holds only what is kept on purpose.
    image.info = {name: value for name, value in kept.items() if name != "icc_profile"}
    options = dict(_SAVE_OPTIONS[format])
    if "icc_profile" in kept:
        options["icc_profile"] = kept["icc_profile"]
    out = io.BytesIO()
    image.save(out, format, **options)
    return Encoded(out.getvalue(), image.width, image.height, FORMATS[format][0])


def _encode_animation(image: Image.Image) -> Encoded:
    """An animated GIF or WebP written again frame by frame, with its timing and
    nothing else of the upload's notes."""
    frames, durations = [], []
    for frame in ImageSequence.Iterator(image):
        durations.append(frame.info.get("duration", 100))
        copy = frame.convert("RGBA")
        copy.info = {}
        frames.append(copy)
    format = image.format or ""
    out = io.BytesIO()
    frames[0].save(
        out, format, save_all=True, append_images=frames[1:], duration=durations,
        loop=image.info.get("loop", 0), **_SAVE_OPTIONS[format],
    )  # fmt: skip
    return Encoded(out.getvalue(), image.width, image.height, FORMATS[format][0])


def check_stored(name: str, data: bytes) -> None:
    """``ValidationError`` unless ``data`` is a file the library could have stored as
    ``name``: the name is its digest's, and it decodes in full as the format the name
    says (for files brought back from a backup, which anyone could have edited)."""
    match = STORED_NAME.fullmatch(name)
    if match is None or Encoded(data, 0, 0, match[3]).name != name:
        raise ValidationError(f"{name!r} is not the name of these bytes.", code="wrong_name")
    if _decoded(io.BytesIO(data)).format != FORMAT_OF[match[3]]:
        raise ValidationError(f"{name!r} holds another format than its name says.")


def prepared_as_stored(name: str, data: bytes) -> Prepared:
    """A file this library wrote (another Broadsheet site's, moved with its media
    folder) taken back unchanged, after ``check_stored``: written again, a JPEG would
    lose a little and change its bytes, so its name and the addresses that use it."""
    check_stored(name, data)
    image = _decoded(io.BytesIO(data))
    original = Encoded(data, image.width, image.height, name.rsplit(".", 1)[1])
    return Prepared(original, None, narrower_copies((name, data)))
