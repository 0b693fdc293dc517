# t_run -- `keqing run` end to end (issue 6, doc/archive.md): the batch on a
# small sample (person sheets, region summaries, packets); --jobs 1 and
# --jobs 2 give the same files; a run killed (SIGKILL) again and again, at
# chosen points of the import, the scoring and the rendering (the
# deterministic hooks of generator/hook.h), never leaves a partial file
# under a final name, and the final re-run ends with the same files and
# manifest as an uninterrupted run, without temporary files; a re-run of
# a finished period redoes nothing; verify tells issued, modified,
# superseded and unknown apart with exit codes 0, 2, 1, 3; each sheet
# carries its scores.csv rows.
# shellcheck disable=SC2154 # $pid is set by lib.sh's hook_start
T="$SRC/templates"
P=2026-10
# 60 people: eleven regions at three levels and their packets; the kill
# points are hooks, so the size only has to give each stage work
# (KQ_T_RUN_STAFF: more)
N=${KQ_T_RUN_STAFF:-60}

"$KEQING" sample --staff "$N" --period $P --seed 5 -o s.xml >/dev/null 2>&1

# ---- an uninterrupted run: the reference ------------------------------------
expect_exit 0 "$KEQING" run s.xml --period $P --db ref.db --out ref --templates "$T" --jobs 2
# a sheet per person, a summary and a packet per region
[ "$(nfiles "ref/$P/persons")" = "$N" ] || fail "not $N person sheets"
R=$(nfiles "ref/$P/regions")
[ "$R" -ge 2 ] || fail "only $R region summaries"
[ "$(nfiles "ref/$P/packets")" = "$R" ] || fail "not $R packets"
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
# the documents, the two CSVs and the workbook, and the header
[ "$(wc -l < $M)" = $((D + 4)) ] || fail "manifest rows: $(wc -l < $M)"
tail -n +2 $M | cut -d, -f1 > paths.txt
LC_ALL=C sort -c paths.txt || fail "manifest not sorted by path"
grep -q '^scores.csv,.*,scores,$' $M || fail "scores.csv not in the manifest"
grep -q "^keqing-$P.xlsx,.*,workbook,\$" $M || fail "the workbook is not in the manifest"
# every row's hash and size are the file's
tail -n +2 $M | while IFS=, read -r path sha bytes _; do
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

# ---- killed at each stage, then completed ------------------------------------
# A run is stopped at a chosen point of a chosen stage (KEQING_TEST_HOOK,
# lib.sh hook_start: no sleep, no polling), killed there with SIGKILL, and
# what it left is checked: every PDF under a final name is a whole PDF, a
# CSV under its final name is the reference's, and what the stage had not
# reached is not there.  Each run picks up what the one before left; the
# last one completes the period, byte-identical to an uninterrupted run.
pdfs() { find k -name '*.pdf' ! -name '.*' 2>/dev/null | wc -l; }
check_whole() {
    find k -name '*.pdf' ! -name '.*' > whole.txt 2>/dev/null || true
    while read -r f; do
        qpdf --check "$f" > /dev/null 2>&1 || fail "partial PDF under a final name: $f (killed at $1)"
    done < whole.txt
    for c in scores.csv totals.csv; do
        [ ! -e "k/$P/$c" ] || cmp -s "k/$P/$c" "ref/$P/$c" || fail "partial $c (killed at $1)"
    done
    [ ! -e "k/$P/manifest.csv" ] || fail "a manifest after a kill at $1"
}
# killed_at POINT: a run paused at POINT, then SIGKILL
killed_at() {
    hook_start "$1" "$KEQING" run s.xml --period $P --db k.db --out k --templates "$T" --jobs 2
    kill -9 "$pid"
    hook_finish 137
    check_whole "$1"
}
no_csv() { [ -z "$(find k -name '*.csv' 2>/dev/null)" ] || fail "CSVs written before the kill at $1"; }
stored() { sqlite3 k.db "SELECT count(*) FROM $1" 2>/dev/null || echo 0; }
# during the import, at its first record and in the middle: one
# transaction, so nothing is stored, and nothing is written
for point in import-record@1 import-record@400; do
    killed_at $point
    expect_no_grep '^import:' bg.err
    [ "$(stored person)" = 0 ] || fail "records stored by an import killed at $point"
    no_csv $point
    [ "$(pdfs)" = 0 ] || fail "PDFs after a kill at $point"
done
# during scoring, before its results are stored: the import is kept (it
# is skipped from now on), no result, no CSV
killed_at score-stored
expect_grep '^import:' bg.err
expect_no_grep '^score:' bg.err
[ "$(stored person)" = "$N" ] || fail "the import before the kill at score-stored is not whole"
[ "$(stored score_total)" = 0 ] || fail "results stored by a run killed before storing them"
no_csv score-stored
# during rendering: after the plan (numbers allocated, nothing drawn), then
# after 5 and after N/2 documents registered (the workers may have written
# more; each one is whole)
killed_at render-planned
expect_grep '^score: ' bg.err
[ -e "k/$P/scores.csv" ] || fail "no scores.csv before the render"
[ "$(pdfs)" = 0 ] || fail "PDFs drawn before the plan was done"
killed_at render-doc@5
[ "$(pdfs)" -ge 5 ] || fail "only $(pdfs) PDFs after 5 documents were registered"
killed_at render-doc@$((N / 2))
[ "$(pdfs)" -ge $((N / 2)) ] || fail "only $(pdfs) PDFs after $((N / 2)) more documents were registered"
# (the workers may have drawn every document meanwhile: the run itself is
# unfinished -- no render line, no manifest)
expect_no_grep '^render:' bg.err
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
# two codes on this one-page sheet: the sign-off's, and the page code at
# the top right with the page and its mark (issue 14)
[ "$(sort qr.txt | tr '\n' '|')" = "$no $h $reg|$no $h $reg 1/1 A|" ] ||
    fail "QR codes: '$(cat qr.txt)', want '$no $h $reg' and '$no $h $reg 1/1 A'"
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
printf '%b' "\\0$(printf '%03o' $(( (old + 1) % 256 )))" | dd of=mod.pdf bs=1 seek=$off conv=notrunc 2>/dev/null
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
