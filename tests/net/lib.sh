# Shared by the tests/net suites (sourced, not run).
#
#   make_seed DIR        examples/seed-export (nothreads engine, threaded
#                        extension: the seed LinkError) copied into DIR
#   make_threaded DIR    a threaded export that loads: the Emscripten
#                        -pthread main module (index.js/.worker.js/.wasm),
#                        a threaded engine side module and a threaded
#                        GDExtension, from tests/fixtures/wasm
#   compress DIR         .gz and .br copies of every .wasm, .pck and .js
#   start_nginx ROOT PORT SNIPPET|-   start_apache ROOT PORT   start_caddy ROOT PORT SNIPPET|-
#   start_lighttpd ROOT PORT SNIPPET|-
#                        the Debian servers in the foreground, on 127.0.0.1:PORT,
#                        with their own configuration, pid and logs under $WORK
#   stop_servers         stop every server started here
#   check NAME CMD...    run a check, count it; summary prints "N passed, N failed"
set -u
: "${WEBDOCTOR:?set WEBDOCTOR to the webdoctor binary}"
: "${WD_SOURCE_DIR:?set WD_SOURCE_DIR}"
FX="$WD_SOURCE_DIR/tests/fixtures/wasm"
pass=0
fail=0
server_pids=()

check() {
  local name="$1"
  shift
  if "$@"; then
    pass=$((pass + 1))
    echo "ok   $name"
  else
    fail=$((fail + 1))
    echo "FAIL $name"
  fi
}

summary() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}

