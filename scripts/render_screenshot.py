#!/usr/bin/env python3
"""Render a tmux capture (tmux capture-pane -e -N -p) to a PNG, faithfully and
reproducibly.

The SGR stream is replayed into a pyte screen of the same size; each cell's
background is painted, then its glyph in DejaVu Sans Mono (bold face for bold
cells). Block elements (U+2580-259F) and light box-drawing lines are painted as
rectangles so bars and frames join without seams. Dim text (SGR 2, which pyte
does not track) is carried through pyte's strikethrough attribute, which the UI
never uses, and drawn part-way to the background.

    render_screenshot.py capture.ansi out.png --cols 120 --rows 40

Needs: python3-pyte, python3-pil, fonts-dejavu-core (Debian).
"""
import argparse
import sys

try:
    import pyte
    from PIL import Image, ImageDraw, ImageFont
except ImportError as error:  # pragma: no cover - environment check
    sys.exit(f"render_screenshot.py: {error}; install python3-pyte and python3-pil")

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
REGULAR = FONT_DIR + "DejaVuSansMono.ttf"
BOLD = FONT_DIR + "DejaVuSansMono-Bold.ttf"

# A dark terminal with the Tango palette (GNOME Terminal's default colours).
DEFAULT_FG = (0xD3, 0xD7, 0xCF)
DEFAULT_BG = (0x1C, 0x1C, 0x1C)
PALETTE = {
    "black": (0x2E, 0x34, 0x36), "red": (0xCC, 0x00, 0x00), "green": (0x4E, 0x9A, 0x06),
    "brown": (0xC4, 0xA0, 0x00), "yellow": (0xC4, 0xA0, 0x00), "blue": (0x34, 0x65, 0xA4),
    "magenta": (0x75, 0x50, 0x7B), "cyan": (0x06, 0x98, 0x9A), "white": (0xD3, 0xD7, 0xCF),
    "brightblack": (0x55, 0x57, 0x53), "brightred": (0xEF, 0x29, 0x29), "brightgreen": (0x8A, 0xE2, 0x34),
    "brightbrown": (0xFC, 0xE9, 0x4F), "brightyellow": (0xFC, 0xE9, 0x4F), "brightblue": (0x72, 0x9F, 0xCF),
    "brightmagenta": (0xAD, 0x7F, 0xA8), "brightcyan": (0x34, 0xE2, 0xE2), "brightwhite": (0xEE, 0xEE, 0xEC),
}

# Light box-drawing characters: which arms leave the cell centre.
BOX = {
    "─": "lr", "│": "ud", "┌": "rd", "┐": "ld", "└": "ru", "┘": "lu",
    "├": "udr", "┤": "udl", "┬": "lrd", "┴": "lru", "┼": "lrud",
    "╴": "l", "╵": "u", "╶": "r", "╷": "d",
}


class DimScreen(pyte.Screen):
    """pyte drops SGR 2 (dim); carry it as strikethrough (9/29), which the UI
    never uses. SGR 22 ends both bold and dim."""

    def select_graphic_rendition(self, *attrs, **kwargs):
        mapped = []
        for a in attrs:
            if a == 2:
                mapped.append(9)
            elif a == 22:
                mapped.extend([22, 29])
            else:
                mapped.append(a)
        super().select_graphic_rendition(*mapped, **kwargs)


def colour(name, default):
    if name == "default":
        return default
    if name in PALETTE:
        return PALETTE[name]
    if isinstance(name, str) and len(name) == 6:
        try:
            return tuple(int(name[i:i + 2], 16) for i in (0, 2, 4))
        except ValueError:
            pass
    return default


