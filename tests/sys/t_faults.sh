# t_faults -- faults around keqing: a full disk under the database and
# under the PDFs, an unreadable input, a read-only output folder, the
# database locked by another process, a missing or corrupt font, and two
# imports at once.  Each case: the documented exit status, a clear
# message, no partial file under a final name and no "*.tmp.*" left, and
# a database that passes integrity_check and holds what it held.
#
# Faults are injected with tests/inject/kq_inject.c (LD_PRELOAD; built
# here), and, when running as root, also for real with small tmpfs mounts
# (unmounted on exit).  The allocation-failure loops are in
# tests/unit/check_faults.c.
D="$SRC/tests/data"
T="$SRC/templates"
P=2026-10
export KEQING_TEMPLATES="$T"
# the shim must be allowed next to a sanitizer runtime (make check SAN=1)
export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}verify_asan_link_order=0"

cc -shared -fPIC -o inject.so "$SRC/tests/inject/kq_inject.c" -ldl ||
    fail "cannot build the injection shim"
# inj VAR=VALUE... -- CMD: run CMD with the shim and the given settings
inj() { env LD_PRELOAD="$PWD/inject.so" "$@"; }

# db_state DB: integrity and content, one line (compared before/after)
db_state() { echo "$(sqlite3 "$1" 'PRAGMA integrity_check') $(dbsum "$1")"; }
no_tmp() { ! find "$1" -name '*.tmp.*' | grep -q . || fail "temporary file left under $1: $(find "$1" -name '*.tmp.*')"; }
# every PDF under DIR is a complete file
pdfs_whole() {
    find "$1" -name '*.pdf' > pdfs.txt
    while read -r f; do
        qpdf --check "$f" >/dev/null 2>&1 || fail "partial PDF under a final name: $f"
    done < pdfs.txt
}

"$KEQING" sample --staff 20 --period $P --seed 5 -o s20.xml >/dev/null 2>&1
expect_exit 0 "$KEQING" import "$D/good/score_small.xml" --db k.db
expect_exit 0 "$KEQING" score --period $P --db k.db --out o
before=$(db_state k.db)

# -- disk full while writing the database (injected ENOSPC, then EIO):
#    74, the message says so, the database holds what it held
for errno in ENOSPC EIO; do
    cp k.db f.db
    expect_exit 74 inj KQ_INJECT_PATH=f.db KQ_INJECT_OPS=write KQ_INJECT_ERRNO=$errno \
        "$KEQING" import s20.xml --db f.db
    case $errno in
        ENOSPC) expect_grep 'f.db: .*database or disk is full' err.txt ;;
        EIO) expect_grep 'f.db: .*disk I/O error' err.txt ;;
    esac
    [ "$(db_state f.db)" = "$before" ] || fail "$errno: database changed or damaged"
    [ ! -e f.db-journal ] || fail "$errno: journal left"
    # the fault gone, the same import goes through
    expect_exit 0 "$KEQING" import s20.xml --db f.db
done
# fsync failing at commit: nothing committed
cp k.db f.db
expect_exit 74 inj KQ_INJECT_PATH=f.db KQ_INJECT_OPS=fsync "$KEQING" import s20.xml --db f.db
expect_grep 'f.db: ' err.txt
[ "$(db_state f.db)" = "$before" ] || fail "fsync: database changed or damaged"

# -- disk full while writing PDFs (injected at fsync, so even a small PDF
#    cannot slip through): 74, no PDF under a final name, no temp file.
#    render registers the documents it issues (doc/archive.md): once a
#    render has numbered them, failed renders change nothing.
expect_exit 0 "$KEQING" render --period $P --db k.db --out numbered --jobs 1 --only persons
before=$(db_state k.db)
expect_exit 74 inj KQ_INJECT_PATH=/persons/ KQ_INJECT_OPS=fsync \
    "$KEQING" render --period $P --db k.db --out full --jobs 1 --only persons
