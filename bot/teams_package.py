"""The Teams app package: manifest.json (from bot/teams/app_package/manifest.json, package data: it ships in the
wheel, so `internal-hire teams-package` works after a plain `pip install .` and in the container) + color.png +
outline.png in one zip.

Upload the zip in Teams (Apps -> Manage your apps -> Upload an app) or in the Teams admin centre. The template
manifest.json holds two placeholders: {{APP_ID}} (the Microsoft App ID of the bot registration, a GUID; it is both
the Teams app id and the bot id) and {{HOST}} (the public host serving the bot; it goes into validDomains and the
developer URLs).

The icons are drawn here with the standard library only (zlib + struct, no Pillow): a white person with a magnifying
glass, on the accent colour for color.png (192x192) and on transparency for outline.png (32x32, white only, as Teams
requires). `python -m bot.teams_package --icons teams/` redraws the two files (bot/teams/app_package/).
"""
from __future__ import annotations

import argparse
import json
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Callable

TEAMS_DIR = Path(__file__).resolve().parent / "teams" / "app_package"
MANIFEST_TEMPLATE = TEAMS_DIR / "manifest.json"
ACCENT = (0x4F, 0x46, 0xE5)
COLOR_SIZE = 192
OUTLINE_SIZE = 32
DEFAULT_ZIP_NAME = "internal-hire-teams.zip"

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_HOST = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
                   r"(:\d{1,5})?$")

# ---- PNG ----------------------------------------------------------------------------------------------------------


def png_bytes(width: int, height: int, rgba: bytes) -> bytes:
    """An 8-bit RGBA PNG from width*height*4 bytes, row by row."""
    if len(rgba) != width * height * 4:
        raise ValueError("pixel data does not match the size")

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    stride = width * 4
    raw = b"".join(b"\x00" + rgba[y * stride:(y + 1) * stride] for y in range(height))   # filter type 0 per row
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))   # 8 bits, RGBA
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


# ---- the glyph: shapes in unit coordinates (0..1, y down) ---------------------------------------------------------
Shape = Callable[[float, float], bool]


def _circle(cx: float, cy: float, r: float) -> Shape:
    return lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def _ring(cx: float, cy: float, r_out: float, r_in: float) -> Shape:
    return lambda x, y: r_in * r_in <= (x - cx) ** 2 + (y - cy) ** 2 <= r_out * r_out


def _capsule(x1: float, y1: float, x2: float, y2: float, r: float) -> Shape:
    dx, dy = x2 - x1, y2 - y1
    length2 = dx * dx + dy * dy

    def inside(x: float, y: float) -> bool:
        t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / length2))
        px, py = x1 + t * dx - x, y1 + t * dy - y
        return px * px + py * py <= r * r
    return inside


def _dome(cx: float, base: float, rx: float, ry: float) -> Shape:
    """The upper half of an ellipse standing on y = base: the shoulders."""
    return lambda x, y: y <= base and ((x - cx) / rx) ** 2 + ((y - base) / ry) ** 2 <= 1.0


_HEAD = _circle(0.40, 0.33, 0.135)
_SHOULDERS = _dome(0.40, 0.80, 0.27, 0.30)
_LENS = _ring(0.67, 0.60, 0.155, 0.100)
_HANDLE = _capsule(0.78, 0.71, 0.87, 0.80, 0.045)
_LENS_GAP = lambda x, y: _circle(0.67, 0.60, 0.205)(x, y) or _capsule(0.78, 0.71, 0.87, 0.80, 0.095)(x, y)  # noqa: E731


def _glyph(x: float, y: float) -> float:
    """1 where the glyph is white, 0 elsewhere: the person, cut out around the magnifying glass, plus the glass."""
    if _LENS(x, y) or _HANDLE(x, y):
        return 1.0
    if _LENS_GAP(x, y):
        return 0.0
    return 1.0 if (_HEAD(x, y) or _SHOULDERS(x, y)) else 0.0


