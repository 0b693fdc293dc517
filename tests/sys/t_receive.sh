# t_receive -- keqing receive, returns and verify on the scans of
# tests/scan/make_scans.py (issue 14): every page whose code the generator
# calls readable (200 dpi and above) is matched to its document and page,
# no page is ever matched to another document, each signature field's
# state is the generator's, foreign and code-less pages are unmatched,
# the superseded issue is outdated; the same scans again change nothing;
# a second scan of a document is a new version; bad input registers
# nothing; returns, verify and the next month's region summary say who
# has not signed.
P=2026-10
scan_company
expect_exit 0 "$PY" "$GEN" --db d.db --out o --period "$P" --seed 7 --dest s1 \
    --foreign-db f.db --foreign-out fo --superseded "$OLD=old5.pdf"

# ---- bad input first: refused, nothing registered, nothing written ------------
printf 'not a scan at all\n' > junk.pdf
head -c 3000 s1/a-batch.pdf > cut.pdf
for bad in junk.pdf cut.pdf; do
    expect_exit 65 "$KEQING" receive s1/c-colour.png "$bad" --db d.db --out o --received 2026-11-05
    expect_grep "$bad" err.txt
done
[ "$(sqlite3 d.db 'SELECT count(*) FROM scan')" = 0 ] || fail "a refused receive registered scans"
if [ -e o/received ] || [ -e o/$P/signed ]; then fail "a refused receive wrote files"; fi
expect_exit 66 "$KEQING" receive missing.png --db d.db --out o

# ---- the scans ----------------------------------------------------------------
set -- s1/*.pdf s1/*.png s1/*.jpg s1/*.tiff
expect_exit 3 "$KEQING" receive "$@" --db d.db --out o --received 2026-11-05
cp out.txt report1.txt
expect_grep '^s1/[a-z0-9-]*\.[a-z]*:[0-9]*: outdated '"$OLD"' (person E00005) page 1/1, superseded by KQ-' report1.txt
expect_grep ': unmatched: foreign: a document of another registry -> '"$P"'/signed/unmatched/' report1.txt
expect_grep ': unmatched: no code: no QR code -> ' report1.txt
"$PY" - s1/expect.json d.db <<'EOF' || fail "receive disagrees with the generator (above)"
import json, sqlite3, sys
exp = json.load(open(sys.argv[1]))
db = sqlite3.connect(sys.argv[2])
bad = 0
def err(msg):
    global bad
    bad += 1
    print(msg)
n_yes = n_matched = 0
for name, f in sorted(exp["files"].items()):
    sha = db.execute("SELECT sha256 FROM scan WHERE name = ?", ("s1/" + name,)).fetchone()
    if not sha:
        err(f"{name}: not registered"); continue
    for p in f["pages"]:
        row = db.execute("SELECT state, number, doc_page, signed, blank FROM scan_page "
                         "WHERE scan = ? AND page = ?", (sha[0], p["page"])).fetchone()
        if not row:
            err(f"{name}:{p['page']}: no scan_page"); continue
        state, number, doc_page, signed, blank = row
        want = p.get("number")
        where = f"{name}:{p['page']} ({p.get('variant')})"
        if number and number != want:
            err(f"{where}: matched to {number}, belongs to {want}")   # never
            continue
        readable = p.get("code_readable")
        if want is None:
            if number:
                err(f"{where}: a page without a code of ours matched {number}")
            continue
        if readable == "yes":
            n_yes += 1
            if not number:
                err(f"{where}: readable code of {want} not matched ({state})"); continue
        if not number:
            continue            # a 'maybe' or 'no' page not read: allowed
        n_matched += 1
        if doc_page != p["doc_page"]:
            err(f"{where}: page {doc_page}, want {p['doc_page']}")
        want_state = "outdated" if p.get("status") == "superseded" else "current"
        if state != want_state:
            err(f"{where}: {state}, want {want_state}")
        got = {x: True for x in signed.split(",") if x}
        got.update({x: False for x in blank.split(",") if x})
        for fld, ink in p.get("signed", {}).items():
            if got.get(fld) is None:
                err(f"{where}: field {fld} not measured")
            elif got[fld] != ink:
                err(f"{where}: field {fld} signed={got[fld]}, want {ink}")
if n_yes < 10 or n_matched < n_yes:
    err(f"only {n_yes} readable pages, {n_matched} matched")
sys.exit(1 if bad else 0)
EOF
# each matched document's signed copy is a valid PDF with its pages
for f in "o/$P/signed/"*.pdf; do
    qpdf --check "$f" >/dev/null 2>&1 || fail "$f: qpdf --check"
done
[ -n "$(ls o/$P/signed/unmatched/)" ] || fail "no unmatched pages kept"
[ "$(find o/received -type f | wc -l)" = "$#" ] || fail "not every scan file kept"

# ---- the same scans again: nothing changes --------------------------------------
sqlite3 d.db .dump > dump1.sql
find o/$P/signed o/received -type f -exec sha256sum {} + | sort > files1.txt
expect_exit 0 "$KEQING" receive "$@" --db d.db --out o --received 2026-11-20
expect_grep 'received before (2026-11-05): nothing changed' out.txt
sqlite3 d.db .dump > dump2.sql
find o/$P/signed o/received -type f -exec sha256sum {} + | sort > files2.txt
cmp dump1.sql dump2.sql || fail "receiving the same scans again changed the database"
cmp files1.txt files2.txt || fail "receiving the same scans again changed the archive"

# ---- a second, different scan of a document: a new version, the first kept ------
first=$(sed -n 's/^\(s1\/c-colour.png\):1: current \(KQ-[0-9-]*\) .*/\2/p' report1.txt)
[ -n "$first" ] || fail "c-colour.png:1 was not matched"
"$PY" -c 'import sys; from PIL import Image; Image.open(sys.argv[1]).convert("L").save(sys.argv[2])' \
    s1/c-colour.png again.png