expect_grep 'No space left on device' err.txt
[ -z "$(find full -name '*.pdf')" ] || fail "PDF written despite ENOSPC: $(find full -name '*.pdf')"
no_tmp full
# a failure in the middle of a batch: sheets are synced together (one
# syncfs per batch), then renamed one by one; the second rename fails
expect_exit 74 inj KQ_INJECT_PATH=/persons/ KQ_INJECT_OPS=rename KQ_INJECT_AFTER=1 \
    "$KEQING" render --period $P --db k.db --out full2 --jobs 2 --only persons
pdfs_whole full2
no_tmp full2
# scores CSV on a full disk
expect_exit 74 inj KQ_INJECT_PATH=/csvfull/ KQ_INJECT_OPS=fsync \
    "$KEQING" score --period $P --db k.db --out csvfull
expect_grep 'csvfull/2026-10/.*No space left on device' err.txt
[ -z "$(find csvfull -name '*.csv')" ] || fail "CSV written despite ENOSPC"
no_tmp csvfull
[ "$(db_state k.db)" = "$before" ] || fail "failed render/score changed the database"

# -- an unreadable input: a folder; an open() refused (root ignores chmod)
mkdir adir
expect_exit 66 "$KEQING" import adir --db k.db
expect_grep 'keqing: adir: is a folder, not a file' err.txt
cp "$D/good/full.xml" locked.xml
expect_exit 66 inj KQ_INJECT_PATH=locked.xml KQ_INJECT_OPS=open,read KQ_INJECT_ERRNO=EACCES \
    "$KEQING" import locked.xml --db k.db
expect_grep 'locked.xml: cannot open: Permission denied' err.txt
[ "$(db_state k.db)" = "$before" ] || fail "unreadable input changed the database"

# -- a read-only output folder (injected EROFS): 73, nothing written
expect_exit 73 inj KQ_INJECT_PATH=/ro/ KQ_INJECT_OPS=open KQ_INJECT_ERRNO=EROFS \
    "$KEQING" render --period $P --db k.db --out "$PWD/ro" --jobs 1 --only persons
expect_grep 'ro/2026-10/.*Read-only file system' err.txt
[ -z "$(find ro -type f)" ] || fail "files written to a read-only folder"
expect_exit 73 inj KQ_INJECT_PATH=/ro/ KQ_INJECT_OPS=open KQ_INJECT_ERRNO=EROFS \
    "$KEQING" score --period $P --db k.db --out "$PWD/ro"
expect_grep 'Read-only file system' err.txt

# -- the database locked by another process: a sqlite3 shell holds a
#    write transaction, fed through a FIFO so that the test decides when
#    it ends.  A run whose wait is over (KEQING_BUSY_MS=1) stops with 75
#    and a clear message, changing nothing; a run that meets the lock
#    (the shim tells the test, KQ_INJECT_BUSY_*) and is then released
#    completes.  Every step waits for an event, none for time.
rows() { sqlite3 "$1" "SELECT id, name FROM person ORDER BY id; SELECT id FROM customer ORDER BY id; SELECT count(*) FROM visit"; }
cp k.db l.db
cp k.db l2.db
expect_exit 0 "$KEQING" import "$D/good/full.xml" --db l2.db
lockstate=$(db_state l.db)
mkdir -p h
mkfifo h/lock.in h/lock.ready h/busy
# when sqlite3 ends, open lock.ready read-write (never blocks): a holder
# that died before taking the lock releases the read below
( sqlite3 l.db < h/lock.in > lock.out 2>&1; : <> h/lock.ready ) &
holder=$!
exec 8> h/lock.in
echo "BEGIN IMMEDIATE; UPDATE region SET name = name;" >&8
echo ".system echo locked > h/lock.ready" >&8
read -r said < h/lock.ready || said=
[ "$said" = locked ] || fail "the lock holder did not take the lock: $(cat lock.out)"
! sqlite3 l.db 'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null || fail "l.db is not locked"
KEQING_BUSY_MS=1 expect_exit 75 "$KEQING" import "$D/good/full.xml" --db l.db
expect_grep 'l.db: .*database is locked by another process' err.txt
KEQING_BUSY_MS=1 expect_exit 75 "$KEQING" score --period $P --db l.db --out lo
expect_grep 'database is locked' err.txt
[ -z "$(find lo -name '*.csv' 2>/dev/null)" ] || fail "score wrote CSVs without its lock"
[ "$(db_state l.db)" = "$lockstate" ] || fail "locked database changed"
# a waiter that meets the lock, then the holder rolls back: the waiter
# imports as if the lock had never been (its KEQING_BUSY_MS of 2 minutes
# only bounds a broken run; a working one is released at once)
( KEQING_BUSY_MS=120000 inj KQ_INJECT_BUSY_PATH=l.db KQ_INJECT_BUSY_NOTIFY=h/busy \
      "$KEQING" import "$D/good/full.xml" --db l.db > w.out 2> w.err; st=$?
  : <> h/busy; exit $st ) 8>&- &
