# t_run -- `keqing run` end to end (issue 6, doc/archive.md): the batch on a
# small sample (person sheets, region summaries, packets); --jobs 1 and --jobs 2 give the same files; a run killed
# (SIGKILL) again and again at increasing delays - during import, scoring
# and rendering - never leaves a partial file under a final name, and the
# final re-run ends with the same files and manifest as an uninterrupted
# run, without temporary files; a re-run of a finished period redoes
# nothing; verify tells issued, modified, superseded and unknown apart
# with exit codes 0, 2, 1, 3; each sheet carries its scores.csv rows.
T="$SRC/templates"
P=2026-10
N=${KQ_T_RUN_STAFF:-150}

"$KEQING" sample --staff "$N" --period $P --seed 5 -o s.xml >/dev/null 2>&1

# ---- an uninterrupted run: the reference ------------------------------------
expect_exit 0 "$KEQING" run s.xml --period $P --db ref.db --out ref --templates "$T" --jobs 2
# a sheet per person, a summary and a packet per region
[ "$(ls ref/$P/persons | wc -l)" = "$N" ] || fail "not $N person sheets"
R=$(ls ref/$P/regions | wc -l)
[ "$R" -ge 2 ] || fail "only $R region summaries"
[ "$(ls ref/$P/packets | wc -l)" = "$R" ] || fail "not $R packets"
D=$((N + 2 * R))
expect_grep "^run $P: .* records imported" out.txt
expect_grep "^run $P: $N people scored" out.txt
expect_grep "^run $P: $D files written, 0 up to date, 0 failed" out.txt
expect_grep "^run $P: $D new document numbers, 0 superseded; manifest ref/$P/manifest.csv" out.txt
# not a terminal: one plain line per stage on stderr, no bar
expect_grep '^import: ' err.txt
expect_grep '^score: ' err.txt
expect_grep '^render: ' err.txt
expect_no_grep "$(printf '\r')" err.txt
M=ref/$P/manifest.csv
[ "$(head -1 $M)" = "path,sha256,bytes,kind,subject_id" ] || fail "manifest header: $(head -1 $M)"
[ "$(wc -l < $M)" = $((D + 3)) ] || fail "manifest rows: $(wc -l < $M)"
tail -n +2 $M | cut -d, -f1 > paths.txt
LC_ALL=C sort -c paths.txt || fail "manifest not sorted by path"
grep -q '^scores.csv,.*,scores,$' $M || fail "scores.csv not in the manifest"
# every row's hash and size are the file's
tail -n +2 $M | while IFS=, read -r path sha bytes kind subj; do
    [ "$(sha256sum "ref/$P/$path" | cut -d' ' -f1)" = "$sha" ] || fail "$path: sha256"
    [ "$(wc -c < "ref/$P/$path")" -eq "$bytes" ] || fail "$path: bytes"
done
# --quiet: nothing on stderr
expect_exit 0 "$KEQING" run s.xml --period $P --db ref.db --out ref --templates "$T" --quiet
[ ! -s err.txt ] || fail "--quiet wrote: $(head -3 err.txt)"
# ... and a finished period is not redone
expect_grep "^run $P: import skipped" out.txt
expect_grep "^run $P: 0 files written, $D up to date, 0 failed" out.txt
expect_grep "^run $P: 0 new document numbers" out.txt

# ---- --jobs 1 gives the same bytes ------------------------------------------
expect_exit 0 "$KEQING" run s.xml --period $P --db j1.db --out j1 --templates "$T" --jobs 1 --quiet
diff -r ref j1 > /dev/null || fail "--jobs 1 differs from --jobs 2"

