#!/usr/bin/env bash
# pml's PostgreSQL extension keeps one user from exhausting the server, on a throw-away cluster:
# - pml.max_threads, pml.max_memory_mb and pml.model_cache_size are superuser-only: an ordinary
#   role's SET is refused with 42501; their defaults are the machine's cores and a quarter of its
#   memory;
# - n_jobs above pml.max_threads is lowered to it with a NOTICE, and the backend is left with no
#   more threads than that (pml's workers stay in the backend after training);
# - a training whose memory passes pml.max_memory_mb fails with 53200 and names the setting, even
#   when the user's own max_memory_mb asks for more;
# - pg_cancel_backend and pg_terminate_backend stop a training within 2 s of the signal, where
#   the training is one tree that takes far longer than that and no progress is reported before
#   it is grown.
# Usage: test_limits.sh <build-dir> <source-dir>
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
here="$src/tests/postgresql"
# shellcheck source=pg_cluster.sh
source "$here/pg_cluster.sh"

pg_throwaway_cluster "$build" "$src" limits

sql <<'SQL'
CREATE EXTENSION pml;
CREATE ROLE alice LOGIN;
CREATE TABLE small AS
  SELECT i % 3 AS label, (i % 7)::float8 AS a, (i % 11)::float8 AS b FROM generate_series(1, 3000) i;
CREATE TABLE medium AS
  SELECT (random() < 0.5)::int AS label, random() AS a, random() AS b, random() AS c, random() AS d
  FROM generate_series(1, 20000);
CREATE TABLE large AS SELECT * FROM medium, generate_series(1, 10);
GRANT SELECT ON small, medium TO alice;
SQL

# --- the settings: superuser-only, with the machine's defaults
for setting in pml.max_threads pml.max_memory_mb pml.model_cache_size; do
  # pml_version() loads the module first, so the setting is pml's and not a placeholder.
  refused=$(sql -U alice -c "SELECT pml_version()" -c "SET $setting = 1" 2>&1 || true)
  grep -q "permission denied to set parameter \"$setting\"" <<<"$refused" ||
    fail "an ordinary role could SET $setting: $refused"
  sql -c "SELECT pml_version()" -c "SET $setting = 1" >/dev/null ||
    fail "a superuser could not SET $setting"