waiter=$!
read -r said < h/busy || said=
[ "$said" = busy ] || { cat w.err >&2; fail "the waiter never met the lock"; }
echo 'ROLLBACK;' >&8
exec 8>&-
wait $holder || fail "the lock holder failed: $(cat lock.out)"
set +e; wait $waiter; st=$?; set -e
[ "$st" -eq 0 ] || { cat w.err >&2; fail "the released waiter: exit $st"; }
[ "$(sqlite3 l.db 'PRAGMA integrity_check')" = ok ] || fail "waiter: integrity"
[ "$(rows l.db)" = "$(rows l2.db)" ] || fail "the released waiter stored other data than a plain import"

# -- a missing or corrupt font: 66 / 65 before any PDF is written
expect_exit 66 "$KEQING" render --period $P --db k.db --out nf --font /nonexistent.ttf --jobs 1
expect_grep '/nonexistent.ttf' err.txt
[ -z "$(find nf -name '*.pdf' 2>/dev/null)" ] || fail "PDF written without a font"
font=$(fc-match -f '%{file}' 'WenQuanYi Micro Hei')
head -c 4096 "$font" > broken.ttf
# (a truncated face used to be destroyed twice -- an abort about every
# other run -- so try a few times)
for _ in 1 2 3; do
    expect_exit 65 "$KEQING" render --period $P --db k.db --out bf --font broken.ttf --jobs 1
    expect_grep 'font broken.ttf:0: not a font file' err.txt
done
[ -z "$(find bf -name '*.pdf' 2>/dev/null)" ] || fail "PDF written with a broken font"
printf 'not a font at all' > junk.ttf
expect_exit 65 "$KEQING" render --period $P --db k.db --out jf --font junk.ttf --jobs 1
[ -z "$(find jf -name '*.pdf' 2>/dev/null)" ] || fail "PDF written with a junk font"

# -- two imports at once on one database (new, then filled): both succeed
#    (one waits for the other) or one refuses with 75; never corrupted;
#    the content equals the sequential result
expect_exit 0 "$KEQING" import s20.xml --db seq.db
expect_exit 0 "$KEQING" import s20.xml --db seq.db
for _ in 1 2 3; do
    rm -f two.db two.db-journal
    set +e
    "$KEQING" import s20.xml --db two.db >o1.txt 2>e1.txt & p1=$!
    "$KEQING" import s20.xml --db two.db >o2.txt 2>e2.txt & p2=$!
    wait $p1; r1=$?
    wait $p2; r2=$?
    set -e
    for r in $r1 $r2; do [ "$r" -eq 0 ] || [ "$r" -eq 75 ] || { cat e1.txt e2.txt >&2; fail "concurrent import exit $r"; }; done
    [ "$r1" -eq 0 ] || [ "$r2" -eq 0 ] || fail "neither concurrent import succeeded"
    [ "$r1" -eq 0 ] || expect_grep 'database' e1.txt
    [ "$(sqlite3 two.db 'PRAGMA integrity_check')" = ok ] || fail "concurrent imports: integrity"
    [ "$(rows two.db)" = "$(rows seq.db)" ] || fail "concurrent imports differ from the sequential result"
    [ "$r1$r2" != 00 ] || [ "$(sqlite3 two.db 'SELECT count(*) FROM import')" = 2 ] || fail "an import row is missing"
