# t_cli -- the command-line surface: help, version, usage errors.
expect_exit 0 "$KEQING" --help
expect_grep '^Usage: keqing COMMAND' out.txt
expect_grep 'import' out.txt
expect_exit 0 "$KEQING" --version
expect_grep '^keqing [0-9]' out.txt
expect_exit 64 "$KEQING"
expect_exit 64 "$KEQING" frobnicate
expect_grep "unknown command 'frobnicate'" err.txt
