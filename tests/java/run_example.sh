#!/usr/bin/env bash
# Compiles and runs examples/java/PmlExample.java against the built jar exactly as its comment
# tells a user to (javac/java -cp the jar, no java.library.path), so the example cannot rot.
# Usage: run_example.sh <javac> <java> <pml jar> <example source> <data.csv> <algorithm>
set -euo pipefail
javac=$1 java=$2 jar=$3 source=$4 data=$5 algorithm=$6
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$javac" -Xlint:all -Werror -cp "$jar" -d "$work" "$source"
out=$("$java" -cp "$jar:$work" PmlExample "$data" "$algorithm")
printf '%s\n' "$out"
grep -q "test accuracy" <<<"$out"
grep -q "same predictions from 4 threads" <<<"$out"
grep -q "saved and reloaded: $algorithm, same predictions" <<<"$out"
