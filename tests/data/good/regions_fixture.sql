-- regions_fixture.sql -- hand-made stored results for the region sheet
-- and packet unit tests (tests/unit/check_region.c, check_packet.c).
-- Run on a fresh keqing database (schema 5: every rule's outcome is a
-- stored result - managers, targets, rankings, risk dates; score_region.c
-- computes them, check_score.c tests that).  The figures are chosen so
-- that the expected output can be worked out by hand:
--   CN 全国 > EAST 华东大区 > EAST-JS 江苏省区, EAST-ZJ 浙江省区
--   EAST-ZJ: 6 assessed, totals 95 92.5 85 85 78.2 55 (mean 81.78,
--     median 85, last month 80 -> +1.78); 2 of 6 优秀 > 20% quota (max 1);
--     ranks 1 2 3 3 5 6; manager M1 (no manager, 5 reports);
--     A1 8/10 (target (4x1 + 6x0.9)/10 = 94%, last month 70%),
--     A2 9/10 (target 90%), B1 5/10 (target 100%, last month 60%):
--     weakest B1 (-50 points) and A1 (-14 points);
--     risks: handover C2 (since 2026-09-20), single-threaded C1 (flagged
--     in 2026-09 and 2026-10, not 2026-08: since 2026-09).
--   EAST-JS: J1 88, J2 without a total; single-threaded C3 (since 2026-10).
--   EAST and CN: the ranking of all eight (J1 third, J2 unranked), no
--     manager (M1 and J1 both at the top), A1 target 94% without a pooled
--     rate of their own.
INSERT INTO import(id, file, sha256, bytes, company, period, started)
  VALUES (1, 'fixture.xml',
  '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 1,
  '示例医药有限公司', '2026-10', '2026-11-01T00:00:00Z');
INSERT INTO region VALUES ('CN', '全国', NULL, 1, 1),
  ('EAST', '华东大区', 'CN', 1, 2), ('EAST-ZJ', '浙江省区', 'EAST', 1, 3),
  ('EAST-JS', '江苏省区', 'EAST', 1, 4);
INSERT INTO person VALUES
  ('M1', '王建国', 'province_manager', 'EAST-ZJ', '2019-03-01', NULL, NULL, 1, 10),
  ('Z1', '李娜', 'sales_rep', 'EAST-ZJ', '2020-01-01', 'M1', NULL, 1, 11),
  ('Z2', '赵磊', 'sales_rep', 'EAST-ZJ', '2020-01-01', 'M1', NULL, 1, 12),
  ('Z3', '孙丽', 'sales_rep', 'EAST-ZJ', '2020-01-01', 'M1', NULL, 1, 13),
  ('Z4', '周强', 'sales_rep', 'EAST-ZJ', '2020-01-01', 'M1', NULL, 1, 14),
  ('Z5', '吴敏', 'sales_rep', 'EAST-ZJ', '2020-01-01', 'M1', '2026-10-20', 1, 15),
  ('J1', '陈刚', 'province_manager', 'EAST-JS', '2018-05-01', NULL, NULL, 1, 16),
  ('J2', '郑芳', 'sales_rep', 'EAST-JS', '2026-10-25', 'J1', NULL, 1, 17);
INSERT INTO customer VALUES
  ('C1', '杭州百姓大药房', 'terminal', 'VIP', 'EAST-ZJ', 'Z1', NULL, NULL, 1, 20),
  ('C2', '宁波海王星辰', 'terminal', 'VIP', 'EAST-ZJ', 'Z2', NULL, NULL, 1, 21),
  ('C3', '南京医药', 'channel', 'VIP', 'EAST-JS', 'J1', NULL, NULL, 1, 22);
INSERT INTO score_run VALUES ('2026-08', 8, 7, 0, 1), ('2026-09', 8, 7, 1, 1),
  ('2026-10', 8, 7, 3, 1);
INSERT INTO score_total VALUES
  ('2026-10', 'M1', '王建国', 'province_manager', '省经理', 'EAST-ZJ', NULL, 'active', 70, 83.666667, 78.2, '合格', 5),
  ('2026-10', 'Z1', '李娜', 'sales_rep', '业代', 'EAST-ZJ', 'M1', 'active', 95, NULL, 95, '优秀', 1),
  ('2026-10', 'Z2', '赵磊', 'sales_rep', '业代', 'EAST-ZJ', 'M1', 'active', 92.5, NULL, 92.5, '优秀', 2),
  ('2026-10', 'Z3', '孙丽', 'sales_rep', '业代', 'EAST-ZJ', 'M1', 'active', 85, NULL, 85, '良好', 3),
  ('2026-10', 'Z4', '周强', 'sales_rep', '业代', 'EAST-ZJ', 'M1', 'active', 85, NULL, 85, '良好', 3),
  ('2026-10', 'Z5', '吴敏', 'sales_rep', '业代', 'EAST-ZJ', 'M1', 'left', 55, NULL, 55, '不合格', 6),
  ('2026-10', 'J1', '陈刚', 'province_manager', '省经理', 'EAST-JS', NULL, 'active', 88, NULL, 88, '良好', 1),
  ('2026-10', 'J2', '郑芳', 'sales_rep', '业代', 'EAST-JS', 'J1', 'active', NULL, NULL, NULL, NULL, NULL);
