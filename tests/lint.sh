#!/bin/sh
# lint_includes -- each third-party library is visible in its own modules
# only: libxml2/libxslt in import_* and roles*/tmpl*, sqlite3 in store*,
# libharu in pdf*/sheet*/render*, HarfBuzz and fontconfig in font*.
cd "$(dirname "$0")/.." || exit 1
bad=0
check() { # PATTERN ALLOWED-REGEX
    for f in $(grep -l "$1" generator/*.c generator/*.h 2>/dev/null); do
        b=$(basename "$f")
        echo "$b" | grep -Eq "$2" || { echo "lint: $f includes $1"; bad=1; }
    done
}
check '#include <libxml/' '^(import|roles|tmpl|xmlx)'
check '#include <libxslt/' '^import'
check '#include <sqlite3.h>' '^store'
check '#include <hpdf' '^(pdf|render|sheet|packet)'
check '#include <hb' '^font'
check '#include <fontconfig' '^font'
exit $bad
