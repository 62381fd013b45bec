# Sourced by .ci/run: installs Debian's PostgreSQL when it is absent, starts
# a throwaway cluster as the unprivileged postgres user on a free loopback
# port, and exports APPWATCH_TEST_POSTGRES for the store and watch tests.
# The cluster is stopped and removed when the sourcing shell exits. It runs
# without fsync: tests kill appwatch, never the server, and CI is faster.

pg_bin() {
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

if [ -z "$(pg_bin)" ]; then
	echo "installing postgresql"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq postgresql >/dev/null
fi
PG_BIN=$(pg_bin)
if [ -z "$PG_BIN" ]; then
	echo "postgresql: no server binaries after install" >&2
	exit 1
fi
if ! id postgres >/dev/null 2>&1; then
	useradd --system --no-create-home postgres
fi
as_postgres() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

PG_DIR=$(mktemp -d /tmp/appwatch-pg.XXXXXX)
chmod 755 "$PG_DIR"
[ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)
as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
	-o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c full_page_writes=off -c max_connections=200" start >/dev/null
stop_postgres() {
	as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$PG_DIR"
}
trap stop_postgres EXIT
as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres appwatch_test
export APPWATCH_TEST_POSTGRES="postgres://postgres@127.0.0.1:$PG_PORT/appwatch_test?sslmode=disable"
export APPWATCH_REQUIRE_POSTGRES=1
echo "postgresql $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
