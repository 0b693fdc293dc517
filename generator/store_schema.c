/* store_schema -- SQL of every schema migration (see store_schema.h).
 *
 * Conventions: dates are TEXT 'YYYY-MM-DD' (sortable, readable in the
 * sqlite3 shell); booleans INTEGER 0/1 with NULL for "absent"; every
 * imported row keeps import_id and src_line, so any figure can be traced
 * back to the file and line it came from.  References are foreign keys,
 * DEFERRABLE INITIALLY DEFERRED because an export may refer forward
 * inside one file; the importer checks them itself first, for messages.
 */
#include "store_schema.h"

#include <stddef.h>

const char *const store_migrations[] = {
/* 1: imported records */
"CREATE TABLE import ("
"  id INTEGER PRIMARY KEY,"
"  file TEXT NOT NULL,"          /* path as given on the command line */
"  sha256 TEXT NOT NULL,"
"  bytes INTEGER NOT NULL,"
"  company TEXT, period TEXT, exported TEXT,"
"  started TEXT NOT NULL,"       /* wall-clock time of the import, UTC */
"  seconds REAL,"
"  records INTEGER NOT NULL DEFAULT 0,"
"  rejected INTEGER NOT NULL DEFAULT 0,"
"  counts TEXT"                  /* 'region=3 person=10 ...' */
");"
"CREATE TABLE region ("
"  id TEXT PRIMARY KEY, name TEXT NOT NULL,"
"  parent TEXT REFERENCES region(id) DEFERRABLE INITIALLY DEFERRED,"
"  import_id INTEGER NOT NULL REFERENCES import(id), src_line INTEGER"
");"
"CREATE TABLE person ("
"  id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL,"
"  region TEXT NOT NULL REFERENCES region(id) DEFERRABLE INITIALLY DEFERRED,"
"  hired TEXT NOT NULL,"
"  manager TEXT REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
"  left_on TEXT,"
"  import_id INTEGER NOT NULL REFERENCES import(id), src_line INTEGER"
");"
"CREATE TABLE customer ("
"  id TEXT PRIMARY KEY, name TEXT NOT NULL,"
"  type TEXT NOT NULL CHECK (type IN ('channel','terminal')),"
"  grade TEXT NOT NULL CHECK (grade IN ('VIP','A','B','C')),"
"  region TEXT NOT NULL REFERENCES region(id) DEFERRABLE INITIALLY DEFERRED,"
"  owner TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
"  founded TEXT, restructured TEXT,"
"  import_id INTEGER NOT NULL REFERENCES import(id), src_line INTEGER"
");"
"CREATE TABLE contact ("
"  id TEXT PRIMARY KEY,"
"  customer TEXT NOT NULL REFERENCES customer(id) DEFERRABLE INITIALLY DEFERRED,"
"  name TEXT NOT NULL, position TEXT,"
"  is_key INTEGER,"              /* NULL (absent) means not key */
"  since TEXT, birthday TEXT,"
"  import_id INTEGER NOT NULL REFERENCES import(id), src_line INTEGER"
");"
"CREATE TABLE handover ("
"  customer TEXT NOT NULL REFERENCES customer(id) DEFERRABLE INITIALLY DEFERRED,"
"  seq INTEGER NOT NULL,"        /* order within the customer element */
"  from_staff TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
"  to_staff TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
"  date TEXT NOT NULL,"
"  import_id INTEGER NOT NULL REFERENCES import(id), src_line INTEGER,"
"  PRIMARY KEY (customer, seq)"
");"
"CREATE TABLE card ("
"  contact TEXT PRIMARY KEY REFERENCES contact(id) DEFERRABLE INITIALLY DEFERRED,"
"  created TEXT NOT NULL, updated TEXT,"
"  phones TEXT,"                 /* as given, e.g. 'office mobile' */
"  family INTEGER, interests INTEGER,"
"  import_id INTEGER NOT NULL REFERENCES import(id), src_line INTEGER"
");"
"CREATE TABLE visit ("
"  id TEXT PRIMARY KEY,"
"  staff TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
"  customer TEXT NOT NULL REFERENCES customer(id) DEFERRABLE INITIALLY DEFERRED,"
"  date TEXT NOT NULL,"
"  contact TEXT REFERENCES contact(id) DEFERRABLE INITIALLY DEFERRED,"
"  purpose TEXT,"
"  import_id INTEGER NOT NULL REFERENCES import(id), src_line INTEGER"
");"
"CREATE TABLE service ("
"  id TEXT PRIMARY KEY,"
"  staff TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
"  customer TEXT NOT NULL REFERENCES customer(id) DEFERRABLE INITIALLY DEFERRED,"
"  date TEXT NOT NULL, kind TEXT NOT NULL, note TEXT,"
"  import_id INTEGER NOT NULL REFERENCES import(id), src_line INTEGER"
");"
"CREATE TABLE display ("
"  id TEXT PRIMARY KEY,"
"  staff TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
"  customer TEXT NOT NULL REFERENCES customer(id) DEFERRABLE INITIALLY DEFERRED,"
"  date TEXT NOT NULL, position TEXT NOT NULL, pop INTEGER,"
"  import_id INTEGER NOT NULL REFERENCES import(id), src_line INTEGER"
");"
"CREATE TABLE report ("
"  id TEXT PRIMARY KEY,"
"  staff TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
"  customer TEXT NOT NULL REFERENCES customer(id) DEFERRABLE INITIALLY DEFERRED,"
"  kind TEXT NOT NULL, month TEXT NOT NULL,"
"  received TEXT NOT NULL, forwarded TEXT,"
"  import_id INTEGER NOT NULL REFERENCES import(id), src_line INTEGER"
");"
"CREATE TABLE greeting ("
"  id TEXT PRIMARY KEY,"
"  staff TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
"  customer TEXT NOT NULL REFERENCES customer(id) DEFERRABLE INITIALLY DEFERRED,"
"  occasion TEXT NOT NULL, date TEXT NOT NULL,"
"  contact TEXT REFERENCES contact(id) DEFERRABLE INITIALLY DEFERRED,"
"  channel TEXT, identified INTEGER,"
"  import_id INTEGER NOT NULL REFERENCES import(id), src_line INTEGER"
");"
"CREATE TABLE spot_check ("
"  id TEXT PRIMARY KEY,"
"  staff TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
"  customer TEXT NOT NULL REFERENCES customer(id) DEFERRABLE INITIALLY DEFERRED,"
"  date TEXT NOT NULL,"
"  checker TEXT REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
"  contact TEXT REFERENCES contact(id) DEFERRABLE INITIALLY DEFERRED,"
"  rep_knows_name INTEGER, knows_rep_name INTEGER, rep_recites_card INTEGER,"
"  knows_company INTEGER, first_recommend INTEGER,"
"  explains_selling_points INTEGER,"
"  import_id INTEGER NOT NULL REFERENCES import(id), src_line INTEGER"
");"
/* the indexes scoring reads by */
"CREATE INDEX person_manager ON person(manager);"
"CREATE INDEX person_region ON person(region);"
"CREATE INDEX region_parent ON region(parent);"
"CREATE INDEX customer_owner ON customer(owner);"
"CREATE INDEX contact_customer ON contact(customer);"
"CREATE INDEX visit_date ON visit(date);"
"CREATE INDEX service_date ON service(date);"
"CREATE INDEX display_date ON display(date);"
"CREATE INDEX report_month ON report(month);"
"CREATE INDEX greeting_date ON greeting(date);"
"CREATE INDEX spot_check_date ON spot_check(date);",
/* 2: results of `keqing score`, per period (scoring a period again
 * replaces its rows; earlier periods stay for trends).  Figures are kept
 * at full precision; rounding happens when they are shown. */
"CREATE TABLE score_run ("
"  period TEXT PRIMARY KEY,"        /* 'YYYY-MM' */
"  persons INTEGER NOT NULL,"       /* assessed */
"  scored INTEGER NOT NULL,"        /* with a total */
"  risks INTEGER NOT NULL"
");"
"CREATE TABLE score_indicator ("
"  period TEXT NOT NULL, person TEXT NOT NULL,"
"  indicator TEXT NOT NULL,"        /* A1..C6 */
"  numerator REAL NOT NULL, denominator REAL NOT NULL,"
"  rate REAL,"                      /* NULL when not applicable */
"  target REAL NOT NULL, floor REAL NOT NULL, weight REAL NOT NULL,"
"  score REAL,"                     /* NULL when not applicable */
"  applicable INTEGER NOT NULL,"
"  PRIMARY KEY (period, person, indicator)"
") WITHOUT ROWID;"
"CREATE TABLE score_total ("
"  period TEXT NOT NULL, person TEXT NOT NULL,"
"  name TEXT NOT NULL, role TEXT NOT NULL, role_label TEXT NOT NULL,"
"  region TEXT NOT NULL, manager TEXT,"
"  status TEXT NOT NULL CHECK (status IN ('active','left')),"
"  own REAL, team REAL, total REAL,"  /* NULL when N/A */
"  grade TEXT, rank INTEGER,"         /* NULL without a total */
"  PRIMARY KEY (period, person)"
") WITHOUT ROWID;"
"CREATE TABLE score_region ("     /* one row per region node, subtree */
"  period TEXT NOT NULL, region TEXT NOT NULL,"
"  name TEXT NOT NULL, parent TEXT,"
"  people INTEGER NOT NULL, scored INTEGER NOT NULL,"
"  mean_total REAL, median_total REAL,"
"  mom_change REAL,"                /* mean_total minus the previous
                                       period's, when that is stored */
"  PRIMARY KEY (period, region)"
") WITHOUT ROWID;"
"CREATE TABLE score_region_role ("
"  period TEXT NOT NULL, region TEXT NOT NULL, role TEXT NOT NULL,"
"  people INTEGER NOT NULL,"
"  PRIMARY KEY (period, region, role)"
") WITHOUT ROWID;"
"CREATE TABLE score_region_grade ("
"  period TEXT NOT NULL, region TEXT NOT NULL, grade TEXT NOT NULL,"
"  people INTEGER NOT NULL,"
"  PRIMARY KEY (period, region, grade)"
") WITHOUT ROWID;"
"CREATE TABLE score_region_indicator ("  /* pooled: sums over people */
"  period TEXT NOT NULL, region TEXT NOT NULL, indicator TEXT NOT NULL,"
"  numerator REAL NOT NULL, denominator REAL NOT NULL, rate REAL,"
"  PRIMARY KEY (period, region, indicator)"
") WITHOUT ROWID;"
"CREATE TABLE score_risk ("
"  period TEXT NOT NULL,"
"  kind TEXT NOT NULL CHECK (kind IN ('single_thread','handover')),"
"  customer TEXT NOT NULL, region TEXT NOT NULL,"
"  owner TEXT NOT NULL,"            /* at period_end / the new owner */
"  from_staff TEXT, since TEXT,"    /* from_staff: handover only; since:
                                       the handover's date - from schema
                                       5 also single_thread: 'YYYY-MM' */
"  count INTEGER NOT NULL,"         /* contacts with a passed check /
                                       key contacts without a valid card */
"  keys INTEGER NOT NULL,"          /* key contacts of the customer */
"  PRIMARY KEY (period, kind, customer)"
") WITHOUT ROWID;"
"CREATE INDEX score_risk_region ON score_risk(period, region);",
/* 3: the registry of issued documents (store_registry.h, doc/archive.md).
 * One row per document number.  A number is allocated ('allocated') for
 * a period's document before it is rendered, becomes 'issued' with the
 * file's sha256 and size once the file stands under its final name, and
 * 'superseded' (by superseded_by) when a correction or a new template
 * re-issues the document under a new number.  Numbers are never reused.
 * At most one entry per (period, kind, subject) is not superseded. */
"CREATE TABLE document ("
"  number TEXT PRIMARY KEY,"        /* 'KQ-YYYYMM-NNNNNN' */
"  period TEXT NOT NULL,"           /* 'YYYY-MM' */
"  seq INTEGER NOT NULL,"           /* the NNNNNN, 1.. per period */
"  kind TEXT NOT NULL CHECK (kind IN ('person','region','packet')),"
"  subject TEXT NOT NULL,"          /* person or region id */
"  path TEXT NOT NULL,"             /* relative to OUT/YYYY-MM */
"  template TEXT NOT NULL,"         /* template version (sha256) */
"  data_hash TEXT NOT NULL,"        /* sha256 of the data rendered */
"  sha256 TEXT, bytes INTEGER,"     /* of the file; NULL until issued */
"  status TEXT NOT NULL"
"    CHECK (status IN ('allocated','issued','superseded')),"
"  superseded_by TEXT REFERENCES document(number)"
"    DEFERRABLE INITIALLY DEFERRED,"
"  UNIQUE (period, seq)"
");"
"CREATE UNIQUE INDEX document_current ON document(period, kind, subject)"
"  WHERE status <> 'superseded';"
"CREATE INDEX document_sha256 ON document(sha256);",
/* 4: the registry's identity, each document's provenance, the order of
 * the roles (doc/archive.md).  registry.id is 12 upper-case hex digits
 * derived from the first export imported into the database (so the same
 * first export gives the same documents, byte for byte); it is written by
 * the first import and travels in every document's Info and QR code.
 * document.source is the sha256 of the export that was the period's
 * newest when the document was issued: the state of the data it shows.
 * Documents issued before schema 4 printed the period's first export:
 * that is what they keep.  score_role holds the roles of a scored period
 * in the order of the management hierarchy (score.c). */
"CREATE TABLE registry ("
"  id TEXT NOT NULL CHECK (length(id) = 12),"
"  first_export TEXT NOT NULL"       /* sha256 of the file it came from */
");"
"ALTER TABLE document ADD COLUMN source TEXT;"
"UPDATE document SET source = (SELECT i.sha256 FROM import i"
"  WHERE i.period = document.period ORDER BY i.id LIMIT 1);"
"CREATE TABLE score_role ("
"  period TEXT NOT NULL, role TEXT NOT NULL, label TEXT NOT NULL,"
"  pos INTEGER NOT NULL,"            /* 1 = the top of the hierarchy */
"  PRIMARY KEY (period, role)"
") WITHOUT ROWID;",
/* 5: every scoring rule stored as a result (doc/rules.md "Regions"), so
 * that rendering only reads: each region's responsible manager, each
 * pooled indicator's target (the denominator-weighted mean of the
 * members' targets), the ranking of every subtree, and since when a
 * single-threaded VIP customer has been at risk (score_risk.since, now
 * "YYYY-MM" for those).  score_run.results is the layout of a period's
 * result rows (store_results.h, STORE_RESULTS_VERSION): periods scored
 * before schema 5 have 0 and must be scored again before they are
 * rendered - scoring the same data again gives the same figures. */
"ALTER TABLE score_run ADD COLUMN results INTEGER NOT NULL DEFAULT 0;"
"ALTER TABLE score_region ADD COLUMN manager TEXT;"
"ALTER TABLE score_region_indicator ADD COLUMN target REAL;"
"CREATE TABLE score_region_rank ("  /* the persons with a total of the
                                       region's subtree, ranked */
"  period TEXT NOT NULL, region TEXT NOT NULL, person TEXT NOT NULL,"
"  rank INTEGER NOT NULL,"          /* 1..; ties share (1, 2, 2, 4) */
"  PRIMARY KEY (period, region, person)"
") WITHOUT ROWID;",
/* 6: the signed copies coming back (doc/archive.md "The signed copies
 * come back", issue 14).  document.pages: the pages that carry the
 * document's number and page code (a packet's: its summary's); NULL for
 * documents issued before schema 6, which have no page codes.
 * document_box: where the codes and the signature fields were drawn
 * (points from the page's top-left corner; page 0: every page).  scan:
 * each file received, kept whole under OUT/received/; scan_page: what
 * each of its pages was found to be.  signed_copy: the archive's signed
 * copies, OUT/YYYY-MM/signed/NUMBER.pdf and NUMBER-V.pdf for later
 * versions; a version is never replaced. */
"ALTER TABLE document ADD COLUMN pages INTEGER;"
"CREATE TABLE document_box ("
"  number TEXT NOT NULL REFERENCES document(number),"
"  page INTEGER NOT NULL,"
"  box TEXT NOT NULL,"
"  x0 REAL NOT NULL, y0 REAL NOT NULL, x1 REAL NOT NULL, y1 REAL NOT NULL,"
"  PRIMARY KEY (number, page, box)"
") WITHOUT ROWID;"
"CREATE TABLE scan ("
"  sha256 TEXT PRIMARY KEY,"
"  seq INTEGER NOT NULL UNIQUE,"    /* 1.. in the order received */
"  name TEXT NOT NULL,"             /* the file name it was given as */
"  received TEXT NOT NULL,"         /* YYYY-MM-DD */
"  pages INTEGER NOT NULL,"
"  path TEXT NOT NULL"              /* its copy, relative to OUT */
") WITHOUT ROWID;"
"CREATE TABLE scan_page ("
"  scan TEXT NOT NULL REFERENCES scan(sha256),"
"  page INTEGER NOT NULL,"          /* 1.. in the file */
"  state TEXT NOT NULL CHECK (state IN ('current','outdated','foreign',"
"    'no code','unreadable')),"
"  number TEXT REFERENCES document(number),"  /* NULL: unmatched */
"  doc_page INTEGER,"
"  signed TEXT NOT NULL DEFAULT '',"    /* fields with ink: "a,b" */
"  blank TEXT NOT NULL DEFAULT '',"     /* fields without */
"  path TEXT,"                       /* unmatched: its page file, rel. OUT */
"  PRIMARY KEY (scan, page)"
") WITHOUT ROWID;"
"CREATE INDEX scan_page_number ON scan_page(number, doc_page);"
"CREATE TABLE signed_copy ("
"  number TEXT NOT NULL REFERENCES document(number),"
"  version INTEGER NOT NULL,"       /* 1.. */
"  path TEXT NOT NULL,"             /* relative to OUT/YYYY-MM */
"  sha256 TEXT NOT NULL, bytes INTEGER NOT NULL,"
"  pages TEXT NOT NULL,"            /* per page of the document, the scan
                                       page it holds: "SHA16:P,..." or "-" */
"  complete INTEGER NOT NULL,"      /* every page present */
"  signed TEXT NOT NULL,"           /* the fields with ink */
"  missing TEXT NOT NULL,"          /* the fields without */
"  received TEXT NOT NULL,"
"  PRIMARY KEY (number, version)"
") WITHOUT ROWID;",
/* 7: the superseded numbers of a document found by its subject (a scan
 * of an outdated issue, store_signed.c) without reading every document of
 * the period: one lookup per document the region summaries list. */
"CREATE INDEX document_superseded ON document(period, kind, subject)"
"  WHERE status = 'superseded';",
NULL
};

const int store_schema_version =
    (int)(sizeof store_migrations / sizeof store_migrations[0]) - 1;