v1=$(sha256sum < "o/$P/signed/$first.pdf")
expect_exit 0 "$KEQING" receive again.png --db d.db --out o --received 2026-11-21
expect_grep "^again.png:1: current $first .* -> $P/signed/$first-[0-9]*.pdf\$" out.txt
[ "$(sha256sum < "o/$P/signed/$first.pdf")" = "$v1" ] || fail "the first signed copy was overwritten"

# ---- the blank original: an issued sheet rasterised as is has no ink in any field
pdftoppm -r 200 -gray -png -singlefile "o/$P/persons/E00003.pdf" blank
cp blank.png blank-again.png
expect_exit 0 "$KEQING" receive blank.png blank-again.png --db d.db --out o --received 2026-11-22
expect_grep '^blank.png:1: current KQ-[0-9-]* (person E00003) page 1/1: not signed 被考核人 考核人 人力资源部 -> ' out.txt
# the same bytes twice in one call: received once
expect_grep '^blank-again.png: the same file as one given before it: received once$' out.txt
[ "$(sqlite3 d.db "SELECT count(*) FROM scan WHERE name LIKE 'blank%'")" = 1 ] || fail "the same file registered twice"

# ---- returns, verify -------------------------------------------------------------
expect_exit 0 "$KEQING" returns --period $P --db d.db --csv
head -1 out.txt | grep -qx 'document,kind,subject,region,state,fields_signed,scan,received' ||
    fail "returns CSV header: $(head -1 out.txt)"
[ "$(sqlite3 d.db "SELECT count(*) FROM scan_page WHERE number = '$OLD' AND state = 'outdated'")" -ge 1 ] ||
    fail "the superseded issue's page is not registered as outdated"
expect_grep ',not returned,,,$' out.txt
expect_grep ',signed,assessee;assessor;hr,' out.txt
expect_exit 0 "$KEQING" returns --period $P --db d.db
expect_grep '^all: .*not returned' out.txt
expect_grep '^region [A-Z0-9-]*: ' out.txt
expect_exit 0 "$KEQING" verify --db d.db "o/$P/persons/E00005.pdf" "o/$P/persons/E00001.pdf" "o/$P/signed/$first.pdf"
expect_grep 'E00005.pdf: issued .*; signed copy: signed, received 2026-11-05 (s1/' out.txt
expect_grep 'E00001.pdf: issued .*; no signed copy received$' out.txt
expect_grep "signed/$first.pdf: signed copy 1 of $first, received 2026-11-05; signed copy: " out.txt

# ---- next month's region summaries list who has not returned ----------------------
"$KEQING" sample --staff 12 --period 2026-11 --seed 3 -o nov.xml >/dev/null 2>&1
expect_exit 0 "$KEQING" run nov.xml --period 2026-11 --db d.db --out o --quiet
root=$(sqlite3 d.db "SELECT id FROM region WHERE parent IS NULL")
pdftotext -layout "o/2026-11/regions/$root.pdf" nov.txt
expect_grep '上月（2026年10月）签字考核表未交回或未签全 [0-9]* 份' nov.txt
n=$(sqlite3 d.db "SELECT count(*) FROM document WHERE period = '$P' AND kind = 'person' AND status <> 'superseded'")
signed=$("$KEQING" returns --period $P --db d.db --csv | grep -c ',person,.*,signed,')
grep -q "未交回或未签全 $((n - signed)) 份" nov.txt || fail "the summary lists $(grep -o '未签全 [0-9]* 份' nov.txt), want $((n - signed)) of $n"
