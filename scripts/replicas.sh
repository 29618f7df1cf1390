#!/usr/bin/env bash
# N copies of the dashboard behind Debian's nginx on 127.0.0.1, the same proxy configuration as
# compose.yaml (deploy/nginx/qantar-*.conf), without Docker. Used by bench/load.py.
#
#   scripts/replicas.sh start N PORT   # N `streamlit run dashboard.py` on free ports, nginx on PORT
#   scripts/replicas.sh stop           # stops exactly the processes `start` started, by PID
#
# QANTAR_RUN_DIR (default .replicas/ in this checkout) holds the PIDs, the logs and the generated
# nginx.conf; QANTAR_APP_DIR (default this checkout) is the app tree to run. PYTHON is the
# interpreter that runs the replicas (default: this checkout's .venv, as `make install` makes it,
# else python3); the tests and bench/load.py pass their own. QANTAR_FRAME_ANCESTORS (default: the
# list in deploy/nginx/frame-ancestors.conf) is the sites that may frame the page, e.g.
# "'self' https://www.example-news.org". Needs nginx (`apt-get install -y nginx`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
app=${QANTAR_APP_DIR:-$root}
run=${QANTAR_RUN_DIR:-$root/.replicas}
deploy=$root/deploy/nginx
if [[ -z ${PYTHON:-} ]]; then
  if [[ -x $root/.venv/bin/python ]]; then PYTHON=$root/.venv/bin/python; else PYTHON=python3; fi
fi

free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_healthy() {  # URL, seconds
  local deadline=$((SECONDS + $2))
  until "$PYTHON" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1" 2>/dev/null; do
    if ((SECONDS > deadline)); then
      echo "replicas.sh: $1 not healthy after $2 s (logs in $run)" >&2
      return 1
    fi
    sleep 0.3
  done
}

start() {
  local count=$1 port=$2 servers="" app_port
  command -v nginx >/dev/null || { echo "replicas.sh: nginx is not installed (apt-get install -y nginx)" >&2; exit 1; }
  [[ -s $run/app.pids || -s $run/nginx.pids ]] && { echo "replicas.sh: already started ($run); stop first" >&2; exit 1; }
  mkdir -p "$run/nginx-tmp"
  : >"$run/app.pids"
  for i in $(seq 1 "$count"); do
    app_port=$(free_port)
    # No file watcher: it polls the app's files for every open session (a reader costs CPU
    # while idle), and a deployed app's files do not change under it.
    (cd "$app" && exec "$PYTHON" -m streamlit run dashboard.py --server.address 127.0.0.1 \
      --server.port "$app_port" --server.headless true --browser.gatherUsageStats false \
      --server.fileWatcherType none >"$run/app-$i.log" 2>&1) &
    echo $! >>"$run/app.pids"
    servers+="        server 127.0.0.1:$app_port max_fails=3 fail_timeout=10s;"$'\n'
    wait_healthy "http://127.0.0.1:$app_port/_stcore/health" 120
  done
  if [[ -n ${QANTAR_FRAME_ANCESTORS:-} ]]; then  # the sites that may frame the page, for tests
    printf 'map $host $qantar_frame_ancestors {\n    default "%s";\n}\n' "$QANTAR_FRAME_ANCESTORS" \
      >"$run/frame-ancestors.conf"
  else
    cp "$deploy/frame-ancestors.conf" "$run/frame-ancestors.conf"
  fi
  sed -e "s|@RUN@|$run|g" -e "s|@DEPLOY@|$deploy|g" -e "s|@PORT@|$port|g" \
    -e "s|@USER@|$(id -un) $(id -gn)|g" \
    "$deploy/replicas.conf.template" | awk -v servers="${servers%$'\n'}" '{ if ($1 == "@SERVERS@") print servers; else print }' \
    >"$run/nginx.conf"
  nginx -t -q -p "$run" -c "$run/nginx.conf" -e "$run/nginx-error.log" </dev/null
  nginx -p "$run" -c "$run/nginx.conf" -e "$run/nginx-error.log" -g "daemon off;" \
    >"$run/nginx.log" 2>&1 &
  echo $! >"$run/nginx.pids"
  wait_healthy "http://127.0.0.1:$port/_stcore/health" 30
  echo "replicas.sh: $count replicas behind http://127.0.0.1:$port/ (PIDs in $run)"
}

stop() {
  local file pid
  for file in "$run/nginx.pids" "$run/app.pids"; do
    [[ -f $file ]] || continue
    while read -r pid; do
      [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
    done <"$file"
    while read -r pid; do
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    done <"$file"
    rm -f "$file"
  done
}

case ${1:-} in
  start) start "${2:?number of replicas}" "${3:?port for nginx}" ;;
  stop) stop ;;
  *) echo "usage: $0 start N PORT | stop" >&2; exit 2 ;;
esac
