#!/usr/bin/python3
"""make_scans -- deterministic synthetic scans of issued keqing documents,
for testing `keqing receive` (issue 14).  Test tooling: it sits outside
the import -> store -> score -> render pipeline and reads its outputs
(the registry and the rendered PDFs), never writes them (except in
--write-fake-boxes mode, meant for a copy of the database).

What it makes, in --dest DIR:
  * scan files as a scanner would deliver them: multi-page PDF (image
    pages, JPEG or Flate, written by the tiny writer below: no date, no
    ID), multi-page TIFF (Deflate), single PNG and JPEG files;
  * pages rasterised with pdftoppm at 150, 200 or 300 dpi, gray or
    colour; synthetic signatures (seeded pen strokes) in chosen fields;
    some pages turned 180 degrees or skewed 2-3 degrees, JPEG-compressed
    (quality 50-85), low contrast (gray paper, gray ink), with blank
    pages, pages of random text, pages of another company's sheet
    (--foreign-db/--foreign-out) and pages of a superseded issue
    (--superseded NUMBER=FILE.pdf);
  * expect.json: for every file and page what `keqing receive` must find
    (format in tests/scan/README.md).

Invariants:
  * Deterministic: the same inputs and --seed give byte-identical files
    (every random choice comes from random.Random / numpy RandomState
    seeded by a string naming the seed and the page; fixed encoder
    options; no clock, no hash order; JSON with sorted keys).
  * Each (PDF, dpi, colour) is rasterised once (pdftoppm, in parallel).
  * A signature stays inside its field's box, with a margin.
  * Geometry: table document_box of the database when it exists (PDF
    points, origin top-left, y down); otherwise derived from the sheet
    itself (the sign-off labels by `pdftotext -bbox`, their lines and the
    sign-off QR code from a 72 dpi raster).  expect.json says which.

Usage: see --help and tests/scan/README.md.  Needs python3-pil,
python3-numpy, poppler-utils.  Exit status: 0, 2 on bad usage, 1 on
failure (a message on stderr).
"""

import argparse
import io
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFont

VERSION = 1
A4 = (595.276, 841.89)
SIGN_FIELDS = ("sign-assessee", "sign-assessor", "sign-hr")
QR_BOXES = ("qr-a", "qr-s")
# lowest dpi at which a page's code must be readable (issue 14; at 150
# dpi zbar misses some codes after skew or JPEG: tests/scan/README.md)
READABLE_DPI = 200


class Fail(Exception):
    pass


def rng_for(seed, *parts):
    """A random.Random seeded by the seed and the parts (str seeding is
    stable across Python versions: sha512 of the text)."""
    return random.Random("/".join([str(seed)] + [str(p) for p in parts]))


def np_rng_for(seed, *parts):
    r = rng_for(seed, "np", *parts)
    return np.random.RandomState(r.getrandbits(32))


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise Fail("%s: exit %d: %s" % (" ".join(cmd), p.returncode,
                                         p.stderr.decode(errors="replace").strip()))
    return p.stdout


PAGE_RE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def pdf_pages(path):
    """The pages of a PDF: its page objects counted in the file (keqing's
    PDFs keep every object dictionary in the clear), else pdfinfo's count
    (one process per document was most of this generator's time)."""
    with open(path, "rb") as fp:
        n = len(PAGE_RE.findall(fp.read()))
    if n:
        return n
    out = run(["pdfinfo", path]).decode()
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    if not m:
        raise Fail("%s: pdfinfo gives no page count" % path)
    return int(m.group(1))


# ---- the registry ---------------------------------------------------------

class Registry:
    """One keqing database and its OUT folder (read only)."""

    def __init__(self, db, out, period):
        if not os.path.exists(db):
            raise Fail("%s: no such database" % db)
        self.db_path = db
        self.con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
        self.out = out
        self.period = period
        row = self.con.execute("SELECT id FROM registry").fetchone()
        self.registry = row[0] if row else None
        self.has_boxes = self.con.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='document_box'"
        ).fetchone() is not None
        self._boxes = None
        self.boxes(None)

    def documents(self, kinds=("person", "region")):
        """Current issued documents of the period, by number."""
        q = ("SELECT number, kind, subject, path, data_hash, status FROM document"
             " WHERE period = ? AND status = 'issued' AND kind IN (%s)"
             " ORDER BY number" % ",".join("?" * len(kinds)))
        docs = []
        for number, kind, subject, path, dh, status in self.con.execute(
                q, (self.period,) + tuple(kinds)):
            docs.append(dict(number=number, kind=kind, subject=subject,
                             file=os.path.join(self.out, self.period, path),
                             data_hash=dh, status=status))
        if not docs:
            raise Fail("%s: no issued person or region document for %s"
                       % (self.db_path, self.period))
        return docs

    def row(self, number):
        r = self.con.execute("SELECT kind, subject, status, data_hash FROM document"
                             " WHERE number = ?", (number,)).fetchone()
        return None if r is None else dict(kind=r[0], subject=r[1], status=r[2],
                                           data_hash=r[3])

    def boxes(self, number):
        """{page: {box: (x0, y0, x1, y1)}} from document_box, or None
        (read once, in the thread that made the Registry)."""
        if not self.has_boxes:
            return None
        if self._boxes is None:
            self._boxes = {}
            for num, page, box, x0, y0, x1, y1 in self.con.execute(
                    "SELECT number, page, box, x0, y0, x1, y1 FROM document_box"
                    " ORDER BY number, page, box"):
                self._boxes.setdefault(num, {}).setdefault(int(page), {})[box] = \
                    (x0, y0, x1, y1)
        return self._boxes.get(number)


