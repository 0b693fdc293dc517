#!/usr/bin/env node
/* lunar_crosscheck -- festival dates 1990..2100 from npm calendar libraries,
 * printed like `tools/lunar_table.py --list` so the two can be diffed.
 *
 * Verification only; nothing in keqing uses these libraries.  In a scratch
 * folder (never in the repository):
 *   npm install lunar-javascript@1.7.7 solarlunar@3.1.0 lunisolar@2.6.0
 *   NODE_PATH=$PWD/node_modules node tools/lunar_crosscheck.js lunar-javascript
 * See doc/calendar.md for the results.
 */
'use strict';
const pad = (n) => String(n).padStart(2, '0');
const iso = (y, m, d) => `${y}-${pad(m)}-${pad(d)}`;

/* Each returns [春节, 清明, 端午, 中秋] of Gregorian year y. */
const sources = {
  'lunar-javascript'(y) {
    const { Lunar } = require('lunar-javascript');
    const at = (m, d) => Lunar.fromYmd(y, m, d).getSolar().toYmd();
    const qm = Lunar.fromYmd(y, 3, 1).getJieQiTable()['清明'].toYmd();
    return [at(1, 1), qm, at(5, 5), at(8, 15)];
  },
  solarlunar(y) {
    const m = require('solarlunar');
    const L = m.default || m;
    const at = (mm, d) => {
      const r = L.lunar2solar(y, mm, d, false);
      return iso(r.cYear, r.cMonth, r.cDay);
    };
    const qm = [3, 4, 5, 6, 7].find((d) => L.solar2lunar(y, 4, d).term === '清明');
    return [at(1, 1), iso(y, 4, qm), at(5, 5), at(8, 15)];
  },
  lunisolar(y) {
    const lunisolar = require('lunisolar');
    const at = (mm, d) => lunisolar.fromLunar({ year: y, month: mm, day: d }).format('YYYY-MM-DD');
    const qm = [3, 4, 5, 6, 7].find((d) => {
      const t = lunisolar(iso(y, 4, d)).solarTerm;
      return t && t.toString() === '清明';
    });
    return [at(1, 1), iso(y, 4, qm), at(5, 5), at(8, 15)];
  },
};

const name = process.argv[2];
if (!sources[name]) {
  console.error(`usage: lunar_crosscheck.js ${Object.keys(sources).join('|')}`);
  process.exit(64);
}
for (let y = 1990; y <= 2100; y++) console.log(y, ...sources[name](y));
