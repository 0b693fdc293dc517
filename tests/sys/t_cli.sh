# t_cli -- the command-line surface: help, version, usage errors.
expect_exit 0 "$KEQING" --help
expect_grep '^Usage: keqing COMMAND' out.txt
expect_grep 'import' out.txt
expect_exit 0 "$KEQING" --version
expect_grep '^keqing [0-9]' out.txt
expect_exit 64 "$KEQING"
expect_exit 64 "$KEQING" frobnicate
expect_grep "unknown command 'frobnicate'" err.txt
# every command has --help, and the man page describes every command
for c in $("$KEQING" --help | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1}'); do
    expect_exit 0 "$KEQING" "$c" --help
    expect_grep "$c" out.txt
    grep -q "^\.B keqing $c" "$SRC/doc/keqing.1" || fail "man page lacks command $c"
done
# one option parser for every command (cli_parse): the same mistake gets
# the same message everywhere, on stderr, status 64, nothing on stdout
for c in sample import score explain render run verify fonts; do
    expect_exit 64 "$KEQING" "$c" --frobnicate
    expect_grep "^keqing: $c: unknown option '--frobnicate'\$" err.txt
    expect_grep "^Try 'keqing $c --help'.\$" err.txt
    [ ! -s out.txt ] || fail "$c: usage error wrote to stdout"
    expect_exit 0 "$KEQING" "$c" -h
    expect_grep "^Usage: keqing $c" out.txt
done
for c in import score explain render run verify fonts; do
    expect_exit 64 "$KEQING" "$c" --db
    expect_grep "^keqing: $c: --db needs a value\$" err.txt
done
for c in score explain render run fonts; do
    expect_exit 64 "$KEQING" "$c" --period=2026-13
    expect_grep "^keqing: $c: --period '2026-13' is not a month YYYY-MM\$" err.txt
done
for c in sample score explain render fonts; do
    expect_exit 64 "$KEQING" "$c" --period 2026-10 stray
    expect_grep "^keqing: $c: unexpected argument 'stray'\$" err.txt
done
for c in "score" "render --jobs 2" "run x.xml"; do
    # shellcheck disable=SC2086 # $c is a command and its arguments
    expect_exit 64 "$KEQING" $c
    expect_grep "^keqing: ${c%% *}: --period YYYY-MM is required\$" err.txt
done
expect_exit 64 "$KEQING" explain --period 2026-10
expect_grep "^keqing: explain: --person ID is required\$" err.txt
expect_exit 64 "$KEQING" render --period 2026-10 --jobs 0
expect_grep "^keqing: render: --jobs '0' is not a number 1..256\$" err.txt
expect_exit 64 "$KEQING" run x.xml --period 2026-10 --jobs=257
expect_grep "^keqing: run: --jobs '257' is not a number 1..256\$" err.txt
expect_exit 64 "$KEQING" score --period 2026-10 --allow-empty=yes
expect_grep "^keqing: score: --allow-empty takes no value\$" err.txt
# options after the positional arguments, and -- before one that starts
# with a dash
expect_exit 64 "$KEQING" import
expect_grep "^keqing: import: no input FILE given\$" err.txt
expect_exit 66 "$KEQING" import -- --db
expect_grep "^keqing: --db: cannot read" err.txt
expect_exit 64 "$KEQING" verify --db x.db
expect_grep "^keqing: verify: no FILE given\$" err.txt