make_seed() {
  mkdir -p "$1"
  cp "$WD_SOURCE_DIR"/examples/seed-export/* "$1/"
}

make_threaded() {
  local d="$1" lib="libext.web.template_release.wasm32.wasm"
  mkdir -p "$d"
  cp "$FX/main_pthread.js" "$d/index.js"
  cp "$FX/main_pthread.worker.js" "$d/index.worker.js"
  cp "$FX/main_pthread.wasm" "$d/index.wasm"
  cp "$FX/godot_threads.side.wasm" "$d/index.side.wasm"
  cp "$FX/$lib" "$d/$lib"
  cp "$WD_SOURCE_DIR/examples/seed-export/index.pck" "$d/index.pck"
  local sizes
  sizes=$(printf '"index.pck":%s,"index.side.wasm":%s,"index.wasm":%s,"%s":%s' \
    "$(stat -c %s "$d/index.pck")" "$(stat -c %s "$d/index.side.wasm")" "$(stat -c %s "$d/index.wasm")" \
    "$lib" "$(stat -c %s "$d/$lib")")
  cat > "$d/index.html" <<EOF
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>threaded export (webdoctor test)</title>
</head>
<body>
<div id="status">Loading…</div>
<script src="index.js"></script>
<script>
const GODOT_CONFIG = {"args":[],"canvasResizePolicy":2,"ensureCrossOriginIsolationHeaders":true,"executable":"index","experimentalVK":false,"fileSizes":{$sizes},"focusCanvas":true,"gdextensionLibs":["$lib"]};
const GODOT_THREADS_ENABLED = true;
(function () {
  const status = document.getElementById('status');
  window.isolatedAtStart = window.crossOriginIsolated;
  if (!window.crossOriginIsolated) {
    status.textContent = 'Cross-Origin Isolation - Check that the web server configuration sends the correct headers.';
    return;
  }
  const exe = GODOT_CONFIG.executable;
  Godot({
    locateFile: (path) => path.endsWith('.worker.js') ? exe + '.worker.js' : path.endsWith('.wasm') ? exe + '.wasm' : path,
    dynamicLibraries: [exe + '.side.wasm'],
  }).then((module) => Promise.all(GODOT_CONFIG.gdextensionLibs.map(
    (lib) => module.loadDynamicLibrary(lib, { loadAsync: true }))).then(() => {
      status.textContent = 'Running';
      window.godotReady = true;
    })).catch((e) => { status.textContent = String(e); window.godotError = String(e); });
})();
</script>
</body>
</html>
EOF
}

compress() {
  local f
  for f in "$1"/*.wasm "$1"/*.pck "$1"/*.js; do
    [ -f "$f" ] || continue
    gzip -9 -k -f "$f"
    brotli -k -f "$f"
  done
}

# Wait until something accepts TCP connections on the port (for servers
# that never answer, where wait_port's HTTP request would hang).
wait_listen() {
  local port="$1" i
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "nothing listens on port $port" >&2
  return 1
}

wait_port() {
  local port="$1" i
  for i in $(seq 1 100); do
    if curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "server on port $port did not start" >&2
  return 1
}

# start_nginx ROOT PORT SNIPPET|-
start_nginx() {
  local root="$1" port="$2" snippet="$3" d="$WORK/nginx-$2"
  mkdir -p "$d/tmp"
  local inc=""
  [ "$snippet" != "-" ] && inc="include $snippet;"
  cat > "$d/nginx.conf" <<EOF
daemon off;
master_process off;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path $d/tmp/body;
  proxy_temp_path $d/tmp/proxy;
  fastcgi_temp_path $d/tmp/fastcgi;
  uwsgi_temp_path $d/tmp/uwsgi;
  scgi_temp_path $d/tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    root $root;
    $inc
  }
}
EOF
  nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log" 2>>"$d/error.log" &
  server_pids+=($!)
  wait_port "$port" || { cat "$d/error.log" >&2; return 1; }
}

# start_apache ROOT PORT: .htaccess in ROOT is honoured (AllowOverride All)
start_apache() {
  local root="$1" port="$2" d="$WORK/apache-$2" m=/usr/lib/apache2/modules
  mkdir -p "$d"
  local user=""
  # as root Apache serves as another user: the tree must be readable by it
  if [ "$(id -u)" -eq 0 ]; then
    user="User nobody
Group nogroup"
    chmod -R a+rX "$root"
    chmod a+x "$WORK"
  fi
  cat > "$d/httpd.conf" <<EOF
ServerRoot "$d"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile "$d/httpd.pid"
ErrorLog "$d/error.log"
LogLevel warn
$user
LoadModule mpm_event_module $m/mod_mpm_event.so
LoadModule authz_core_module $m/mod_authz_core.so
LoadModule dir_module $m/mod_dir.so
LoadModule mime_module $m/mod_mime.so
LoadModule headers_module $m/mod_headers.so
LoadModule rewrite_module $m/mod_rewrite.so
LoadModule filter_module $m/mod_filter.so
LoadModule deflate_module $m/mod_deflate.so
LoadModule env_module $m/mod_env.so
TypesConfig /etc/mime.types
StartServers 1
ServerLimit 1
ThreadsPerChild 16
MaxRequestWorkers 16
DocumentRoot "$root"
DirectoryIndex index.html
<Directory "$root">
  AllowOverride All
  Require all granted
</Directory>
EOF
  apache2 -f "$d/httpd.conf" -DFOREGROUND 2>>"$d/error.log" &
  server_pids+=($!)
  wait_port "$port" || { cat "$d/error.log" >&2; return 1; }
}

# start_caddy ROOT PORT SNIPPET|-
start_caddy() {
  local root="$1" port="$2" snippet="$3" d="$WORK/caddy-$2"
  mkdir -p "$d"
  local body="file_server"
  [ "$snippet" != "-" ] && body="import $snippet"
  cat > "$d/Caddyfile" <<EOF
{
	admin off
	auto_https off
	storage file_system $d/storage
	log {
		output file $d/caddy.log
	}
}
http://127.0.0.1:$port {
	root * $root
	$body
}
EOF
  HOME="$d" XDG_DATA_HOME="$d" XDG_CONFIG_HOME="$d" caddy run --adapter caddyfile --config "$d/Caddyfile" \
    >>"$d/stdout.log" 2>&1 &
  server_pids+=($!)
  wait_port "$port" || { cat "$d/stdout.log" >&2; return 1; }
}

# start_lighttpd ROOT PORT SNIPPET|-
start_lighttpd() {
  local root="$1" port="$2" snippet="$3" d="$WORK/lighttpd-$2"
  mkdir -p "$d/cache"
  local inc=""
  [ "$snippet" != "-" ] && inc="include \"$snippet\""
  cat > "$d/lighttpd.conf" <<EOF
server.document-root = "$root"
server.bind = "127.0.0.1"
server.port = $port
server.pid-file = "$d/lighttpd.pid"
server.errorlog = "$d/error.log"
server.modules = ( "mod_setenv", "mod_deflate" )
index-file.names = ( "index.html" )
deflate.cache-dir = "$d/cache/"
include_shell "/usr/share/lighttpd/create-mime.conf.pl"
$inc
EOF
  lighttpd -D -f "$d/lighttpd.conf" >>"$d/stdout.log" 2>&1 &
  server_pids+=($!)
  wait_port "$port" || { cat "$d/stdout.log" "$d/error.log" >&2 2>/dev/null; return 1; }
}

stop_servers() {
  local p
  for p in "${server_pids[@]}"; do
    kill -TERM "$p" 2>/dev/null || true
  done
  for p in "${server_pids[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  server_pids=()
}