INSERT INTO score_indicator VALUES
  ('2026-10', 'Z1', 'A1', 4, 4, 1.0, 1.0, 0, 8, 8, 1),
  ('2026-10', 'Z1', 'A2', 9, 10, 0.9, 0.9, 0, 8, 8, 1),
  ('2026-10', 'Z1', 'B1', 5, 10, 0.5, 1.0, 0, 10, 5, 1),
  ('2026-10', 'M1', 'A1', 4, 6, 0.666667, 0.9, 0, 15, 11.111111, 1),
  ('2026-10', 'M1', 'C1', 0, 0, NULL, 1.0, 0, 5, NULL, 0);
INSERT INTO score_region VALUES
  ('2026-10', 'CN', '全国', NULL, 8, 7, 82.671429, 85, NULL, NULL),
  ('2026-10', 'EAST', '华东大区', 'CN', 8, 7, 82.671429, 85, NULL, NULL),
  ('2026-10', 'EAST-ZJ', '浙江省区', 'EAST', 6, 6, 81.783333, 85, 1.783333, 'M1'),
  ('2026-10', 'EAST-JS', '江苏省区', 'EAST', 2, 1, 88, 88, NULL, 'J1'),
  ('2026-09', 'EAST-ZJ', '浙江省区', 'EAST', 6, 6, 80, 80, NULL, 'M1'),
  ('2026-08', 'EAST-ZJ', '浙江省区', 'EAST', 6, 6, 76.5, 77, NULL, 'M1');
INSERT INTO score_region_role VALUES
  ('2026-10', 'EAST-ZJ', 'province_manager', 1),
  ('2026-10', 'EAST-ZJ', 'sales_rep', 5),
  ('2026-10', 'EAST-ZJ', 'terminal_staff', 0),
  ('2026-10', 'EAST-JS', 'province_manager', 1),
  ('2026-10', 'EAST-JS', 'sales_rep', 1),
  ('2026-10', 'EAST', 'province_manager', 2),
  ('2026-10', 'EAST', 'sales_rep', 6),
  ('2026-10', 'CN', 'province_manager', 2),
  ('2026-10', 'CN', 'sales_rep', 6);
INSERT INTO score_region_grade VALUES
  ('2026-10', 'EAST-ZJ', '优秀', 2), ('2026-10', 'EAST-ZJ', '良好', 2),
  ('2026-10', 'EAST-ZJ', '合格', 1), ('2026-10', 'EAST-ZJ', '待改进', 0),
  ('2026-10', 'EAST-ZJ', '不合格', 1),
  ('2026-10', 'EAST-JS', '良好', 1),
  ('2026-10', 'EAST', '优秀', 2), ('2026-10', 'EAST', '良好', 3),
  ('2026-10', 'EAST', '合格', 1), ('2026-10', 'EAST', '不合格', 1),
  ('2026-10', 'CN', '优秀', 2), ('2026-10', 'CN', '良好', 3),
  ('2026-10', 'CN', '合格', 1), ('2026-10', 'CN', '不合格', 1);
INSERT INTO score_region_indicator VALUES
  ('2026-10', 'EAST-ZJ', 'A1', 8, 10, 0.8, 0.94),
  ('2026-10', 'EAST-ZJ', 'A2', 9, 10, 0.9, 0.9),
  ('2026-10', 'EAST-ZJ', 'B1', 5, 10, 0.5, 1.0),
  ('2026-10', 'EAST-ZJ', 'C1', 0, 0, NULL, NULL),
  ('2026-10', 'EAST', 'A1', 0, 0, NULL, 0.94),
  ('2026-10', 'CN', 'A1', 0, 0, NULL, 0.94),
  ('2026-09', 'EAST-ZJ', 'A1', 7, 10, 0.7, 0.94),
  ('2026-09', 'EAST-ZJ', 'B1', 6, 10, 0.6, 1.0);
INSERT INTO score_region_rank VALUES
  ('2026-10', 'EAST-ZJ', 'Z1', 1), ('2026-10', 'EAST-ZJ', 'Z2', 2),
  ('2026-10', 'EAST-ZJ', 'Z3', 3), ('2026-10', 'EAST-ZJ', 'Z4', 3),
  ('2026-10', 'EAST-ZJ', 'M1', 5), ('2026-10', 'EAST-ZJ', 'Z5', 6),
  ('2026-10', 'EAST-JS', 'J1', 1),
  ('2026-10', 'EAST', 'Z1', 1), ('2026-10', 'EAST', 'Z2', 2),
  ('2026-10', 'EAST', 'J1', 3), ('2026-10', 'EAST', 'Z3', 4),
  ('2026-10', 'EAST', 'Z4', 4), ('2026-10', 'EAST', 'M1', 6),
  ('2026-10', 'EAST', 'Z5', 7),
  ('2026-10', 'CN', 'Z1', 1), ('2026-10', 'CN', 'Z2', 2),
  ('2026-10', 'CN', 'J1', 3), ('2026-10', 'CN', 'Z3', 4),
  ('2026-10', 'CN', 'Z4', 4), ('2026-10', 'CN', 'M1', 6),
  ('2026-10', 'CN', 'Z5', 7);
INSERT INTO score_risk VALUES
  ('2026-10', 'handover', 'C2', 'EAST-ZJ', 'Z2', 'Z1', '2026-09-20', 2, 2),
  ('2026-10', 'single_thread', 'C1', 'EAST-ZJ', 'Z1', NULL, '2026-09', 1, 3),
  ('2026-10', 'single_thread', 'C3', 'EAST-JS', 'J1', NULL, '2026-10', 0, 2),
  ('2026-09', 'single_thread', 'C1', 'EAST-ZJ', 'Z1', NULL, '2026-09', 1, 3);
