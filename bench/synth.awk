# synth.awk -- a synthetic canonical export for the import benchmark, used
# until/unless `keqing sample` is available.  Deterministic (no rand seed
# from the clock).  Usage: awk -v staff=N -f bench/synth.awk > big.xml
# Per person: 1 person, 20 customers with 2 contacts each (every 10th with
# a handover), 40 cards and 140 activities: about 241 records.
function d(n) { return sprintf("2026-10-%02d", (n % 28) + 1) }
BEGIN {
    if (staff == "") staff = 100
    srand(1)
    print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    print "<export xmlns=\"urn:keqing:erp:1\" company=\"合成医药有限公司\" period=\"2026-10\" exported=\"2026-11-03T09:00:00+08:00\">"
    print "  <regions>"
    print "    <region id=\"CN\" name=\"全国\"/>"
    for (r = 0; r < 10; r++)
        printf "    <region id=\"R%d\" name=\"大区%d\" parent=\"CN\"/>\n", r, r
    print "  </regions>"
    print "  <staff>"
    for (p = 0; p < staff; p++) {
        mgr = (p % 10 == 0) ? "" : sprintf(" manager=\"E%05d\"", p - p % 10)
        printf "    <person id=\"E%05d\" name=\"员工%d\" role=\"sales_rep\" region=\"R%d\" hired=\"2020-01-15\"%s/>\n", p, p, p % 10, mgr
    }
    print "  </staff>"
    print "  <customers>"
    for (p = 0; p < staff; p++)
        for (c = 0; c < 20; c++) {
            id = p * 20 + c
            printf "    <customer id=\"C%07d\" name=\"百姓大药房(%d店)\" type=\"terminal\" grade=\"A\" region=\"R%d\" owner=\"E%05d\" founded=\"2008-05-18\">\n", id, id, p % 10, p
            printf "      <contact id=\"K%07da\" name=\"陈晓燕\" position=\"店长\" key=\"true\" since=\"2025-01-01\" birthday=\"03-12\"/>\n", id
            printf "      <contact id=\"K%07db\" name=\"周强\" position=\"采购\" key=\"false\"/>\n", id
            if (c % 10 == 0 && p > 0)
                printf "      <handover from=\"E%05d\" to=\"E%05d\" date=\"2026-10-21\"/>\n", p - 1, p
            print "    </customer>"
        }
    print "  </customers>"
    print "  <cards>"
    for (id = 0; id < staff * 20; id++) {
        printf "    <card contact=\"K%07da\" created=\"2025-01-20\" updated=\"2026-10-02\" phones=\"office mobile home\" family=\"3\" interests=\"true\"/>\n", id
        printf "    <card contact=\"K%07db\" created=\"2025-02-20\" phones=\"mobile\"/>\n", id
    }
    print "  </cards>"
    print "  <activities>"
    n = 0
    for (p = 0; p < staff; p++)
        for (a = 0; a < 20; a++) {
            c = p * 20 + a
            printf "    <visit id=\"V%08d\" staff=\"E%05d\" customer=\"C%07d\" contact=\"K%07da\" date=\"%s\" purpose=\"新品陈列沟通\"/>\n", n++, p, c, c, d(a)
            printf "    <visit id=\"V%08d\" staff=\"E%05d\" customer=\"C%07d\" date=\"%s\"/>\n", n++, p, c, d(a + 7)
            printf "    <visit id=\"V%08d\" staff=\"E%05d\" customer=\"C%07d\" contact=\"K%07db\" date=\"%s\" purpose=\"回款\"/>\n", n++, p, c, c, d(a + 3)
            printf "    <service id=\"S%08d\" staff=\"E%05d\" customer=\"C%07d\" date=\"%s\" kind=\"complaint\">处理退货投诉</service>\n", n++, p, c, d(a)
            printf "    <display id=\"D%08d\" staff=\"E%05d\" customer=\"C%07d\" date=\"%s\" position=\"best\" pop=\"true\"/>\n", n++, p, c, d(a)
            printf "    <report id=\"R%08d\" staff=\"E%05d\" customer=\"C%07d\" kind=\"competitor\" month=\"2026-10\" received=\"%s\" forwarded=\"%s\"/>\n", n++, p, c, d(a), d(a + 1)
            printf "    <greeting id=\"G%08d\" staff=\"E%05d\" customer=\"C%07d\" contact=\"K%07da\" occasion=\"national_day\" date=\"2026-09-30\" channel=\"sms\" identified=\"true\"/>\n", n++, p, c, c
        }
    print "  </activities>"
    print "</export>"
}