done
echo "ok: an ordinary role cannot SET pml.max_threads, pml.max_memory_mb or pml.model_cache_size"
defaults=$(sql -c "SELECT pml_version()" -c "SELECT string_agg(setting || coalesce(unit, ''), ' ' ORDER BY name)
  FROM pg_settings WHERE name IN ('pml.max_memory_mb', 'pml.max_threads')" | tail -n 1)
expected="$(($(getconf _PHYS_PAGES) * $(getconf PAGESIZE) / 4 / 1048576))MB $(getconf _NPROCESSORS_ONLN)"
[[ $defaults == "$expected" ]] ||
  fail "pml.max_threads and pml.max_memory_mb default to '$defaults', expected '$expected'"
echo "ok: pml.max_threads and pml.max_memory_mb default to the cores and a quarter of memory ($defaults)"

# --- n_jobs above pml.max_threads: lowered, with a NOTICE; the backend keeps one thread
clamped=$(sql -U alice 2>&1 <<'SQL'
SELECT length(pml_train('forest', 'n_trees=16 n_jobs=64 seed=1', 'small', 'label')) > 0;
SQL
)
grep -q "NOTICE:  pml: n_jobs=64 is more than pml.max_threads allows: training with $(getconf _NPROCESSORS_ONLN) threads" \
  <<<"$clamped" || fail "n_jobs=64 was not lowered to pml.max_threads with a NOTICE: $clamped"
threads=$(sql 2>&1 <<'SQL'
SET pml.max_threads = 1;
SELECT length(pml_train('forest', 'n_trees=16 n_jobs=64 seed=1', 'small', 'label')) > 0;
SELECT substring(pg_read_file('/proc/self/status') FROM 'Threads:\s*(\d+)');
SQL
)
grep -q "NOTICE:  pml: n_jobs=64 is more than pml.max_threads allows: training with 1 thread" \
  <<<"$threads" && [[ $(tail -n 1 <<<"$threads") == 1 ]] ||
  fail "with pml.max_threads = 1, n_jobs=64 should train on the backend's thread alone: $threads"
echo "ok: n_jobs above pml.max_threads is lowered with a NOTICE, and no worker thread is left behind"

# --- pml.max_memory_mb: a ceiling the user's max_memory_mb cannot raise, on pml's training memory
# (a forest of 100 trees on 20,000 rows with random labels) and on the rows read (200,000)
refused=$(sql -U alice 2>&1 <<'SQL' || true
SELECT length(pml_train('forest', 'n_trees=100 max_memory_mb=100000', 'medium', 'label')) > 0;
SQL
)
[[ $refused == t ]] || fail "the forest should train under the default pml.max_memory_mb: $refused"
refused=$(sql 2>&1 <<'SQL' || true
SET pml.max_memory_mb = 1;
SELECT length(pml_train('forest', 'n_trees=100 max_memory_mb=100000', 'medium', 'label'));
SQL
)
grep -q "ERROR:  pml: .*forest: max_memory_mb=1 is not enough" <<<"$refused" &&
  grep -q "HINT:  pml.max_memory_mb, the server's ceiling on training memory, is 1 MB" <<<"$refused" ||
  fail "a training over pml.max_memory_mb did not fail with a clear error: $refused"
refused=$(sql 2>&1 <<'SQL' || true
SET pml.max_memory_mb = 1;
SELECT length(pml_train('forest', 'n_trees=1', 'large', 'label'));
SQL
)
grep -q "ERROR:  pml: the rows read pass pml.max_memory_mb at row" <<<"$refused" &&
  grep -q "HINT:  pml.max_memory_mb, the server's ceiling on training memory, is 1 MB" <<<"$refused" ||
  fail "rows over pml.max_memory_mb were read: $refused"
state=$(sql 2>&1 <<'SQL'
SET pml.max_memory_mb = 1;
DO $$ BEGIN
  PERFORM pml_train('forest', 'n_trees=100', 'medium', 'label');
EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'sqlstate %', SQLSTATE;
END $$;
DO $$ BEGIN
  PERFORM pml_train('forest', 'n_trees=1', 'large', 'label');
EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'sqlstate %', SQLSTATE;
END $$;
SQL
)
[[ $(grep -c "NOTICE:  sqlstate 53200" <<<"$state") == 2 ]] || fail "over pml.max_memory_mb: $state"
echo "ok: training memory or rows over pml.max_memory_mb fail with 53200 and name the setting"

# --- cancel and terminate within 2 s. One tree of a forest on rows with random labels grows a
# leaf for nearly every row, with every feature examined at every node: many seconds in which,
# before every loop and tree reported progress, nothing asked whether to stop.
sql -c "CREATE TABLE slow AS SELECT (random() * 100)::int AS label, $(
  for f in $(seq 1 12); do printf 'random() AS f%d%s' "$f" "$([[ $f -lt 12 ]] && echo ,)"; done
) FROM generate_series(1, 400000)"
now() { date +%s.%N; }
# <pg function> <expected words>: starts the training, waits until pml's worker threads appear in
# its backend (the rows are read and training has begun), sends the signal a second later and
# measures how long the backend takes to end the statement.
stop_training() {
  local signal=$1 words=$2 pid="" i sent ended
  (sql -c "SET pml.max_threads = 2" \
    -c "SELECT length(pml_train('forest', 'n_trees=1 n_jobs=2 max_features=all bootstrap=false', 'slow', 'label'))" \
    >"$work/stopped.out" 2>&1 || true
  now >"$work/stopped.end") &
  local session=$!
  for ((i = 0; i < 600; ++i)); do
    pid=$(sql -c "SELECT pid FROM pg_stat_activity WHERE query LIKE '%max_features=all bootstrap%'
                  AND pid <> pg_backend_pid()")
    if [[ -n $pid && $(ls "/proc/$pid/task" 2>/dev/null | wc -l) -gt 1 ]]; then break; fi
    sleep 0.1
  done
  [[ -n $pid ]] || fail "the training did not start"
  sleep 1
  sent=$(now)
  [[ $(sql -c "SELECT $signal($pid)") == t ]] || fail "$signal($pid) found no backend"
  wait "$session"
  ended=$(cat "$work/stopped.end")
  grep -q "$words" "$work/stopped.out" || fail "$signal did not stop training: $(cat "$work/stopped.out")"
  awk -v a="$sent" -v b="$ended" 'BEGIN { exit !(b - a < 2.0) }' ||
    fail "$signal took $(awk -v a="$sent" -v b="$ended" 'BEGIN { print b - a }') s to stop training (at most 2 s)"
  echo "ok: $signal stopped training in $(awk -v a="$sent" -v b="$ended" 'BEGIN { printf "%.2f", b - a }') s"
}
stop_training pg_cancel_backend "canceling statement due to user request"
stop_training pg_terminate_backend "terminating connection due to administrator command"
echo "test_limits: all checks passed"