done
# a refused first run next to a good one: the good one's data survives
# (or it refuses with 75 and stores nothing); the bad one never deletes it
for _ in 1 2 3; do
    rm -f three.db three.db-journal
    set +e
    "$KEQING" import "$D/bad/semantic.xml" --db three.db >/dev/null 2>&1 & p1=$!
    "$KEQING" import s20.xml --db three.db >o2.txt 2>e2.txt & p2=$!
    wait $p1; r1=$?
    wait $p2; r2=$?
    set -e
    [ "$r1" -eq 65 ] || fail "bad import: exit $r1"
    if [ "$r2" -eq 0 ]; then
        [ -e three.db ] || fail "the refused run deleted the other run's database"
        [ "$(rows three.db)" = "$(rows seq.db)" ] || fail "good import lost data"
    else
        [ "$r2" -eq 75 ] || { cat e2.txt >&2; fail "good import: exit $r2"; }
        expect_grep 'try again' e2.txt
    fi
done

# -- real full and read-only file systems (root only; CI runs as root and
#    sets KQ_NO_SKIP=1, so there this part cannot be skipped)
if [ "$(id -u)" != 0 ]; then
    skip "real ENOSPC/EROFS on tmpfs mounts need root (the injected cases ran)"
elif ! { mkdir mnt && mount -t tmpfs -o size=512k tmpfs mnt 2> mount.err; }; then
    skip "cannot mount a tmpfs here: $(cat mount.err) (the injected cases ran)"
else
    trap 'umount "$PWD/mnt" 2>/dev/null || true' EXIT
    # the database fills the disk: 74, the old content stays
    expect_exit 0 "$KEQING" import "$D/good/full.xml" --db mnt/k.db
    st=$(db_state mnt/k.db)
    expect_exit 74 "$KEQING" import s20.xml --db mnt/k.db
    expect_grep 'database or disk is full' err.txt
    [ "$(db_state mnt/k.db)" = "$st" ] || fail "tmpfs: database changed or damaged"
    [ ! -e mnt/k.db-journal ] || fail "tmpfs: journal left"
    mount -o remount,size=16m mnt
    expect_exit 0 "$KEQING" import s20.xml --db mnt/k.db
    rm -f mnt/k.db
    # PDFs fill the disk: 74, every PDF there is whole, no temp file
    mount -o remount,size=64k mnt
    expect_exit 74 "$KEQING" render --period $P --db k.db --out mnt/o --jobs 1 --only persons
    expect_grep 'No space left on device' err.txt
    pdfs_whole mnt/o
    no_tmp mnt
    # a read-only file system: 73, nothing written; a database on it is
    # refused as read-only (not "disk full"), unchanged
    rm -rf mnt/o
    mount -o remount,size=16m mnt
    cp k.db mnt/ro.db
    rost=$(db_state mnt/ro.db)
    mount -o remount,ro mnt
    for cmd in "import $D/good/full.xml" "score --period $P --out $PWD/rout" "render --period $P --out $PWD/rout"; do
        # shellcheck disable=SC2086 # $cmd is a command and its arguments
        expect_exit 73 "$KEQING" $cmd --db mnt/ro.db
        expect_grep 'mnt/ro.db: the database is read-only' err.txt
    done
    first=$(find "numbered/$P/persons" -name '*.pdf' | sort | head -1)
    expect_exit 0 "$KEQING" verify --db mnt/ro.db "$first"
    [ "$(db_state mnt/ro.db)" = "$rost" ] || fail "a database on a read-only file system changed"
    expect_exit 73 "$KEQING" render --period $P --db k.db --out mnt/o --jobs 1 --only persons
    expect_grep 'Read-only file system' err.txt
    expect_exit 73 "$KEQING" import "$D/good/full.xml" --db mnt/new.db
    umount mnt
    trap - EXIT
fi
[ "$(db_state k.db)" = "$before" ] || fail "k.db changed"
