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
