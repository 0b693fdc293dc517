# t_reliable -- under load, signals and faults (issue 12, doc/limits.md):
# a render overlapping a correction issues only documents whose data,
# hash and QR code agree; an output folder has one owner at a time; a
# foreign or newer database is refused unchanged; SIGTERM and SIGINT at
# each stage end the run with a message and a documented status, and the
# same command then finishes it byte-identical to an uninterrupted run.
# Every pause is a deterministic hook (KEQING_TEST_HOOK, hook.h; lib.sh
# hook_start): the run blocks on a FIFO until the test lets it go, and the
# test learns that it is paused from the FIFO too - no sleep, no polling.
# shellcheck disable=SC2154 # $pid is set by lib.sh's hook_start
T="$SRC/templates"
P=2026-10
export KEQING_TEMPLATES="$T"

"$KEQING" sample --staff 40 --period $P --seed 11 -o s.xml >/dev/null 2>&1

# paused CMD...: start CMD paused at the hook $HOOK (lib.sh hook_start);
# release: let it go on; finish STATUS: it must end with STATUS
paused() { hook_start "$HOOK" "$@"; }
release() { hook_release; }
finish() { hook_finish "$1"; }

# ---- the store refuses what is not its own ----------------------------------
sqlite3 foreign.db "CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);"
sum=$(sha256sum foreign.db)
for cmd in "import s.xml" "score --period $P" "render --period $P" "verify s.xml"; do
    # shellcheck disable=SC2086 # $cmd is a command and its arguments
    expect_exit 65 "$KEQING" $cmd --db foreign.db
    expect_grep 'foreign.db: not a keqing database (SQLite application_id 0x00000000, schema version 0, 1 table): it was left unchanged' err.txt
done
[ "$(sha256sum foreign.db)" = "$sum" ] || fail "a foreign database was changed"
expect_exit 0 "$KEQING" import s.xml --db k.db
[ "$(sqlite3 k.db 'PRAGMA application_id')" = 1263617090 ] || fail "no application_id"
cp k.db newer.db
sqlite3 newer.db "PRAGMA user_version = 99"
sum=$(sha256sum newer.db)
expect_exit 65 "$KEQING" import s.xml --db newer.db
expect_grep 'newer.db: schema version 99 is newer than this keqing (7): it was left unchanged; use the keqing that wrote it, or a newer one' err.txt
expect_exit 65 "$KEQING" verify s.xml --db newer.db
expect_grep 'schema version 99 is newer than this keqing' err.txt
expect_no_grep 'read-write' err.txt
[ "$(sha256sum newer.db)" = "$sum" ] || fail "a newer database was changed"
# an older keqing's database (schema 4: no stored rankings, managers or
# targets) is upgraded; its scored period must be scored again before the
# region sheets are drawn - then they are exactly a new database's
cp "$SRC/tests/data/good/render_tricky.xml" render_tricky.xml
sqlite3 old.db < "$SRC/tests/data/old/schema4_tricky.sql"
expect_exit 65 "$KEQING" render --period $P --db old.db --out old
expect_grep 'period 2026-10 was scored by an earlier keqing, which did not store the regions' err.txt
expect_grep 'score it again (keqing score --period 2026-10' err.txt
[ "$(sqlite3 old.db 'PRAGMA user_version')" = 7 ] || fail "not upgraded"
expect_exit 0 "$KEQING" score --period $P --db old.db --out old
expect_exit 0 "$KEQING" render --period $P --db old.db --out old --jobs 1
expect_exit 0 "$KEQING" run render_tricky.xml --period $P --db new.db --out new --jobs 1 --quiet
for f in regions/CN.pdf regions/R1.pdf packets/CN.pdf persons/M01.pdf; do
    cmp -s "old/$P/$f" "new/$P/$f" || fail "$f: an upgraded database draws it differently"
done
# verify: a folder is no file (66); a file larger than any PDF of ours is
# refused by its size, before it is read
mkdir -p h
expect_exit 66 "$KEQING" verify --db k.db h
expect_grep 'h: is a folder, not a PDF file' err.txt
truncate -s 3G huge.pdf
/usr/bin/time -f '%M' -o mem.txt "$KEQING" verify --db k.db huge.pdf > out.txt 2> err.txt || true
expect_grep 'huge.pdf: 3221225472 bytes, larger than any document keqing writes' err.txt
kb=$(tail -1 mem.txt); [ "$kb" -lt 65536 ] || fail "verify of a 3 GB file took $kb KB"
rm -f huge.pdf

# ---- one consistent view per render -------------------------------------------
expect_exit 0 "$KEQING" score --period $P --db k.db --out o
# the render is stopped after its plan (numbers allocated, nothing drawn);
# a correction of one person is imported and scored meanwhile
name=$(grep 'id="E00023"' s.xml | sed 's/.* name="\([^"]*\)".*/\1/')
sed -e "s/name=\"$name\"/name=\"${name}正\"/" -e 's/exported="2026-11-03T09:00:00/exported="2026-11-05T10:00:00/' s.xml > fix.xml
HOOK=render-planned
paused "$KEQING" render --period $P --db k.db --out o --jobs 2
expect_exit 0 "$KEQING" import fix.xml --db k.db
expect_exit 0 "$KEQING" score --period $P --db k.db --out o
release
finish 75
expect_grep 'documents were not issued because the database changed while they were drawn' bg.err
expect_grep 'person E00023: its data changed after the render was planned' bg.err
[ ! -e o/$P/manifest.csv ] || fail "an incomplete period has a manifest"
# every file the overlapped render left is one it issued, whose QR code
# and registered hash describe what it shows
find "o/$P" -name '*.pdf' > issued.txt
while read -r f; do
    expect_exit 0 "$KEQING" verify --db k.db "$f"