# ---- geometry derived from a sheet (until document_box exists) ------------

LABELS = {"被考核人签字：": "sign-assessee", "考核人签字：": "sign-assessor",
          "区域经理签字：": "sign-assessor", "人力资源部：": "sign-hr"}
WORD_RE = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                     r'yMax="([\d.]+)">([^<]*)</word>')


def derive_boxes(pdf, npages, tmp):
    """The sign-off boxes of a keqing sheet's last page from the sheet
    itself: each label, the line right of it (the box is the 24 pt above
    the line) and the QR code right of the last line."""
    text = run(["pdftotext", "-bbox", "-f", str(npages), "-l", str(npages),
                pdf, "-"]).decode()
    labels = []
    for x0, y0, x1, y1, w in WORD_RE.findall(text):
        if w in LABELS:
            labels.append((LABELS[w], float(x0), float(y0), float(x1), float(y1)))
    if not labels:
        return {}
    base = os.path.join(tmp, "geom")
    run(["pdftoppm", "-r", "72", "-gray", "-f", str(npages), "-l", str(npages),
         "-singlefile", pdf, base])
    a = np.asarray(Image.open(base + ".pgm"))
    dark = a < 235
    page = {}
    right = 0
    ly = None
    for name, x0, y0, x1, y1 in labels:
        best = None
        for y in range(int(y1) - 2, min(int(y1) + 14, a.shape[0])):
            row = dark[y]
            xs = int(x1) - 2
            # the line starts within 12 pt right of the label
            for x in range(xs, xs + 12):
                if row[x] and row[x:x + 30].all():
                    e = x
                    while e < a.shape[1] and row[e]:
                        e += 1
                    best = (x, y, e)
                    break
            if best:
                break
        if not best:
            continue
        lx0, y, lx1 = best
        page[name] = (lx0 + 1.0, max(y - 24.0, y0 - 12.0), lx1 - 1.0, y - 1.5)
        right = max(right, lx1)
        ly = y
    if ly is not None:
        sub = a[max(ly - 45, 0):ly + 45, right + 4:] < 128
        ys, xs = np.nonzero(sub)
        if len(xs):
            page["qr-s"] = (float(right + 4 + xs.min()), float(max(ly - 45, 0) + ys.min()),
                            float(right + 5 + xs.max()), float(max(ly - 45, 0) + ys.max() + 1))
    return {npages: page} if page else {}


# ---- rasterising, once per (PDF, dpi, colour) -----------------------------

class Rasters:
    def __init__(self, tmp):
        self.tmp = tmp
        self.want = {}      # (file, dpi, colour) -> set of pages
        self.done = {}      # (file, dpi, colour) -> pdftoppm's prefix
        self.cache = {}     # raster file -> image (the oldest goes first)
        self.cache_max = 160 << 20  # bytes of pixels
        self.cached = 0
        self.lock = threading.Lock()

    def need(self, file, dpi, colour, page):
        self.want.setdefault((file, dpi, colour), set()).add(page)

    def render_all(self, jobs):
        keys = sorted(self.want)

        def one(i_key):
            i, key = i_key
            file, dpi, colour = key
            pages = self.want[key]
            first, last = min(pages), max(pages)
            prefix = os.path.join(self.tmp, "r%05d" % i)
            cmd = ["pdftoppm", "-r", str(dpi), "-f", str(first), "-l", str(last)]
            cmd += [] if colour else ["-gray"]
            run(cmd + [file, prefix])
            return key, prefix

        with ThreadPoolExecutor(max_workers=jobs) as ex:
            for key, prefix in ex.map(one, enumerate(keys)):
                self.done[key] = prefix

    def page(self, file, dpi, colour, page):
        prefix = self.done[(file, dpi, colour)]
        ext = ".ppm" if colour else ".pgm"
        # pdftoppm pads the page number to the width of the last page's
        d = os.path.dirname(prefix)
        base = os.path.basename(prefix)
        for n in range(1, 7):
            p = os.path.join(d, "%s-%0*d%s" % (base, n, page, ext))
            if os.path.exists(p):
                with self.lock:
                    im = self.cache.get(p)
                if im is None:
                    im = Image.open(p)
                    im.load()
                    size = len(im.getbands()) * im.size[0] * im.size[1]
                    with self.lock:
                        while self.cache and self.cached + size > self.cache_max:
                            old = self.cache.pop(next(iter(self.cache)))
                            self.cached -= len(old.getbands()) * old.size[0] * old.size[1]
                        self.cache[p] = im
                        self.cached += size
                return im.copy()
        raise Fail("pdftoppm made no page %d of %s" % (page, file))


# ---- signatures -----------------------------------------------------------

