"""List the zh_Hans messages still without a translation, or fill them from a JSON file.

.venv/bin/python tools/untranslated.py                 # list
.venv/bin/python tools/untranslated.py fill new.json   # {"English": "中文", ...}
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "portal/translations/zh_Hans/LC_MESSAGES/messages.po"


def main() -> None:
    with PO.open("rb") as f:
        catalog = read_po(f)
    if len(sys.argv) == 3 and sys.argv[1] == "fill":
        table = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
        for message in catalog:
            key = message.id if isinstance(message.id, str) else message.id[0]
            if key in table:
                message.string = table[key] if isinstance(message.id, str) else (table[key],)
                message.flags.discard("fuzzy")
        with PO.open("wb") as f:
            write_po(f, catalog, width=100)
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            print(
                json.dumps(
                    message.id if isinstance(message.id, str) else message.id[0], ensure_ascii=False
                )
            )


if __name__ == "__main__":
    main()