done < issued.txt
[ ! -e o/$P/persons/E00023.pdf ] || fail "E00023's sheet was issued from the old data"
# the same command again issues the rest: every document consistent
expect_exit 0 "$KEQING" render --period $P --db k.db --out o --jobs 2
pdftotext o/$P/persons/E00023.pdf c.txt
expect_grep "${name}正" c.txt
no=$(pdfinfo o/$P/persons/E00023.pdf | sed -n 's/^Subject: *//p')
pdftoppm -r 200 -png -singlefile o/$P/persons/E00023.pdf q
h=$(sqlite3 k.db "SELECT upper(substr(data_hash, 1, 8)) FROM document WHERE number = '$no'")
zbarimg -q --raw q.png 2>/dev/null | grep -q "^$no $h " || fail "QR code and registry disagree"

# ---- an output folder has one owner at a time ------------------------------------
# a second render into the folder a paused one owns: refused at once
# (KEQING_BUSY_MS=0) naming the owner; the first then finishes
"$KEQING" sample --staff 40 --period $P --seed 12 -o other.xml >/dev/null 2>&1
expect_exit 0 "$KEQING" run other.xml --period $P --db other.db --out oo --quiet
HOOK=render-planned
rm -rf o2
paused "$KEQING" render --period $P --db k.db --out o2 --jobs 1
owner=$pid
KEQING_BUSY_MS=0 expect_exit 75 "$KEQING" render --period $P --db other.db --out o2 --jobs 1
expect_grep "o2/$P: another keqing (pid $owner) is writing this folder; try again when it is done" err.txt
release
finish 0
(cd o2/$P && tail -n +2 manifest.csv | awk -F, '{print $2"  "$1}' | sha256sum -c --quiet) ||
    fail "the folder does not match its manifest"
[ -e o2/$P/.keqing.lock ] || fail "no lock file"
# once it is done the folder is free again
expect_exit 0 "$KEQING" render --period $P --db k.db --out o2 --jobs 1

# ---- signals at each stage --------------------------------------------------------
expect_exit 0 "$KEQING" run s.xml --period $P --db ref.db --out ref --quiet
# stage_sig HOOK SIGNAL STATUS MESSAGE: a run paused at HOOK, signalled:
# the message and the status; the same command then finishes it
stage_sig() {
    HOOK=$1
    paused "$KEQING" run s.xml --period $P --db r.db --out r --jobs 2
    kill -"$2" "$pid"
    finish "$3"
    expect_grep "$4" bg.err
    [ -z "$(find . -name '*.tmp.*')" ] || fail "temporary files left after SIG$2 at $1"
}
# during the import: rolled back; a first run leaves no database
rm -rf r r.db
stage_sig import-record@50 TERM 143 'import stopped by a signal: nothing was stored'
[ ! -e r.db ] || fail "a first run stopped in its import left a database"
# before the scores are stored: they are not (the import is)
stage_sig score-stored INT 130 'stopped by a signal before its results were stored'
[ "$(sqlite3 r.db 'SELECT count(*) FROM score_total')" = 0 ] || fail "scores stored after SIGINT"
# in the middle of the render: what is written is registered
stage_sig render-doc@5 TERM 143 'render 2026-10 stopped by a signal: [0-9]* of [0-9]* documents written or up to date and registered; run the same command again to finish'
[ "$(sqlite3 r.db "SELECT count(*) FROM document WHERE status = 'issued'")" -ge 5 ] ||
    fail "the documents written before SIGTERM are not registered"
expect_exit 0 "$KEQING" run s.xml --period $P --db r.db --out r --jobs 2 --quiet
diff -r ref r > /dev/null || fail "the resumed run differs from an uninterrupted one"

# ---- no company too big: scoring in chunks of customers -------------------------
# the period read and scored 7 customers at a time gives exactly what one
# chunk of every customer gives: CSVs and every stored result
cp k.db c7.db
expect_exit 0 "$KEQING" score --period $P --db k.db --out c1
KEQING_SCORE_CHUNK=7 expect_exit 0 "$KEQING" score --period $P --db c7.db --out c7
cmp c1/$P/scores.csv c7/$P/scores.csv || fail "chunked scores.csv differs"
cmp c1/$P/totals.csv c7/$P/totals.csv || fail "chunked totals.csv differs"
for t in score_total score_indicator score_region score_region_role score_region_grade \
         score_region_indicator score_risk score_run score_role; do
    [ "$(sqlite3 k.db "SELECT * FROM $t ORDER BY 1, 2, 3")" = "$(sqlite3 c7.db "SELECT * FROM $t ORDER BY 1, 2, 3")" ] ||
        fail "chunked $t differs"
done