def catmull(points, steps):
    """Points of a Catmull-Rom spline through points (a cubic Bezier
    chain), steps samples per segment."""
    pts = [points[0]] + list(points) + [points[-1]]
    out = []
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for s in range(steps):
            t = s / steps
            t2, t3 = t * t, t * t * t
            out.append(tuple(0.5 * (2 * p1[k] + (-p0[k] + p2[k]) * t
                                    + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t2
                                    + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * t3)
                             for k in (0, 1)))
    out.append(points[-1])
    return out


SS = 4  # supersampling of the ink mask


def signature_mask(r, bw, bh, dpi):
    """An antialiased ink mask ('L', bw x bh px) of a signature inside a
    box of bw x bh px, and its facts.  All from r.  A signature is two or
    three written characters side by side, each one to three strokes of
    connected curves, sometimes joined to the next by a flourish."""
    pen = r.uniform(1.5, 3.0) * dpi / 200.0          # px at this dpi
    mx = max(0.03 * bw, pen + 2)
    my = max(0.10 * bh, pen + 2)
    frac = r.uniform(0.15, 0.40)
    sw = frac * bw
    sh = r.uniform(0.55, 0.95) * (bh - 2 * my)
    sx = r.uniform(mx, max(mx, bw - mx - sw))
    sy = r.uniform(my, max(my, bh - my - sh))
    big = Image.new("L", (bw * SS, bh * SS), 0)
    d = ImageDraw.Draw(big)
    w = max(1, int(round(pen * SS)))

    def stroke(pts):
        line = [(p[0] * SS, p[1] * SS) for p in catmull(pts, 10)]
        d.line(line, fill=255, width=w, joint="curve")
        for p in (line[0], line[-1]):
            d.ellipse([p[0] - w / 2, p[1] - w / 2, p[0] + w / 2, p[1] + w / 2], fill=255)

    def pt(x, y):
        return (min(max(x, sx), sx + sw), min(max(y, sy), sy + sh))

    nchars = r.randint(2, 3)
    cw = sw / nchars
    nstrokes = 0
    for c in range(nchars):
        cx0 = sx + c * cw
        for s in range(r.randint(1, 3)):
            k = r.randint(3, 7)
            pts = [pt(cx0 + r.uniform(-0.1, 1.1) * cw, sy + r.uniform(0, 1) * sh)
                   for _ in range(k)]
            if c == 0 and s == 0:
                pts[0] = (sx, pts[0][1])        # the ink spans the chosen width
            stroke(pts)
            nstrokes += 1
        if c == nchars - 1:
            stroke([pt(cx0 + 0.3 * cw, sy + r.uniform(0.3, 0.9) * sh),
                    pt(cx0 + 0.7 * cw, sy + r.uniform(0, 1) * sh),
                    (sx + sw, sy + r.uniform(0.2, 0.8) * sh)])
            nstrokes += 1
        elif r.random() < 0.5:
            stroke([pt(cx0 + 0.8 * cw, sy + r.uniform(0.5, 1) * sh),
                    pt(cx0 + 1.2 * cw, sy + r.uniform(0, 0.5) * sh)])
            nstrokes += 1
    mask = big.resize((bw, bh), Image.BOX)
    return mask, dict(pen_px=round(pen, 2), strokes=nstrokes)


# ---- pages ----------------------------------------------------------------

def box_px(b, dpi):
    s = dpi / 72.0
    return (int(round(b[0] * s)), int(round(b[1] * s)),
            int(round(b[2] * s)), int(round(b[3] * s)))


def ink_colour(r, colour):
    if colour:
        return r.choice([(20, 30, 110), (15, 20, 60), (10, 10, 10), (30, 45, 140)])
    return r.randint(0, 60)


def sign(im, boxes, fields, dpi, colour, r):
    """Draw signatures into the fields of boxes; the facts per field."""
    facts = {}
    for f in fields:
        x0, y0, x1, y1 = box_px(boxes[f], dpi)
        bw, bh = x1 - x0, y1 - y0
        mask, info = signature_mask(r, bw, bh, dpi)
        ink = Image.new(im.mode, (bw, bh), ink_colour(r, colour))
        region = im.crop((x0, y0, x1, y1))
        region.paste(ink, (0, 0), mask)
        im.paste(region, (x0, y0))
        bb = mask.point(lambda v: 255 if v >= 64 else 0).getbbox()
        s = 72.0 / dpi
        if bb:
            info["ink_pt"] = [round((x0 + bb[0]) * s, 1), round((y0 + bb[1]) * s, 1),
                              round((x0 + bb[2]) * s, 1), round((y0 + bb[3]) * s, 1)]
            info["ink_frac"] = round((bb[2] - bb[0]) / float(bw), 3)
        facts[f] = info
    return facts


def stain(im, b, dpi, r):
    """Blot out the middle of a code (a coffee stain, a torn corner): the
    code cannot be read any more."""
    x0, y0, x1, y1 = box_px(b, dpi)
    d = ImageDraw.Draw(im)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    rad = 0.42 * (x1 - x0)
    fill = (70, 50, 30) if im.mode == "RGB" else 60
    d.ellipse([cx - rad, cy - rad * r.uniform(0.8, 1.0), cx + rad, cy + rad], fill=fill)