# ---- killed again and again, then completed ----------------------------------
# After each kill: every PDF under a final name is a whole PDF, the CSVs
# under their final names are the reference's (a CSV is either complete
# or absent).
check_whole() {
    for f in $(find k -name '*.pdf' ! -name '.*' 2>/dev/null); do
        qpdf --check "$f" > /dev/null 2>&1 || fail "partial PDF under a final name: $f (kill after $1 s)"
    done
    for c in scores.csv totals.csv; do
        [ ! -e "k/$P/$c" ] || cmp -s "k/$P/$c" "ref/$P/$c" || fail "partial $c (kill after $1 s)"
    done
}
# run_killed COND: start the run, SIGKILL it as soon as the shell test
# COND holds (polled every 10 ms; at most 20 s), then check the files.
run_killed() {
    "$KEQING" run s.xml --period $P --db k.db --out k --templates "$T" --jobs 2 > /dev/null 2> kill.err &
    pid=$!
    i=0
    until eval "$1" || [ $i -ge 2000 ] || ! kill -0 $pid 2>/dev/null; do
        sleep 0.01
        i=$((i + 1))
    done
    kill -9 $pid 2>/dev/null || true
    wait $pid 2>/dev/null || true
    echo "killed when $1: stages done: $(grep -o '^[a-z]*:' kill.err | tr '\n' ' ')$(pdfs) PDFs"
    check_whole "$1"
}
pdfs() { find k -name '*.pdf' ! -name '.*' 2>/dev/null | wc -l; }
# during import (the whole import is one transaction: each kill undoes it)
hit=0
for d in 0.05 0.15 0.25; do
    run_killed "sleep $d"
    grep -q '^import:' kill.err || hit=$((hit + 1))
done
[ $hit -ge 1 ] || fail "no kill landed during the import"
# during scoring: right after the import line (the import completes once,
# then is skipped: scoring starts at once); tried until a kill lands in it
hit=0
for try in 1 2 3 4 5 6 7 8; do
    run_killed "grep -q '^import:' kill.err"
    if grep -q '^import:' kill.err && ! grep -q '^score:' kill.err; then
        hit=$((hit + 1))
        [ $hit -lt 2 ] || break
    fi
done
[ $hit -ge 1 ] || fail "no kill landed during scoring"
# during rendering: after some sheets, twice
run_killed "[ \$(pdfs) -ge $((N / 4)) ]"
grep -q '^render:' kill.err && fail "the render finished before the kill"
run_killed "[ \$(pdfs) -ge $((N / 2)) ]"
expect_exit 0 "$KEQING" run s.xml --period $P --db k.db --out k --templates "$T" --jobs 2
cmp k/$P/manifest.csv $M || fail "the resumed run's manifest differs"
diff -r ref k > /dev/null || fail "the resumed run's files differ"
[ -z "$(find k -name '.*.tmp.*')" ] || fail "temporary files left: $(find k -name '.*.tmp.*')"

# ---- the attachment: the person's rows of scores.csv --------------------------
id=$(sed -n 2p ref/$P/totals.csv | cut -d, -f2)
F=ref/$P/persons/$id.pdf
pdfdetach -list "$F" > att.txt
expect_grep "^1: scores-$id.csv" att.txt
pdfdetach -save 1 -o att.csv "$F"
{ head -1 ref/$P/scores.csv; grep "^$P,$id," ref/$P/scores.csv; } > want.csv
cmp att.csv want.csv || fail "attached CSV differs from the scores.csv rows"
pdfinfo "$F" | grep -q '^Subject: *KQ-202610-0000' || fail "no document number in Info"
no=$(pdfinfo "$F" | sed -n 's/^Subject: *//p')
pdftotext -layout "$F" f.txt
expect_grep "$no" f.txt
# the QR code: the number, the data hash's first 8 hex digits and the
# registry's identity, in upper case (archive_docref.h)
pdftoppm -r 200 -png -singlefile "$F" page
zbarimg -q --raw page.png > qr.txt 2>/dev/null || fail "zbarimg found no QR code"
h=$(sqlite3 ref.db "SELECT upper(substr(data_hash, 1, 8)) FROM document WHERE number = '$no'")
reg=$(sqlite3 ref.db "SELECT id FROM registry")
[ "${#reg}" = 12 ] || fail "registry id '$reg'"
[ "$(cat qr.txt)" = "$no $h $reg" ] || fail "QR code: '$(cat qr.txt)', want '$no $h $reg'"
pdfinfo "$F" | grep -q "^Keywords: *keqing registry $reg\$" || fail "no registry in Info"
# the person's pages inside the region's packet carry the same number
reg=$(sed -n 2p ref/$P/totals.csv | cut -d, -f5)
pdftotext -layout "ref/$P/packets/$reg.pdf" pk.txt
expect_grep "$no" pk.txt
# region summaries and packets name their own numbers in Info
for k in regions packets; do
    pdfinfo "ref/$P/$k/$reg.pdf" | grep -q '^Subject: *KQ-202610-' ||
        fail "$k/$reg.pdf: no document number in Info"
