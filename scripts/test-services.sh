#!/usr/bin/env bash
# Makes every service `npm test` needs available on a Debian machine that has only Node: installs the
# missing Debian packages (as root), starts PostgreSQL and NATS JetStream when they do not answer, and
# uses them as they are when they do. Runs as `pretest`, so it must stay idempotent and fast (< 2 s)
# when everything is already there: only cheap local checks happen before anything is installed.
#
# Env overrides: TEST_PG_URL (base URL without a database, e.g. postgres://postgres@db:5432) and
# TEST_NATS_URL (nats://host:port) point the tests at services elsewhere; they are then only checked.
# Dovecot is installed but not started: the email tests run their own instance in a temp folder.
# prometheus is installed for its promtool (the alert rules spec); its service is never started here.
set -euo pipefail

PG_HOST=127.0.0.1 PG_PORT=5432 PG_CLUSTER=main NATS_HOST=127.0.0.1 NATS_PORT=4222
# Packages the test suites use directly (IMAP server, browser, speech); checked with dpkg.
TOOL_PACKAGES=(dovecot-imapd chromium pocketsphinx pocketsphinx-en-us espeak-ng flite sox prometheus)

say() { printf '%-12s %s\n' "$1" "$2"; }
die() { printf 'test-services: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

# True when something accepts TCP connections on host:port (bash's /dev/tcp, no extra tools).
answers() { timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

wait_until() { # wait_until <tries of 0.1 s> <command...>
  local tries=$1; shift
  for ((i = 0; i < tries; i++)); do "$@" && return 0; sleep 0.1; done
  return 1
}

# host and port out of a URL like scheme://user@host:port/...
url_host() { local h=${1#*://}; h=${h#*@}; h=${h%%/*}; echo "${h%%:*}"; }
url_port() { local h=${1#*://}; h=${h#*@}; h=${h%%/*}; [[ $h == *:* ]] && echo "${h##*:}" || echo "$2"; }

installed() { dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed; }

# --- what is missing --------------------------------------------------------------------------------
missing=()
if [ -z "${TEST_PG_URL:-}" ] && ! command -v pg_ctlcluster >/dev/null && ! answers $PG_HOST $PG_PORT; then
  missing+=(postgresql)
fi
# psql: the checks below, and scripts that create databases, use the client even for a remote server.
command -v psql >/dev/null || [[ " ${missing[*]} " == *" postgresql "* ]] || missing+=(postgresql-client)
if [ -z "${TEST_NATS_URL:-}" ] && ! command -v nats-server >/dev/null && ! answers $NATS_HOST $NATS_PORT; then
  missing+=(nats-server)
fi
for pkg in "${TOOL_PACKAGES[@]}"; do
  if [ "$pkg" = chromium ] && [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ]; then continue; fi
  installed "$pkg" || missing+=("$pkg")
done

if [ ${#missing[@]} -gt 0 ]; then
  if ! is_root; then
    die "missing Debian packages: ${missing[*]}
  install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}
  (or run this script as root: sudo bash scripts/test-services.sh)"
  fi
  say install "${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Another apt run (a colleague, unattended-upgrades) may hold the lock: wait for it, do not fail.
  for attempt in 1 2 3 4 5 6; do
    apt-get -o DPkg::Lock::Timeout=120 update -qq && break
    [ $attempt = 6 ] && die "apt-get update failed"
    sleep 5
  done
  # Package scripts must not start system-wide daemons (Dovecot on 143, a second nats-server): this
  # script starts exactly what the tests need. policy-rc.d is Debian's switch for that.
  created_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && created_policy=1
  fi
  trap '[ -n "$created_policy" ] && rm -f /usr/sbin/policy-rc.d' EXIT
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
fi

# --- PostgreSQL ---------------------------------------------------------------------------------------
pg_ok() { psql "$1" -qAtXc 'select 1' >/dev/null 2>&1; }

if [ -n "${TEST_PG_URL:-}" ]; then
  host=$(url_host "$TEST_PG_URL") port=$(url_port "$TEST_PG_URL" 5432)
  pg_ok "${TEST_PG_URL%/}/postgres" || die "PostgreSQL at TEST_PG_URL=$TEST_PG_URL does not accept connections"
  say postgresql "using TEST_PG_URL ($host:$port)"
else
  url="postgres://postgres@$PG_HOST:$PG_PORT/postgres"
  started=
  if ! answers $PG_HOST $PG_PORT; then
    is_root || die "PostgreSQL is not running on $PG_HOST:$PG_PORT; start it (as root: bash scripts/test-services.sh)"
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
    [ -n "$version" ] || die "no PostgreSQL cluster under /etc/postgresql (reinstall: apt-get install postgresql)"
    pg_ctlcluster --skip-systemctl-redirect "$version" $PG_CLUSTER start
    wait_until 100 answers $PG_HOST $PG_PORT || die "PostgreSQL $version did not start (see /var/log/postgresql/)"
    started=" (started $version/$PG_CLUSTER)"
  fi
  if ! pg_ok "$url"; then
    # A fresh Debian cluster asks for a password (scram) on TCP; the tests connect as postgres without
    # one, so trust loopback connections. Rules match top-down: put ours first.
    is_root || die "cannot connect as postgres to $PG_HOST:$PG_PORT without a password; add 'host all postgres 127.0.0.1/32 trust' to pg_hba.conf"
    version=$(ls /etc/postgresql | sort -V | tail -1)
    hba=/etc/postgresql/$version/$PG_CLUSTER/pg_hba.conf
    sed -i '1i host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$version" $PG_CLUSTER reload
    wait_until 50 pg_ok "$url" || die "PostgreSQL still refuses user postgres on $PG_HOST:$PG_PORT (check $hba)"
    started="$started (trust for postgres on 127.0.0.1 added to $hba)"
  fi
  say postgresql "ok $PG_HOST:$PG_PORT$started"
fi

# --- NATS with JetStream ------------------------------------------------------------------------------
# The first line a NATS server sends is INFO {...}; it says whether JetStream is on.
nats_info() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2 && IFS= read -r -t 1 line <&3 && echo \"\$line\"" 2>/dev/null; }

if [ -n "${TEST_NATS_URL:-}" ]; then
  host=$(url_host "$TEST_NATS_URL") port=$(url_port "$TEST_NATS_URL" 4222)
  info=$(nats_info "$host" "$port") || true
  [[ $info == INFO* ]] || die "NATS at TEST_NATS_URL=$TEST_NATS_URL does not answer"
  [[ $info == *'"jetstream":true'* ]] || die "NATS at TEST_NATS_URL=$TEST_NATS_URL runs without JetStream (start it with -js)"
  say nats "using TEST_NATS_URL ($host:$port, JetStream)"
else
  started=
  if ! answers $NATS_HOST $NATS_PORT; then
    bin=$(command -v nats-server || echo /usr/sbin/nats-server)
    if is_root; then
      mkdir -p /var/lib/nats-server
      # The pid file makes start-stop-daemon look for this server only, not any nats-server.
      start-stop-daemon --start --oknodo --background --make-pidfile --pidfile /run/cs-test-nats-$NATS_PORT.pid \
        --exec "$bin" -- -a $NATS_HOST -p $NATS_PORT -js -sd /var/lib/nats-server -l /var/log/nats-server.log
    else
      # Not root: a server of our own with its store in the user's state folder.
      store=${XDG_STATE_HOME:-$HOME/.local/state}/nats-server
      mkdir -p "$store"
      nohup "$bin" -a $NATS_HOST -p $NATS_PORT -js -sd "$store" >"$store/nats-server.log" 2>&1 &
    fi
    wait_until 100 answers $NATS_HOST $NATS_PORT || die "nats-server did not start on $NATS_HOST:$NATS_PORT"
    started=" (started)"
  fi
  info=$(nats_info $NATS_HOST $NATS_PORT) || true
  [[ $info == *'"jetstream":true'* ]] || die "the NATS server on $NATS_HOST:$NATS_PORT runs without JetStream; restart it with -js"
  say nats "ok $NATS_HOST:$NATS_PORT JetStream$started"
fi

# --- tools the suites start themselves -----------------------------------------------------------------
say dovecot "installed (tests start their own instance)"
say chromium "${CHROMIUM_PATH:-$(command -v chromium || echo '?')}"
say speech "pocketsphinx, espeak-ng, sox installed"
