# t_install -- make install/uninstall honour PREFIX and DESTDIR, and the
# installed binary finds its templates and man page by itself.
P=$PWD/prefix
make -s -C "$SRC" install PREFIX="$P" >/dev/null
[ -x "$P/bin/keqing" ] || fail "no $P/bin/keqing"
[ -f "$P/share/man/man1/keqing.1" ] || fail "no man page"
[ -f "$P/share/keqing/templates/schema/erp.xsd" ] || fail "no schema"
[ -d "$P/share/keqing/templates/roles" ] || fail "no role templates"
[ -f "$P/share/keqing/fonts/families.conf" ] || fail "no fonts config"
"$P/bin/keqing" sample --staff 3 -o s.xml 2>/dev/null
expect_exit 0 "$P/bin/keqing" import s.xml --db t.db
expect_exit 0 "$P/bin/keqing" score --period 2026-10 --db t.db --out o
[ -s o/2026-10/totals.csv ] || fail "installed score wrote no totals.csv"
make -s -C "$SRC" uninstall PREFIX="$P" >/dev/null
[ -z "$(find "$P" -type f)" ] || fail "uninstall left files: $(find "$P" -type f | head -3)"
# DESTDIR stages under another root
make -s -C "$SRC" install PREFIX=/usr/local DESTDIR="$PWD/stage" >/dev/null
[ -x stage/usr/local/bin/keqing ] || fail "DESTDIR not honoured"
[ -f stage/usr/local/share/keqing/templates/schema/erp.xsd ] || fail "DESTDIR templates"