done

# ---- verify --------------------------------------------------------------------
expect_exit 0 "$KEQING" verify --db ref.db "$F" ref/$P/*/*.pdf
expect_grep "^$F: issued KQ-202610-" out.txt
expect_grep "^ref/$P/packets/.*: issued KQ-202610-[0-9]* (packet " out.txt
expect_grep "^ref/$P/regions/.*: issued KQ-202610-[0-9]* (region " out.txt
[ "$(grep -c ': issued ' out.txt)" = $((D + 1)) ] || fail "not all issued"
# modified: one byte changed (to a different value)
cp "$F" mod.pdf
off=$(( $(wc -c < mod.pdf) / 2 ))
old=$(od -An -tu1 -j $off -N1 mod.pdf | tr -d ' ')
printf "\\$(printf '%03o' $(( (old + 1) % 256 )))" | dd of=mod.pdf bs=1 seek=$off conv=notrunc 2>/dev/null
cmp -s "$F" mod.pdf && fail "the byte did not change"
expect_exit 2 "$KEQING" verify --db ref.db mod.pdf
expect_grep '^mod.pdf: modified: claims KQ-202610-' out.txt
# unknown: a PDF that keqing did not write
printf '%%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%%%EOF\n' > other.pdf
expect_exit 3 "$KEQING" verify --db ref.db other.pdf "$F"
expect_grep '^other.pdf: unknown' out.txt
# superseded: correct one record, run again: the changed sheets get new
# numbers, the old files verify as superseded, the new ones as issued
cp "$F" old.pdf
oldno=$(pdfinfo old.pdf | sed -n 's/^Subject: *//p')
name=$(sed -n 2p ref/$P/totals.csv | cut -d, -f3)
sed "s/name=\"$name\"/name=\"${name}改\"/" s.xml > s2.xml
cmp -s s.xml s2.xml && fail "the correction did not change the export"
expect_exit 0 "$KEQING" run s2.xml --period $P --db ref.db --out ref --templates "$T" --quiet
expect_grep "^run $P: [1-9][0-9]* new document numbers, [1-9][0-9]* superseded" out.txt
expect_exit 1 "$KEQING" verify --db ref.db old.pdf
expect_grep "^old.pdf: superseded $oldno by KQ-202610-" out.txt
expect_exit 0 "$KEQING" verify --db ref.db "$F"
expect_no_grep "$oldno" out.txt
# the worst wins: unknown (3) over modified (2) over superseded (1)
expect_exit 3 "$KEQING" verify --db ref.db old.pdf mod.pdf other.pdf "$F"
expect_exit 2 "$KEQING" verify --db ref.db old.pdf mod.pdf "$F"
# errors: no file, missing file (66, the others still checked), usage
expect_exit 64 "$KEQING" verify --db ref.db
expect_exit 66 "$KEQING" verify --db ref.db nosuch.pdf "$F"
expect_grep "^$F: issued" out.txt
expect_exit 66 "$KEQING" verify --db nosuch.db "$F"
expect_exit 64 "$KEQING" run s.xml --db x.db
expect_exit 64 "$KEQING" run --period $P --db x.db
expect_exit 66 "$KEQING" run nosuch.xml --period $P --db x.db --out x
