#!/bin/sh
# check_deps -- are the tools, libraries and fonts a target needs present?
# Installs nothing (that is `make deps`): lists what is missing, with the
# Debian package that provides it, and fails.
#
# Usage: sh tests/check_deps.sh WHAT...   WHAT: build, check, lint,
# valgrind, tsan (from the Makefile: `make check` runs "build check").
set -u
missing=""
pkgs=""
# need DEBIAN-PACKAGE WHAT-IS-MISSING: record one missing item
need() {
    missing="$missing
  - $2 (Debian package $1)"
    case " $pkgs " in *" $1 "*) ;; *) pkgs="$pkgs $1" ;; esac
}
cmd() { # PACKAGE COMMAND...
    p=$1; shift
    for c in "$@"; do
        command -v "$c" > /dev/null 2>&1 || need "$p" "command $c"
    done
}
pc() { # PACKAGE PKG-CONFIG-MODULE...
    p=$1; shift
    for m in "$@"; do
        pkg-config --exists "$m" 2> /dev/null || need "$p" "library $m (pkg-config)"
    done
}
header() { # PACKAGE HEADER
    [ -e "/usr/include/$2" ] || need "$1" "header <$2>"
}
family() { # PACKAGE FONTCONFIG-FAMILY
    fc-list : family 2> /dev/null | tr ',' '\n' | grep -qx "$2" ||
        need "$1" "font family '$2'"
}

for what in "$@"; do
    case $what in
    build)
        cmd build-essential cc make
        cmd pkg-config pkg-config
        pc libxml2-dev libxml-2.0
        pc libxslt1-dev libxslt
        pc libsqlite3-dev sqlite3
        pc libharfbuzz-dev harfbuzz harfbuzz-subset
        pc libfontconfig-dev fontconfig
        pc libdeflate-dev libdeflate
        pc libqrencode-dev libqrencode
        pc libzbar-dev zbar
        pc libpoppler-glib-dev poppler-glib
        pc libcairo2-dev cairo
        pc libleptonica-dev lept
        pc libpng-dev libpng
        pc libjpeg-dev libjpeg
        pc libxlsxwriter-dev xlsxwriter
        header libhpdf-dev hpdf.h
        ;;
    check)
        pc check check
        [ -e /usr/lib/x86_64-linux-gnu/libsubunit.so ] ||
            ls /usr/lib/*/libsubunit.so > /dev/null 2>&1 || need libsubunit-dev "library libsubunit"
        cmd sqlite3 sqlite3
        cmd poppler-utils pdftotext pdffonts pdfinfo pdfdetach pdftoppm
        cmd qpdf qpdf
        cmd zbar-tools zbarimg
        # tests/scan/make_scans.py (t_scangen), with Debian's python3
        /usr/bin/python3 -c 'import PIL' 2> /dev/null || need python3-pil "python module PIL (/usr/bin/python3)"
        /usr/bin/python3 -c 'import numpy' 2> /dev/null || need python3-numpy "python module numpy (/usr/bin/python3)"
        # the workbook read back by a reader we did not write (t_xlsx)
        /usr/bin/python3 -c 'import openpyxl' 2> /dev/null || need python3-openpyxl "python module openpyxl (/usr/bin/python3)"
        cmd libxml2-utils xmllint
        cmd time /usr/bin/time
        cmd fontconfig fc-match fc-list
        family fonts-wqy-microhei "WenQuanYi Micro Hei"
        family fonts-wqy-zenhei "WenQuanYi Zen Hei"
        family fonts-hanazono "HanaMinA"
        family fonts-hanazono "HanaMinB"
        family fonts-babelstone-han "BabelStone Han"
        ;;
    lint)
        cmd cppcheck cppcheck
        cmd shellcheck shellcheck
        cmd binutils nm
        ;;
    valgrind)
        cmd valgrind valgrind
        ;;
    tsan)
        ls /usr/lib/*/libtsan.so* /usr/lib/gcc/*/*/libtsan.so > /dev/null 2>&1 ||
            need libtsan2 "ThreadSanitizer runtime libtsan"
        ;;
    *)
        echo "check_deps: unknown target '$what'" >&2
        exit 2
        ;;
    esac
done

if [ -n "$missing" ]; then
    echo "check_deps: missing (needed for: $*):$missing" >&2
    echo "Run 'make deps' first (it installs the missing Debian packages:$pkgs;" \
         "as root or through sudo), or install them yourself." >&2
    exit 1
fi
