#!/usr/bin/env bash
# Checks the Docker deliverable end to end; CI does not run it (a build takes 10-20 minutes):
#   1. builds the image and prints its size (fails above MAX_IMAGE_MB, default 700);
#   2. `up -d mysql` works without AUTH_SECRET, and web and worker refuse to start without it, saying so;
#   3. with AUTH_SECRET, compose brings up MySQL, the migrations, web (/api/ready) and worker (healthy);
#   4. the admin CLI enrols two photos, which are still there after `down` and `up`;
#   5. with `--scale worker=2` the two workers share two cameras through the leases, one each.
# Runs as its own compose project (CHECK_PROJECT, default attendance-check) on MYSQL_PORT (default 33306)
# and PORT (default 33000), so it touches neither a local database nor a running stack; removes the
# project and its volumes at the end (KEEP=1 keeps them). Photos: two people from PHOTOS_DIR (default
# ../shared/faces/lfw-dev/known, one folder per person). Needs Docker with compose (v2, or v1's
# docker-compose); the base images must be there or pullable.
set -euo pipefail
cd "$(dirname "$0")/.."

PROJECT="${CHECK_PROJECT:-attendance-check}"
MAX_IMAGE_MB="${MAX_IMAGE_MB:-700}"
PHOTOS_DIR="${PHOTOS_DIR:-../shared/faces/lfw-dev/known}"
export MYSQL_PORT="${MYSQL_PORT:-33306}" PORT="${PORT:-33000}"
export AUTH_SECRET="${AUTH_SECRET:-$(node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))")}"
# This check's workers share the host's cores.
export FACE_ENGINE_THREADS="${FACE_ENGINE_THREADS:-1}"

work="$(mktemp -d)"
chmod 755 "$work"
compose_file="$PWD/docker-compose.yml"
if docker compose version > /dev/null 2>&1; then
  compose_cmd=(docker compose)
else
  # docker-compose v1 does not know the top-level `name:`; -p gives the name anyway.
  compose_cmd=(docker-compose)
  sed '/^name: /d' docker-compose.yml > "$work/docker-compose.yml"
  compose_file="$work/docker-compose.yml"
fi
# compose_within SECONDS …: for commands that would hang if a check failed (0: no limit).
compose_within() {
  local seconds="$1"
  shift
  timeout "$seconds" "${compose_cmd[@]}" -f "$compose_file" --project-directory "$PWD" -p "$PROJECT" "$@"
}
compose() { compose_within 0 "$@"; }
cli() { compose run --rm -T --no-deps worker node_modules/.bin/tsx --conditions=react-server scripts/attendance.ts "$@"; }
step() { printf '\n== %s\n' "$*"; }
fail() {
  echo "FAIL: $*" >&2
  compose ps >&2 || true
  compose logs --tail=30 >&2 || true
  exit 1
}
cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then compose down -v --remove-orphans > /dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Waits up to $1 seconds for the command after it to succeed.
wait_for() {
  local seconds="$1"
  shift
  for _ in $(seq "$seconds"); do
    if "$@" > /dev/null 2>&1; then return 0; fi
    sleep 1
  done
  return 1
}
ready() { node -e "fetch('http://127.0.0.1:$PORT/api/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; }
healthy() { [ "$(docker inspect -f '{{.State.Health.Status}}' "$(compose ps -q "$1" | head -n 1)")" = healthy ]; }
data_files() { compose exec -T app sh -c 'find /data/photos -type f | sort | xargs sha256sum'; }

step "build"
docker build -t attendance-app:latest .
size_mb=$(($(docker image inspect -f '{{.Size}}' attendance-app:latest) / 1000000))
echo "image attendance-app:latest: ${size_mb} MB (limit ${MAX_IMAGE_MB} MB)"
[ "$size_mb" -le "$MAX_IMAGE_MB" ] || fail "the image is ${size_mb} MB, over ${MAX_IMAGE_MB} MB"

step "without AUTH_SECRET: mysql starts, web and worker refuse"
AUTH_SECRET='' compose up -d mysql || fail "up -d mysql needs AUTH_SECRET"
wait_for 180 healthy mysql || fail "mysql did not become healthy"
for service in app worker; do
  if out=$(AUTH_SECRET='' compose_within 120 run --rm -T --no-deps "$service" 2>&1); then
    fail "$service started without AUTH_SECRET"
  fi
  grep -q 'Refusing to start: AUTH_SECRET' <<< "$out" || fail "$service without AUTH_SECRET said: $out"
done

step "up: mysql, migrate, app, worker"
compose up -d
wait_for 240 ready || fail "web /api/ready did not answer 200"
[ "$(docker inspect -f '{{.State.ExitCode}}' "$(compose ps -q migrate)")" = 0 ] || fail "migrate failed"
wait_for 240 healthy worker || fail "worker did not become healthy"
compose exec -T worker sh -c 'touch "$HOME/.write-check"' || fail "HOME is not writable for the app user"
echo "worker health and metrics on the host: $(compose port worker 9464)"

step "photos survive down/up"
mapfile -t people < <(find "$PHOTOS_DIR" -mindepth 1 -maxdepth 1 -type d | sort | head -n 2)
[ "${#people[@]}" = 2 ] || fail "need two people's folders in $PHOTOS_DIR"
for person in "${people[@]}"; do
  mkdir -p "$work/photos/$(basename "$person")"
  cp "$(find "$person" -name '*.jpg' | sort | head -n 1)" "$work/photos/$(basename "$person")/"
done
chmod -R a+rX "$work/photos"
cli courses add --code DOCK1 --name 'Docker check' --json
compose run --rm -T --no-deps -v "$work/photos:/photos:ro" worker \
  node_modules/.bin/tsx --conditions=react-server scripts/attendance.ts students import --dir /photos --course DOCK1 --json \
  | tee "$work/import.json"
node -e "const r = JSON.parse(require('fs').readFileSync('$work/import.json', 'utf8'));
  process.exit(r.enrolled.length === 2 && r.rejected.length === 0 ? 0 : 1)" || fail "the two photos were not both enrolled"
before=$(data_files)
[ "$(wc -l <<< "$before")" -ge 2 ] || fail "expected 2 photos under /data/photos, found: $before"
compose down
compose up -d
wait_for 240 ready || fail "web did not come back after down/up"
[ "$(data_files)" = "$before" ] || fail "photos changed across down/up"
echo "$(wc -l <<< "$before") photo files unchanged"

step "two workers share two cameras"
cli cameras add --name dock-cam-1 --json > /dev/null
cli cameras add --name dock-cam-2 --json > /dev/null
compose up -d --scale worker=2
owners() {
  cli cameras list --json | node -e "
    const rows = JSON.parse(require('fs').readFileSync(0, 'utf8')).filter((c) => c.name.startsWith('dock-cam-'));
    const owners = new Set(rows.map((c) => c.worker_id));
    process.exit(rows.length === 2 && owners.size === 2 && !owners.has(null) ? 0 : 1);"
}
wait_for 20 owners || fail "the two cameras did not end up on two workers: $(cli cameras list --json)"
cli cameras list --json
echo "OK: the Docker deliverable works"
