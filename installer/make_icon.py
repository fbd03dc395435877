"""Draw the program icon ``installer/dtidesk.ico`` (committed; run again only to change it).

    python installer/make_icon.py        # needs Pillow (not a dependency of the program)

A blue rounded square with three rising bars (ranking) and a tick: readable from 16 px up.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
SIZES = [16, 24, 32, 48, 64, 128, 256]


def draw(size: int = 256) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    s = size / 256
    d.rounded_rectangle((8 * s, 8 * s, 248 * s, 248 * s), radius=44 * s, fill=(21, 101, 192, 255))
    base = 200 * s
    for i, height in enumerate((60, 100, 140)):
        x = (46 + i * 58) * s
        d.rounded_rectangle((x, base - height * s, x + 42 * s, base), radius=6 * s, fill=(255, 255, 255, 255))
    d.line([(40 * s, 92 * s), (80 * s, 60 * s), (130 * s, 76 * s), (210 * s, 40 * s)], fill=(255, 213, 79, 255),
           width=max(2, round(14 * s)), joint="curve")  # fmt: skip
    return img


def main() -> None:
    big = draw(256)
    big.save(HERE / "dtidesk.ico", sizes=[(n, n) for n in SIZES])
    big.save(HERE.parent / "app" / "gui" / "dtidesk.png")  # the window icon, shipped with the GUI package


if __name__ == "__main__":
    main()
