# Shell functions for a throw-away PostgreSQL cluster running pml's extension, sourced by the
# extension's test, its memcheck run and its benchmark (bash; the caller sets -euo pipefail).
#
# Nothing is installed into the system's PostgreSQL: each run builds a private installation under
# <work-dir>/pg that mirrors the server's own directories (postgres, initdb and pg_ctl copied,
# every other file of its share and lib directories linked) and installs the extension there.
# PostgreSQL finds its share and lib directories relative to where its binary is, so the copied
# server loads this run's extension and no other, and runs need neither root nor each other.
#
# pg_stage_and_install_extension <build-dir> <src-dir> <work-dir>
#     installs the build's libpml into <work-dir>/prefix, builds the extension against it with
#     PGXS (warnings are errors) and installs it into <work-dir>/pg.
# pg_cluster_start <work-dir> [name=value ...]
#     initdb into <work-dir>/data and starts a server that listens only on a Unix socket in
#     <work-dir>, with any further settings given; exports PGHOST, PGPORT, PGUSER and PGDATABASE
#     for psql.
# pg_cluster_stop <work-dir>
#     stops that server (immediate shutdown); safe to call when it is not running.
# pg_private_bindir <work-dir>
#     the private installation's bin directory (postgres, initdb, pg_ctl).
# pg_throwaway_cluster <build-dir> <src-dir> <name> [name=value ...]
#     the three above for a script's one cluster: sets work to a new temporary directory
#     (pml-pg-<name>.XXXXXX), installs the extension, starts the server with any settings given,
#     and sets an EXIT trap that stops it and removes work, first printing the end of the
#     server's log if the script failed.
# sql [psql-arguments]
#     psql on that cluster: quiet, tuples only, unaligned, stopping at the first error.
# fail <message>
#     a test's failure: prints "FAIL: <message>" and exits 1.
# pg_csv_columns <csv-file>
#     sets columns (every header name as an int4 column definition, for CREATE TABLE) and
#     features (the header names but the first, quoted and comma-separated, for ARRAY[...]).
#
# PostgreSQL refuses to run its server as root, so under root the server's commands run as the
# "postgres" user (created by Debian's postgresql-common) and the work directory is handed to it.

pg_as_server() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_private_bindir() { echo "$1/pg$(pg_config --bindir)"; }

pg_csv_columns() {
  columns=$(head -n 1 "$1" | tr ',' '\n' | sed 's/.*/"&" int4/' | paste -sd, -)
  features=$(head -n 1 "$1" | tr ',' '\n' | tail -n +2 | sed 's/.*/"&"/' | paste -sd, -)
}

# Links every entry of directory $1 into $2 except pml's own files.
pg_link_entries() {
  local from=$1 to=$2 entry
  mkdir -p "$to"
  for entry in "$from"/*; do
    case $(basename "$entry") in
      pml.so | pml.control | pml--*.sql | extension) ;;
      *) ln -s "$entry" "$to/" ;;
    esac
  done
}

pg_make_private_installation() {
  local work=$1
  local bindir sharedir pkglibdir
  bindir=$(pg_config --bindir)
  sharedir=$(pg_config --sharedir)
  pkglibdir=$(pg_config --pkglibdir)
  mkdir -p "$work/pg$bindir"
  cp "$bindir/postgres" "$bindir/initdb" "$bindir/pg_ctl" "$work/pg$bindir/"
  pg_link_entries "$sharedir" "$work/pg$sharedir"
  pg_link_entries "$sharedir/extension" "$work/pg$sharedir/extension"
  pg_link_entries "$pkglibdir" "$work/pg$pkglibdir"
}

pg_stage_and_install_extension() {
  local build src work=$3
  build=$(cd "$1" && pwd)
  src=$(cd "$2" && pwd)
  chmod 755 "$work"
  cmake --install "$build" --prefix "$work/prefix" >/dev/null
  local libdir="$work/prefix/lib"
  [[ -d "$work/prefix/lib64" ]] && libdir="$work/prefix/lib64"
  pg_make_private_installation "$work"
  mkdir -p "$work/extension-build"
  local make_args=(-s -C "$work/extension-build" -f "$src/bindings/postgresql/Makefile" with_llvm=no
    COPT="-Werror -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wno-sign-compare")
  PKG_CONFIG_PATH="$libdir/pkgconfig" make "${make_args[@]}"
  PKG_CONFIG_PATH="$libdir/pkgconfig" make "${make_args[@]}" DESTDIR="$work/pg" install
}

pg_cluster_start() {
  local work=$1 settings="" setting bindir
  shift
  for setting in "$@"; do settings+=" -c $setting"; done
  bindir=$(pg_private_bindir "$work")
  chmod 755 "$work"
  mkdir -p "$work/data"
  if [[ $(id -u) -eq 0 ]]; then chown postgres "$work" "$work/data"; fi
  pg_as_server "$bindir/initdb" -D "$work/data" -U pml -A trust -E UTF8 --locale=C \
    --no-sync >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log"; return 1; }
  pg_as_server "$bindir/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $work -p 5432 -c fsync=off -c full_page_writes=off$settings" start \
    >/dev/null || { cat "$work/server.log"; return 1; }
  export PGHOST=$work PGPORT=5432 PGUSER=pml PGDATABASE=postgres
}

pg_cluster_stop() {
  local work=$1
  if [[ -f "$work/data/postmaster.pid" ]]; then
    pg_as_server "$(pg_private_bindir "$work")/pg_ctl" -D "$work/data" -m immediate -w stop \
      >/dev/null 2>&1 || true
  fi
}

pg_throwaway_cluster() {
  local build=$1 src=$2 name=$3
  shift 3
  work=$(mktemp -d "${TMPDIR:-/tmp}/pml-pg-$name.XXXXXX")
  trap pg_throwaway_cluster_remove EXIT
  pg_stage_and_install_extension "$build" "$src" "$work"
  pg_cluster_start "$work" "$@"
}

pg_throwaway_cluster_remove() {
  local status=$?
  pg_cluster_stop "$work"
  if [[ $status -ne 0 && -f "$work/server.log" ]]; then
    echo "--- server log (last 40 lines)"
    tail -n 40 "$work/server.log"
  fi
  rm -rf "$work"
}

sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
