# Shell functions for a throw-away PostgreSQL cluster and pml's extension, sourced by the
# extension's test and its benchmark (bash; the caller sets -euo pipefail).
#
# pg_stage_and_install_extension <build-dir> <src-dir> <work-dir>
#     installs the build's libpml into <work-dir>/prefix, builds the extension against it with
#     PGXS (warnings are errors) and installs it into the server's extension directories
#     (with sudo when not root).
# pg_cluster_start <work-dir> [name=value ...]
#     initdb into <work-dir>/data and starts a server that listens only on a Unix socket in
#     <work-dir>, with any further settings given; exports PGHOST, PGPORT, PGUSER and PGDATABASE
#     for psql.
# pg_cluster_stop <work-dir>
#     stops that server (immediate shutdown); safe to call when it is not running.
#
# PostgreSQL refuses to run its server as root, so under root the server's commands run as the
# "postgres" user (created by Debian's postgresql-common) and the work directory is handed to it.

pg_bindir=$(pg_config --bindir)

pg_as_server() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_stage_and_install_extension() {
  local build src work=$3
  build=$(cd "$1" && pwd)
  src=$(cd "$2" && pwd)
  local sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  cmake --install "$build" --prefix "$work/prefix" >/dev/null
  local libdir="$work/prefix/lib"
  [[ -d "$work/prefix/lib64" ]] && libdir="$work/prefix/lib64"
  mkdir -p "$work/extension-build"
  PKG_CONFIG_PATH="$libdir/pkgconfig" make -s -C "$work/extension-build" \
    -f "$src/bindings/postgresql/Makefile" with_llvm=no \
    COPT="-Werror -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wno-sign-compare"
  PKG_CONFIG_PATH="$libdir/pkgconfig" "${sudo_cmd[@]}" make -s -C "$work/extension-build" \
    -f "$src/bindings/postgresql/Makefile" with_llvm=no install
}

pg_cluster_start() {
  local work=$1 settings="" setting
  shift
  for setting in "$@"; do settings+=" -c $setting"; done
  chmod 755 "$work"
  mkdir -p "$work/data"
  if [[ $(id -u) -eq 0 ]]; then chown postgres "$work" "$work/data"; fi
  pg_as_server "$pg_bindir/initdb" -D "$work/data" -U pml -A trust -E UTF8 --locale=C \
    --no-sync >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log"; return 1; }
  pg_as_server "$pg_bindir/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $work -p 5432 -c fsync=off -c full_page_writes=off$settings" start \
    >/dev/null || { cat "$work/server.log"; return 1; }
  export PGHOST=$work PGPORT=5432 PGUSER=pml PGDATABASE=postgres
}

pg_cluster_stop() {
  local work=$1
  if [[ -f "$work/data/postmaster.pid" ]]; then
    pg_as_server "$pg_bindir/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
}