def _coverage(size: int, samples: int) -> list[float]:
    """Anti-aliased glyph coverage per pixel (samples x samples per pixel)."""
    out = []
    step = 1.0 / (size * samples)
    offsets = [(i + 0.5) * step for i in range(samples)]
    total = samples * samples
    for py in range(size):
        for px in range(size):
            x0, y0 = px / size, py / size
            hits = sum(_glyph(x0 + ox, y0 + oy) for oy in offsets for ox in offsets)
            out.append(hits / total)
    return out


def color_icon(size: int = COLOR_SIZE, samples: int = 3) -> bytes:
    """The full-colour icon: a white glyph on the accent colour."""
    pixels = bytearray()
    for c in _coverage(size, samples):
        pixels += bytes(round(a + (255 - a) * c) for a in ACCENT) + b"\xff"
    return png_bytes(size, size, bytes(pixels))


def outline_icon(size: int = OUTLINE_SIZE, samples: int = 4) -> bytes:
    """The outline icon: white only, on transparency (alpha carries the anti-aliasing)."""
    pixels = bytearray()
    for c in _coverage(size, samples):
        pixels += b"\xff\xff\xff" + bytes([round(255 * c)]) if c else b"\x00\x00\x00\x00"
    return png_bytes(size, size, bytes(pixels))


def write_icons(directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    color, outline = directory / "color.png", directory / "outline.png"
    color.write_bytes(color_icon())
    outline.write_bytes(outline_icon())
    return color, outline


# ---- the package ----------------------------------------------------------------------------------------------------
def normalise_host(host: str) -> str:
    """'https://bot.example.com/' -> 'bot.example.com'. Raises ValueError for anything that is not a bare host."""
    value = (host or "").strip()
    value = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", value).rstrip("/").lower()
    if not _HOST.match(value):
        raise ValueError(f"not a host name: {host!r} (expected e.g. bot.example.com)")
    return value


def _fill(value, replacements: dict[str, str]):
    if isinstance(value, str):
        for key, text in replacements.items():
            value = value.replace(key, text)
        return value
    if isinstance(value, list):
        return [_fill(v, replacements) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, replacements) for k, v in value.items()}
    return value


def render_manifest(app_id: str, host: str, template: Path = MANIFEST_TEMPLATE) -> dict:
    """The manifest template with {{APP_ID}} and {{HOST}} filled in."""
    if not _GUID.match(app_id or ""):
        raise ValueError(f"the Teams app id must be a GUID (the bot's Microsoft App ID), got {app_id!r}")
    manifest = _fill(json.loads(template.read_text(encoding="utf-8")),
                     {"{{APP_ID}}": app_id, "{{HOST}}": normalise_host(host)})
    left = re.findall(r"\{\{[A-Z_]+\}\}", json.dumps(manifest))
    if left:
        raise ValueError(f"unfilled placeholders in {template}: {sorted(set(left))}")
    return manifest


def _icon(name: str, draw: Callable[[], bytes]) -> bytes:
    path = TEAMS_DIR / name
    return path.read_bytes() if path.is_file() else draw()


def build_teams_package(app_id: str, out_path: Path, host: str) -> Path:
    """Write the Teams app package (a zip with manifest.json, color.png, outline.png at its root) and return its path.
    out_path may be a directory, in which case the zip is named internal-hire-teams.zip."""
    out_path = Path(out_path)
    if out_path.is_dir():
        out_path = out_path / DEFAULT_ZIP_NAME
    manifest = render_manifest(app_id, host)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out_path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        zf.writestr(manifest["icons"]["color"], _icon("color.png", color_icon))
        zf.writestr(manifest["icons"]["outline"], _icon("outline.png", outline_icon))
    return out_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.teams_package", description=__doc__.split("\n")[0])
    parser.add_argument("--icons", type=Path, metavar="DIR", help="only (re)draw color.png and outline.png into DIR")
    parser.add_argument("--app-id", help="the bot's Microsoft App ID (a GUID)")
    parser.add_argument("--host", help="the public host of the bot, e.g. bot.example.com")
    parser.add_argument("--out", type=Path, default=Path(DEFAULT_ZIP_NAME))
    args = parser.parse_args(argv)
    if args.icons:
        for path in write_icons(args.icons):
            print(path)
        return 0
    if not (args.app_id and args.host):
        parser.error("--app-id and --host are required to build the package")
    print(build_teams_package(args.app_id, args.out, args.host))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