def low_contrast(im, r):
    paper = r.randint(200, 228)
    darkest = r.randint(70, 110)
    lut = [int(darkest + (paper - darkest) * v / 255.0 + 0.5) for v in range(256)]
    if im.mode == "RGB":
        tint = (0, -3, -10)  # yellowed paper
        luts = []
        for t in tint:
            luts += [min(255, max(0, v + int(t * i / 255))) for i, v in enumerate(lut)]
        return im.point(luts), paper, darkest
    return im.point(lut), paper, darkest


def add_noise(im, nr, amp):
    """Paper grain: a 509 px tile of uniform noise in [-amp, amp], from nr,
    repeated over the page (fast; a prime size shows no pattern)."""
    t = Image.fromarray(nr.randint(0, 2 * amp + 1, size=(509, 509)).astype(np.uint8), "L")
    tile = Image.new("L", im.size)
    for y in range(0, im.size[1], 509):
        for x in range(0, im.size[0], 509):
            tile.paste(t, (x, y))
    if im.mode == "RGB":
        tile = Image.merge("RGB", (tile, tile, tile))
    return ImageChops.add(im, tile, 1.0, -amp)


def skew(im, angle, fill):
    """Turned by angle degrees (counter-clockwise) about the centre on a
    bed of the same size, as a scanner does: what turned off it is page
    margin (at 3 degrees the content of a sheet stays on the bed)."""
    return im.rotate(angle, resample=Image.BILINEAR, expand=False, fillcolor=fill)


def paper_page(dpi, colour, nr, level=250):
    w, h = int(round(A4[0] * dpi / 72)), int(round(A4[1] * dpi / 72))
    im = Image.new("RGB" if colour else "L", (w, h), (level,) * 3 if colour else level)
    return add_noise(im, nr, 3)


def text_page(dpi, colour, r, nr):
    """A page of random text: letters and digits in lines, no code."""
    im = paper_page(dpi, colour, nr)
    d = ImageDraw.Draw(im)
    size = int(10 * dpi / 72)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        font = ImageFont.load_default()
    y = int(60 * dpi / 72)
    alphabet = "abcdefghijklmnopqrstuvwxyz     ,.0123456789"
    while y < im.size[1] - int(80 * dpi / 72):
        n = r.randint(40, 90)
        s = "".join(r.choice(alphabet) for _ in range(n)).strip()
        d.text((int(50 * dpi / 72), y), s, fill=(30, 30, 30) if colour else 30, font=font)
        y += int(15 * dpi / 72)
    return im


def jpeg_bytes(im, q):
    b = io.BytesIO()
    im.save(b, "JPEG", quality=q, optimize=False, progressive=False,
            subsampling=0 if im.mode == "RGB" else -1)
    return b.getvalue()


# ---- output writers -------------------------------------------------------

