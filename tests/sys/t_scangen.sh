# t_scangen -- the test scan generator tests/scan/make_scans.py (issue 14),
# which the tests of `keqing receive` stand on: the same inputs and seed
# give byte-identical scans and expect.json (also with another number of
# threads); its small plan holds every variant the issue asks for; every
# page expect.json calls readable carries exactly the QR text of the
# document it names (zbarimg), a "maybe" (150 dpi) that or nothing, the
# ones called unreadable or code-less nothing; each signature lies inside its box, and a field is inked exactly
# when expect.json says it is signed.
P=2026-10
scan_company

gen() { # DEST [ARG...]
    _d=$1; shift
    expect_exit 0 "$PY" "$GEN" --db d.db --out o --period $P --seed 7 --dest "$_d" \
        --foreign-db f.db --foreign-out fo --superseded "$OLD=old5.pdf" "$@"
}
gen s1
expect_grep '^make_scans: 6 files, 1[0-9] pages -> s1$' out.txt
gen s2 --jobs 1
(cd s1 && sha256sum -- *) > a.sum
(cd s2 && sha256sum -- *) > b.sum
cmp a.sum b.sum || fail "two runs differ: $(diff a.sum b.sum | head -5)"
# no clock in any file: our PDFs have no Info dictionary at all
for f in s1/*.pdf; do
    qpdf --check "$f" > /dev/null 2>&1 || fail "qpdf --check $f"
    ! grep -aq -e CreationDate -e /Info "$f" || fail "$f carries a date"
done

# expect.json, flattened: one line per page (file, page, what it is,
# number, expected code, readable, rotation, skew, dpi, colour, low,
# jpeg), with each code's text from the registries; the plan must cover
# every variant; and the page images for zbarimg (PDF: its images, TIFF:
# its frames)
mkdir img
"$PY" - s1 d.db f.db > pages.txt <<'EOF' || fail "expect.json check"
import json, os, sqlite3, subprocess, sys
from PIL import Image
dest, db, fdb = sys.argv[1:4]
e = json.load(open(os.path.join(dest, "expect.json")))
def qr(dbf, number):
    c = sqlite3.connect(dbf)
    reg = c.execute("SELECT id FROM registry").fetchone()[0]
    h = c.execute("SELECT data_hash FROM document WHERE number = ?", (number,)).fetchone()[0]
    return "%s %s %s" % (number, h[:8].upper(), reg)
seen = set()
for name, f in sorted(e["files"].items()):
    path = os.path.join(dest, name)
    pages = f["pages"]
    assert [p["page"] for p in pages] == list(range(1, len(pages) + 1)), name
    if f["format"] == "pdf":
        subprocess.run(["pdfimages", "-all", path, "img/%s" % name], check=True)
        imgs = sorted(x for x in os.listdir("img") if x.startswith(name + "-"))
    else:
        im = Image.open(path)
        n = getattr(im, "n_frames", 1)
        imgs = []
        for i in range(n):
            im.seek(i)
            x = "%s-%03d.png" % (name, i)
            im.save("img/" + x)
            imgs.append(x)
    assert len(imgs) == len(pages), (name, len(imgs), len(pages))
    for p, x in zip(pages, imgs):
        v = p["variant"]
        im = Image.open("img/" + x).convert("L")
        assert tuple(p["size_px"]) == im.size, (name, p["page"])
        # receive must match a page of ours to its number, nothing else
        if p["source"] in ("issued", "superseded") and p["codes"]:
            assert p["number"] == p["belongs_to"], (name, p["page"])
        else:
            assert p["number"] is None, (name, p["page"])
        if p["code_readable"] is None:
            want = "-"
        elif p["source"] == "foreign":
            want = qr(fdb, p["belongs_to"])
        else:
            want = qr(db, p["number"])
        # a signature inside its box, its ink 12-45 % of the box's width;
        # on a straight page, ink in the box exactly when signed
        for fld, signed in p["signed"].items():
            b = p["boxes"][fld]
            if signed:
                s = p["signatures"][fld]
                i = s["ink_pt"]
                assert b[0] <= i[0] < i[2] <= b[2] and b[1] <= i[1] < i[3] <= b[3], (name, fld, b, i)
                assert 0.12 <= s["ink_frac"] <= 0.45, (name, fld, s)
            if v["rotation"] == 0 and v["skew"] == 0:
                k = v["dpi"] / 72.0
                crop = im.crop((int(b[0] * k) + 2, int(b[1] * k) + 2, int(b[2] * k) - 2, int(b[3] * k) - 2))
                thr = (v.get("paper", 255) + v.get("darkest", 0)) // 2
                dark = sum(crop.point(lambda c: 255 if c < thr else 0).convert("1").getdata()) // 255
                frac = dark / float(crop.size[0] * crop.size[1])
                assert (frac > 0.01) if signed else (frac < 0.001), (name, p["page"], fld, signed, frac)
        seen.add(p["source"])
        seen.add("dpi%d" % v["dpi"])
        for k in ("rotation", "skew", "jpeg", "low_contrast"):
            if v[k]:
                seen.add(k)
        seen.add(v["colour"])
        seen.add(f["format"])
        if p["code_readable"] == "no":
            seen.add("unreadable")
        if p["signed"] and all(p["signed"].values()):
            seen.add("all-signed")
        if p["signed"] and not any(p["signed"].values()):
            seen.add("none-signed")
        print("%s %s %s %d %d" % (x, want.replace(" ", "_"), p["code_readable"],
                                  v["rotation"], v["dpi"]))
need = {"issued", "superseded", "foreign", "blank", "text", "dpi150", "dpi200", "dpi300",
        "rotation", "skew", "jpeg", "low_contrast", "gray", "colour", "pdf", "tiff", "png",
        "jpg", "unreadable", "all-signed", "none-signed"}
missing = need - seen
assert not missing, "the small plan lacks %s" % sorted(missing)
EOF

# zbarimg on every page: a readable one gives its document's QR text (the
# sign-off code, "NUMBER HASH8 REGISTRY"; or the per-page code, which
# continues "i/n A"), a "maybe" that or nothing, any other nothing.  At least one straight 200 dpi page.
straight=0
while read -r img want readable rot dpi; do
    set +e
    zbarimg -q --raw -Sdisable -Sqrcode.enable "img/$img" > z.txt 2>/dev/null
    set -e
    w=$(echo "$want" | tr _ ' ')
    case $readable in
    yes)
        grep -Eqx "$w( .*)?" z.txt || fail "$img: zbarimg read '$(cat z.txt)', want '$w'"
        [ "$rot" = 0 ] && [ "$dpi" = 200 ] && straight=$((straight + 1))
        ;;
    maybe) # read or not, but never as another document
        [ ! -s z.txt ] || grep -Eqx "$w( .*)?" z.txt || fail "$img: zbarimg read '$(cat z.txt)', want '$w' or nothing"
        ;;
    *)
        [ ! -s z.txt ] || fail "$img: code-less or unreadable ($readable) page read as '$(cat z.txt)'"
        ;;
    esac
done < pages.txt
[ "$straight" -gt 0 ] || fail "no straight 200 dpi page was read"

# the bench mode: N pages at one dpi; another seed, other scans
for seed in 7 8; do
    expect_exit 0 "$PY" "$GEN" --db d.db --out o --period $P --seed $seed --dest b$seed --bench-pages 12 --dpi 150
    expect_grep "^make_scans: 1 files, 12 pages -> b$seed\$" out.txt
    pdfinfo b$seed/bench-150.pdf | grep -q '^Pages: *12$' || fail "bench: not 12 pages"
done
cmp -s b7/bench-150.pdf b8/bench-150.pdf && fail "--seed 8 made the same scans as --seed 7"

# refusals: bad usage 2, a missing database 1
expect_exit 2 "$PY" "$GEN" --db d.db --out o --period 2026-13 --dest x
expect_exit 2 "$PY" "$GEN" --db d.db --out o --period $P --dest x --superseded nonsense
expect_exit 1 "$PY" "$GEN" --db missing.db --out o --period $P --dest x
expect_grep 'missing.db: no such database' err.txt