def blend(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def paint_block(draw, ch, x, y, w, h, fg, bg):
    """Paints U+2580-259F as rectangles; returns False for other characters."""
    code = ord(ch)
    if not 0x2580 <= code <= 0x259F:
        return False
    rect = lambda x0, y0, x1, y1, c=fg: draw.rectangle([x + x0, y + y0, x + x1 - 1, y + y1 - 1], fill=c)
    if code == 0x2580:                      # upper half
        rect(0, 0, w, h // 2)
    elif 0x2581 <= code <= 0x2588:          # lower n/8
        n = code - 0x2580
        top = h - round(h * n / 8)
        rect(0, top, w, h)
    elif 0x2589 <= code <= 0x258F:          # left n/8, n = 7..1
        n = 0x2590 - code
        rect(0, 0, max(1, round(w * n / 8)), h)
    elif code == 0x2590:                    # right half
        rect(w // 2, 0, w, h)
    elif 0x2591 <= code <= 0x2593:          # shades
        rect(0, 0, w, h, blend(bg, fg, (code - 0x2590) / 4))
    elif code == 0x2594:                    # upper 1/8
        rect(0, 0, w, max(1, round(h / 8)))
    elif code == 0x2595:                    # right 1/8
        rect(w - max(1, round(w / 8)), 0, w, h)
    else:                                   # quadrants 2596-259F
        quads = {0x2596: "3", 0x2597: "4", 0x2598: "1", 0x2599: "134", 0x259A: "14",
                 0x259B: "123", 0x259C: "124", 0x259D: "2", 0x259E: "23", 0x259F: "234"}[code]
        hw, hh = w // 2, h // 2
        boxes = {"1": (0, 0, hw, hh), "2": (hw, 0, w, hh), "3": (0, hh, hw, h), "4": (hw, hh, w, h)}
        for q in quads:
            rect(*boxes[q])
    return True


def paint_box(draw, ch, x, y, w, h, fg, thickness):
    arms = BOX.get(ch)
    if arms is None:
        return False
    cx, cy = x + w // 2, y + h // 2
    half = thickness // 2
    if "l" in arms:
        draw.rectangle([x, cy - half, cx + half, cy - half + thickness - 1], fill=fg)
    if "r" in arms:
        draw.rectangle([cx - half, cy - half, x + w - 1, cy - half + thickness - 1], fill=fg)
    if "u" in arms:
        draw.rectangle([cx - half, y, cx - half + thickness - 1, cy + half], fill=fg)
    if "d" in arms:
        draw.rectangle([cx - half, cy - half, cx - half + thickness - 1, y + h - 1], fill=fg)
    return True


def render(capture, cols, rows, font_size):
    screen = DimScreen(cols, rows)
    stream = pyte.Stream(screen)
    lines = capture.split("\n")
    if lines and lines[-1] == "":
        lines.pop()                          # the final newline would scroll the top row away
    stream.feed("\r\n".join(lines[:rows]))

    regular = ImageFont.truetype(REGULAR, font_size)
    bold = ImageFont.truetype(BOLD, font_size)
    ascent, descent = regular.getmetrics()
    cw, ch = round(regular.getlength("M")), ascent + descent
    thickness = max(1, round(font_size / 12))
    image = Image.new("RGB", (cols * cw, rows * ch), DEFAULT_BG)
    draw = ImageDraw.Draw(image)
    for row in range(rows):
        line = screen.buffer[row]
        for col in range(cols):
            cell = line[col]
            fg = colour(cell.fg, DEFAULT_FG)
            bg = colour(cell.bg, DEFAULT_BG)
            if cell.reverse:
                fg, bg = bg, fg
            if cell.strikethrough:           # dim
                fg = blend(fg, bg, 0.45)
            x, y = col * cw, row * ch
            if bg != DEFAULT_BG:
                draw.rectangle([x, y, x + cw - 1, y + ch - 1], fill=bg)
            text = cell.data
            if not text or text == " ":
                continue
            if paint_block(draw, text[0], x, y, cw, ch, fg, bg) or paint_box(draw, text[0], x, y, cw, ch, fg, thickness):
                continue
            draw.text((x, y), text, font=bold if cell.bold else regular, fill=fg)
            if cell.underscore:
                draw.rectangle([x, y + ch - thickness - 1, x + cw - 1, y + ch - 2], fill=fg)
    return image


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("capture", help="output of tmux capture-pane -e -N -p ('-' for stdin)")
    parser.add_argument("png")
    parser.add_argument("--cols", type=int, required=True)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--font-size", type=int, default=16)
    args = parser.parse_args()
    if args.capture == "-":
        text = sys.stdin.read()
    else:
        with open(args.capture, encoding="utf-8", errors="replace") as f:
            text = f.read()
    render(text, args.cols, args.rows, args.font_size).save(args.png, optimize=True)


if __name__ == "__main__":
    main()