def write_atomic(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def pdf_image(im, dpi, q):
    """One page of a scan PDF, encoded: JPEG (DCTDecode) at quality q, or
    Flate when q is None."""
    if q:
        data, filt = jpeg_bytes(im, q), b"/DCTDecode"
    else:
        data, filt = zlib.compress(im.tobytes(), 1), b"/FlateDecode"
    return dict(w=im.size[0], h=im.size[1], rgb=im.mode == "RGB", dpi=dpi,
                data=data, filter=filt)


def pdf_bytes(pages):
    """A PDF of encoded image pages (pdf_image).  No Info dictionary, no
    ID, no date: the bytes depend on the images only."""
    objs = []

    def add(body):
        objs.append(body)
        return len(objs)

    add(b"<< /Type /Catalog /Pages 2 0 R >>")
    add(b"")  # pages, filled below
    kids = []
    for p in pages:
        w, h, dpi, data, filt = p["w"], p["h"], p["dpi"], p["data"], p["filter"]
        cs = b"/DeviceRGB" if p["rgb"] else b"/DeviceGray"
        img = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s"
                  b" /BitsPerComponent 8 /Filter %s /Length %d >>\nstream\n%s\nendstream"
                  % (w, h, cs, filt, len(data), data))
        pw, ph = w * 72.0 / dpi, h * 72.0 / dpi
        content = b"q %.3f 0 0 %.3f 0 0 cm /Im0 Do Q" % (pw, ph)
        c = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        kids.append(add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.3f %.3f]"
                        b" /Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
                        % (pw, ph, img, c)))
    objs[1] = (b"<< /Type /Pages /Kids [%s] /Count %d >>"
               % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, body in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def tiff_bytes(pages, rows=64):
    """A multi-page TIFF of [(image, dpi, _)]: Deflate strips of rows rows,
    little endian.  Our own writer: libtiff (through PIL) pads an odd
    strip with a byte it never sets, so its files differ from run to run."""
    import struct
    out = bytearray(b"II*\0\0\0\0\0")
    link = 4                                  # where the next IFD's offset goes
    for im, dpi, _ in pages:
        w, h = im.size
        spp = 3 if im.mode == "RGB" else 1
        raw = im.tobytes()
        line = w * spp
        offs, counts = [], []
        for y in range(0, h, rows):
            data = zlib.compress(raw[y * line:min(h, y + rows) * line], 6)
            offs.append(len(out))
            counts.append(len(data))
            out += data
            if len(out) % 2:
                out += b"\0"
        extra = bytearray()

        def ext(data):
            # out-of-line values go after the IFD: offset filled below
            extra_off = len(extra)
            extra.extend(data)
            if len(extra) % 2:
                extra.extend(b"\0")
            return extra_off

        tags = []                              # (tag, type, count, value or ('ext', off))
        tags.append((256, 4, 1, w))
        tags.append((257, 4, 1, h))
        if spp == 3:
            tags.append((258, 3, 3, ("ext", ext(struct.pack("<3H", 8, 8, 8)))))
        else:
            tags.append((258, 3, 1, 8))
        tags.append((259, 3, 1, 8))            # Adobe Deflate
        tags.append((262, 3, 1, 2 if spp == 3 else 1))
        tags.append((273, 4, len(offs), ("ext", ext(struct.pack("<%dI" % len(offs), *offs)))
                     if len(offs) > 1 else offs[0]))
        tags.append((277, 3, 1, spp))
        tags.append((278, 4, 1, rows))
        tags.append((279, 4, len(counts), ("ext", ext(struct.pack("<%dI" % len(counts), *counts)))
                     if len(counts) > 1 else counts[0]))
        res = ext(struct.pack("<2I", dpi, 1))
        tags.append((282, 5, 1, ("ext", res)))
        tags.append((283, 5, 1, ("ext", res)))
        tags.append((284, 3, 1, 1))
        tags.append((296, 3, 1, 2))            # inch
        ifd = len(out)
        struct.pack_into("<I", out, link, ifd)
        base = ifd + 2 + 12 * len(tags) + 4
        out += struct.pack("<H", len(tags))
        for tag, typ, count, val in tags:
            if isinstance(val, tuple):
                out += struct.pack("<HHII", tag, typ, count, base + val[1])
            elif typ == 3:
                out += struct.pack("<HHIHH", tag, typ, count, val, 0)
            else:
                out += struct.pack("<HHII", tag, typ, count, val)
        link = len(out)
        out += b"\0\0\0\0"
        out += extra
    return bytes(out)


def write_file(path, fmt, pages):
    """A TIFF, PNG or JPEG file of pages [(image, dpi, jpeg quality or
    None)]; for tiff/png the JPEG quality was applied before (a round
    trip)."""
    b = io.BytesIO()
    im, dpi, q = pages[0]
    if fmt == "tiff":
        b.write(tiff_bytes(pages))
    elif fmt == "png":
        im.save(b, "PNG", dpi=(dpi, dpi), compress_level=3, optimize=False)
    elif fmt == "jpg":
        im.save(b, "JPEG", quality=q or 85, optimize=False, progressive=False,
                subsampling=0 if im.mode == "RGB" else -1, dpi=(dpi, dpi))
    write_atomic(path, b.getvalue())


# ---- the plan -------------------------------------------------------------
#
# A plan is a list of files: {"name", "format", "pages": [spec]}; a spec
# says where the page comes from and how it is scanned:
#   {"src": "issued"|"superseded"|"foreign"|"blank"|"text",
#    "doc": document dict (issued, superseded, foreign), "page": n,
#    "dpi", "colour", "rotation", "skew", "jpeg", "low", "sign": [fields],
#    "stain": bool}

DPIS = (150, 200, 300)


R = None  # in variant(): "choose at random"


def variant(r, dpi=R, colour=R, rotation=R, sk=R, jpeg=R, low=R):
    """A scan variant; an argument left R is drawn from r.  jpeg 0: none."""
    v = dict(dpi=r.choice(DPIS) if dpi is R else dpi,
             colour=(r.random() < 0.2) if colour is R else colour,
             rotation=(180 if r.random() < 0.15 else 0) if rotation is R else rotation,
             skew=(round(r.choice((-1, 1)) * r.uniform(2.0, 3.0), 2)
                   if r.random() < 0.25 else 0.0) if sk is R else sk,
             jpeg=(r.randint(50, 85) if r.random() < 0.5 else 0) if jpeg is R else jpeg,
             low=(r.random() < 0.15) if low is R else low)
    v["jpeg"] = v["jpeg"] or None
    return v


def choose_fields(r, fields):
    """Which of the fields get a signature: each with probability 0.6."""
    return [f for f in fields if r.random() < 0.6]


def plan_small(r, docs, ctx):
    persons = [d for d in docs if d["kind"] == "person"]
    regions = [d for d in docs if d["kind"] == "region"]
    pick = r.sample(persons, min(len(persons), 9))
    pp = pick + persons * 2   # enough even for a tiny company
    files = []

    def page(doc, n, v, fields=None, **kw):
        s = dict(src="issued", doc=doc, page=n, **v)
        s["sign"] = fields if fields is not None else None
        s.update(kw)
        return s

    # a: the usual batch: 200 dpi gray PDF of JPEG pages, one turned, one skewed
    a = [page(pp[0], 1, variant(r, 200, False, 0, 0.0, 75, False), list(SIGN_FIELDS)),
         page(pp[1], 1, variant(r, 200, False, 0, 0.0, 75, False), []),
         page(pp[2], 1, variant(r, 200, False, 180, 0.0, 75, False)),
         page(pp[3], 1, variant(r, 200, False, 0, 2.5, 75, False))]
    if regions:
        reg = regions[0]
        a += [page(reg, n, variant(r, 200, False, 0, 0.0, 75, False))
              for n in range(1, reg["pages"] + 1)]
    files.append(dict(name="a-batch.pdf", format="pdf", pages=a))
    # b: 300 dpi multi-page TIFF with a blank page in the middle
    files.append(dict(name="b-300.tiff", format="tiff", pages=[
        page(pp[4], 1, variant(r, 300, False, 0, -2.2, 0, False)),
        dict(src="blank", **variant(r, 300, False, 0, 0.0, 0, False)),
        page(pp[5], 1, variant(r, 300, False, 180, 0.0, 60, False))]))
    # c: a colour PNG, low contrast, every field signed
    files.append(dict(name="c-colour.png", format="png", pages=[
        page(pp[6], 1, variant(r, 200, True, 0, 0.0, 0, True), list(SIGN_FIELDS))]))
    # d: 150 dpi JPEG; e: 150 dpi with the code blotted out
    files.append(dict(name="d-150.jpg", format="jpg", pages=[
        page(pp[7], 1, variant(r, 150, False, 0, 0.0, 70, False))]))
    files.append(dict(name="e-stain.png", format="png", pages=[
        page(pp[8], 1, variant(r, 200, False, 0, 0.0, 0, False), stain=True)]))
    # f: the odd ones: random text, foreign, superseded, a low-contrast page
    f = [dict(src="text", **variant(r, 200, False, 0, 0.0, 75, False))]
    for fd in ctx["foreign"][:1]:
        f.append(dict(src="foreign", doc=fd, page=1, sign=None,
                      **variant(r, 200, False, 0, 0.0, 75, False)))
    for sd in ctx["superseded"]:
        f.append(dict(src="superseded", doc=sd, page=sd["pages"], sign=None,
                      **variant(r, 200, False, 0, 0.0, 75, False)))
    f.append(page(pp[0], 1, variant(r, 200, False, 0, -2.8, 80, True)))
    files.append(dict(name="f-mixed.pdf", format="pdf", pages=f))
    return files


def plan_full(r, docs, ctx):
    """Every document at every dpi (all of them again until there are
    300 or more pages), in files of 1-12 pages of every format, with
    blank, text, foreign and superseded pages mixed in."""
    specs = []
    npages = sum(d["pages"] for d in docs)
    for dpi in [d for d in DPIS for _ in range(max(1, -(-300 // (3 * npages))))]:
        for doc in docs:
            for n in range(1, doc["pages"] + 1):
                specs.append(dict(src="issued", doc=doc, page=n, sign=None,
                                  stain=r.random() < 0.03, **variant(r, dpi)))
    for i in range(max(4, len(specs) // 25)):
        specs.append(dict(src=r.choice(("blank", "text")), **variant(r)))
    for fd in ctx["foreign"]:
        for n in range(1, fd["pages"] + 1):
            specs.append(dict(src="foreign", doc=fd, page=n, sign=None, **variant(r)))
    for sd in ctx["superseded"]:
        for n in range(1, sd["pages"] + 1):
            specs.append(dict(src="superseded", doc=sd, page=n, sign=None, **variant(r)))
    r.shuffle(specs)
    files = []
    i = 0
    while i < len(specs):
        fmt = r.choice(("pdf", "pdf", "tiff", "png", "jpg"))
        n = r.randint(1, 12) if fmt in ("pdf", "tiff") else 1
        chunk = specs[i:i + n]
        i += n
        # a file holds one dpi and one colour, as one scanner job would
        for s in chunk[1:]:
            s["dpi"], s["colour"] = chunk[0]["dpi"], chunk[0]["colour"]
        if fmt == "jpg":
            chunk[0]["jpeg"] = chunk[0]["jpeg"] or 85
        files.append(dict(name="%s-%04d.%s" % (fmt, len(files) + 1, fmt), format=fmt,
                          pages=chunk))
    return files


def plan_bench(r, docs, npages, dpi):
    specs = []
    all_pages = [(d, n) for d in docs for n in range(1, d["pages"] + 1)]
    for i in range(npages):
        d, n = all_pages[i % len(all_pages)]
        specs.append(dict(src="issued", doc=d, page=n, sign=None,
                          **variant(r, dpi, False, 180 if r.random() < 0.1 else 0,
                                    0.0, 75, False)))
    return [dict(name="bench-%d.pdf" % dpi, format="pdf", pages=specs)]


# ---- making the pages -----------------------------------------------------

def doc_geometry(reg, doc, tmp):
    b = reg.boxes(doc["number"]) if reg is not None else None
    if b:
        # page 0 holds what is on every page (the page code, qr-a)
        every = b.get(0, {})
        b = {n: dict(every, **b.get(n, {})) for n in range(1, doc["pages"] + 1)}
        return b, "document_box"
    sub = tempfile.mkdtemp(dir=tmp)
    return derive_boxes(doc["file"], doc["pages"], sub), "derived"


def make_page(spec, seed, label, rasters):
    """The image of one page and its expectation entry."""
    r = rng_for(seed, "page", label)
    nr = np_rng_for(seed, "noise", label)
    dpi, colour = spec["dpi"], spec["colour"]
    e = dict(source=spec["src"],
             variant=dict(dpi=dpi, colour="colour" if colour else "gray",
                          rotation=spec["rotation"], skew=spec["skew"],
                          jpeg=spec["jpeg"], low_contrast=spec["low"]),
             number=None, codes=[], code_readable=None, signed={})
    fill = (255, 255, 255) if colour else 255
    if spec["src"] in ("blank", "text"):
        im = paper_page(dpi, colour, nr) if spec["src"] == "blank" else text_page(dpi, colour, r, nr)
    else:
        doc = spec["doc"]
        n = spec["page"]
        im = rasters.page(doc["file"], dpi, colour, n)
        boxes = doc["boxes"].get(n, {})
        fields = [f for f in SIGN_FIELDS if f in boxes]
        chosen = spec.get("sign")
        if chosen is None:
            chosen = choose_fields(r, fields)
        facts = sign(im, boxes, chosen, dpi, colour, r)
        e["signed"] = {f: f in chosen for f in fields}
        e["boxes"] = {k: [round(v, 1) for v in b] for k, b in boxes.items()}
        if facts:
            e["signatures"] = facts
        codes = sorted(c for c in QR_BOXES if c in boxes)
        e["codes"] = codes
        e["belongs_to"] = doc["number"]
        e["doc_page"] = n
        e["doc_pages"] = doc["pages"]
        e["kind"] = doc["kind"]
        e["subject"] = doc["subject"]
        e["status"] = doc["status"]
        if spec["src"] == "foreign":
            e["registry"] = doc["registry"]
        if spec.get("stain") and codes:
            for c in codes:
                stain(im, boxes[c], dpi, r)
            e["stained"] = True
        if codes:
            # "yes": receive must read it; "no": it cannot (blotted out);
            # "maybe": 150 dpi, where zbar reads some pages and not others
            # (a skew or JPEG blurs 3.3 px modules): either is right, a
            # wrong number never is
            e["code_readable"] = "no" if spec.get("stain") else \
                "yes" if dpi >= READABLE_DPI else "maybe"
            if spec["src"] != "foreign":
                e["number"] = doc["number"]
    if spec["low"]:
        im, paper, darkest = low_contrast(im, r)
        im = add_noise(im, nr, 6)
        e["variant"]["paper"] = paper
        e["variant"]["darkest"] = darkest
        fill = (paper, paper - 3, paper - 10) if colour else paper
    if spec["rotation"] == 180:
        im = im.transpose(Image.ROTATE_180)
    if spec["skew"]:
        im = skew(im, spec["skew"], fill)
    e["size_px"] = list(im.size)
    return im, e


def make(files, seed, dest, rasters, jobs):
    """Make every page (on jobs threads: PIL and zlib release the GIL),
    write every file; the expectation {file: entry}.  A page of a PDF is
    encoded by its worker, so a long batch is held compressed, not as
    images."""
    tasks = [(fi, pi) for fi, f in enumerate(files) for pi in range(1, len(f["pages"]) + 1)]

    def one(t):
        fi, pi = t
        f = files[fi]
        spec = f["pages"][pi - 1]
        im, e = make_page(spec, seed, "%s/%d" % (f["name"], pi), rasters)
        e["page"] = pi
        q = spec["jpeg"]
        if f["format"] == "pdf":
            return pdf_image(im, spec["dpi"], q), e
        if q and f["format"] in ("tiff", "png"):
            # the scanner compressed it on the way: keep the artefacts
            im = Image.open(io.BytesIO(jpeg_bytes(im, q)))
            im.load()
        return (im, spec["dpi"], q), e

    def results(ex):
        # at most a few pages ahead of the writer: memory stays bounded
        window = []
        for t in tasks:
            window.append((t, ex.submit(one, t)))
            if len(window) > 2 * jobs:
                t0, fut = window.pop(0)
                yield t0, fut.result()
        for t0, fut in window:
            yield t0, fut.result()

    expect = {}
    pages = []
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        for (fi, pi), (page, e) in results(ex):
            f = files[fi]
            pages.append(page)
            expect.setdefault(f["name"], dict(format=f["format"], pages=[]))["pages"].append(e)
            if pi == len(f["pages"]):
                path = os.path.join(dest, f["name"])
                if f["format"] == "pdf":
                    write_atomic(path, pdf_bytes(pages))
                else:
                    write_file(path, f["format"], pages)
                pages = []
    return expect


def write_fake_boxes(db, out, period, tmp):
    """Add a document_box table derived from the sheets to db (a COPY of
    the real database: for developing receive before the table exists)."""
    reg = Registry(db, out, period)
    rows = []
    for d in reg.documents(("person", "region")):
        n = pdf_pages(d["file"])
        for page, bx in sorted(derive_boxes(d["file"], n, tmp).items()):
            for name, b in sorted(bx.items()):
                rows.append((d["number"], page, name) + tuple(b))
    reg.con.close()
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE IF NOT EXISTS document_box (number TEXT NOT NULL,"
                " page INTEGER NOT NULL, box TEXT NOT NULL, x0 REAL, y0 REAL,"
                " x1 REAL, y1 REAL, PRIMARY KEY (number, page, box))")
    con.executemany("INSERT OR REPLACE INTO document_box VALUES (?,?,?,?,?,?,?)", rows)
    con.commit()
    con.close()
    return len(rows)


def main(argv):
    ap = argparse.ArgumentParser(
        prog="make_scans.py",
        description="Deterministic synthetic scans of issued keqing documents, "
                    "with the expectation of what `keqing receive` must find.")
    ap.add_argument("--db", required=True, help="the keqing database")
    ap.add_argument("--out", required=True, help="its OUT folder (PDFs under OUT/YYYY-MM/)")
    ap.add_argument("--period", required=True, help="YYYY-MM")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dest", help="where the scans and expect.json go (created)")
    ap.add_argument("--foreign-db", help="another company's database")
    ap.add_argument("--foreign-out", help="its OUT folder")
    ap.add_argument("--superseded", action="append", default=[], metavar="NUMBER=FILE.pdf",
                    help="an old issue of a document and its number (repeatable)")
    ap.add_argument("--plan", choices=("small", "full"), default="small")
    ap.add_argument("--bench-pages", type=int, metavar="N",
                    help="instead of a plan: one PDF of N signed pages at --dpi")
    ap.add_argument("--dpi", type=int, default=200, help="with --bench-pages")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--write-fake-boxes", action="store_true",
                    help="add a derived document_box table to --db (use a copy) and stop")
    a = ap.parse_args(argv)
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", a.period):
        ap.error("--period: not YYYY-MM: %s" % a.period)
    if bool(a.foreign_db) != bool(a.foreign_out):
        ap.error("--foreign-db and --foreign-out go together")
    if not a.write_fake_boxes and not a.dest:
        ap.error("--dest is required")
    tmp = tempfile.mkdtemp(prefix="kqscan.")
    try:
        if a.write_fake_boxes:
            n = write_fake_boxes(a.db, a.out, a.period, tmp)
            print("make_scans: %d boxes written into %s" % (n, a.db))
            return 0
        reg = Registry(a.db, a.out, a.period)
        docs = reg.documents()
        seed = a.seed
        geometry = set()
        for d in docs:
            d["pages"] = pdf_pages(d["file"])
        ctx = dict(foreign=[], superseded=[])
        if a.foreign_db:
            freg = Registry(a.foreign_db, a.foreign_out, a.period)
            fdocs = [d for d in freg.documents(("person",))]
            fr = rng_for(seed, "foreign")
            for d in fr.sample(fdocs, min(3, len(fdocs))):
                d["pages"] = pdf_pages(d["file"])
                d["registry"] = freg.registry
                d["boxes"], g = doc_geometry(freg, d, tmp)
                geometry.add(g)
                ctx["foreign"].append(d)
        for s in a.superseded:
            num, sep, path = s.partition("=")
            if not sep or not re.fullmatch(r"KQ-\d{6}-\d{6}", num) or not os.path.exists(path):
                ap.error("--superseded: not NUMBER=FILE.pdf (an existing file): %s" % s)
            row = reg.row(num) or {}
            d = dict(number=num, file=path, kind=row.get("kind"), subject=row.get("subject"),
                     status=row.get("status"), pages=pdf_pages(path))
            d["boxes"], g = doc_geometry(reg, d, tmp)
            geometry.add(g)
            ctx["superseded"].append(d)
        pr = rng_for(seed, "plan", a.plan if not a.bench_pages else "bench")
        if a.bench_pages:
            files = plan_bench(pr, docs, a.bench_pages, a.dpi)
        elif a.plan == "small":
            files = plan_small(pr, docs, ctx)
        else:
            files = plan_full(pr, docs, ctx)
        # geometry and rasters only for what the plan uses
        rasters = Rasters(tmp)
        used = {}
        for f in files:
            for s in f["pages"]:
                if "doc" in s:
                    used[id(s["doc"])] = s["doc"]
                    rasters.need(s["doc"]["file"], s["dpi"], s["colour"], s["page"])
        todo = sorted((d for d in used.values() if "boxes" not in d),
                      key=lambda d: (d["file"], d["number"]))
        with ThreadPoolExecutor(max_workers=a.jobs) as ex:
            for d, (b, g) in zip(todo, ex.map(lambda d: doc_geometry(reg, d, tmp), todo)):
                d["boxes"] = b
                geometry.add(g)
        rasters.render_all(a.jobs)
        os.makedirs(a.dest, exist_ok=True)
        expect = make(files, seed, a.dest, rasters, a.jobs)
        doc = dict(generator="tests/scan/make_scans.py %d" % VERSION, seed=seed,
                   plan="bench" if a.bench_pages else a.plan, period=a.period,
                   registry=reg.registry, geometry=sorted(geometry), files=expect)
        text = json.dumps(doc, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
        write_atomic(os.path.join(a.dest, "expect.json"), text.encode())
        npages = sum(len(f["pages"]) for f in files)
        print("make_scans: %d files, %d pages -> %s" % (len(files), npages, a.dest))
        return 0
    except Fail as ex:
        print("make_scans: %s" % ex, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
