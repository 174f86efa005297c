"""``luoshi-web``: Django's management command for luoshi.

luoshi-web migrate                     create or update the database
luoshi-web demo                        units, the sample notices and demo accounts
luoshi-web import FILE...              import notices
luoshi-web adduser NAME --password P --role office|leader|unit [--unit U] [--leader L]
luoshi-web serve                       serve on http://127.0.0.1:$PORT (default 8000), with
                                       the nightly lights (luoshi-web schedule)
luoshi-web lights [--all]              recompute the lights time can still change
luoshi-web backup [FILE] / restore FILE
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi_web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["luoshi-web", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
