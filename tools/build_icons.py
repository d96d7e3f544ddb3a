"""Build the Bootstrap Icons sprite from the npm package, with only the icons the portal uses.

    npm pack bootstrap-icons@1.13.1 && tar xzf bootstrap-icons-1.13.1.tgz
    python tools/build_icons.py package/icons

Icon names are listed in portal/static/vendor/bootstrap-icons/ICONS.txt; the sprite is written to
portal/static/vendor/bootstrap-icons/sprite.svg and its sha256 goes into VENDORED.md by hand.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "portal/static/vendor/bootstrap-icons"


def main(icons_dir: str) -> None:
    names = [n.strip() for n in (TARGET / "ICONS.txt").read_text().split() if n.strip()]
    symbols = []
    for name in sorted(set(names)):
        svg = (Path(icons_dir) / f"{name}.svg").read_text()
        viewbox = re.search(r'viewBox="([^"]+)"', svg).group(1)
        body = re.sub(r"^.*?<svg[^>]*>|</svg>\s*$", "", svg, flags=re.S).strip()
        symbols.append(f'<symbol id="{name}" viewBox="{viewbox}">{body}</symbol>')
    sprite = '<svg xmlns="http://www.w3.org/2000/svg">' + "".join(symbols) + "</svg>\n"
    (TARGET / "sprite.svg").write_text(sprite)
    print(f"{len(symbols)} icons -> {TARGET / 'sprite.svg'}")


if __name__ == "__main__":
    main(sys.argv[1])
