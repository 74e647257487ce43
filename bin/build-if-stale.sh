# Sourced by the bin/ scripts after bin/jdk25.sh: builds, with ./mvnw, the modules whose outputs are
# missing or older than their sources, and shows progress while it does; when nothing changed, Maven
# is not started at all.
#
#   build_if_stale MODULE=OUTPUT ...    e.g. lambda-recognizer=lambda-recognizer/target/recognizer-x86_64.jar
#
# An output is stale when it is missing, when MODULE was never built by this function, or when a file
# is newer than that build in: the sources (src/main) and pom.xml of MODULE and of every project module it
# depends on (from the poms, transitively; test-scoped ones left out), the parent pom, .mvn/, scripts/
# and servers/'s package files. Progress and errors go to stderr; the full log to target/build.log.

_bis_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# the project's version (the parent pom's), for outputs whose names carry it
project_version() { sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$_bis_root/pom.xml" | head -n 1; }

# MODULE and the project modules it depends on at run time, one per line
_bis_modules() {
  local todo=("$1") seen=" " m dep
  while [ ${#todo[@]} -gt 0 ]; do
    m=${todo[0]}
    todo=("${todo[@]:1}")
    case "$seen" in *" $m "*) continue ;; esac
    seen="$seen$m "
    echo "$m"
    # <dependency> blocks of group io.facerec whose scope is not test; artifactId = module folder
    for dep in $(awk '/<dependency>/ {b=""; inb=1} inb {b=b $0} /<\/dependency>/ && inb {inb=0;
          if (b ~ /<groupId>io\.facerec<\/groupId>/ && b !~ /<scope>test<\/scope>/ &&
              match(b, /<artifactId>[^<]+<\/artifactId>/)) print substr(b, RSTART + 12, RLENGTH - 25)}' \
          "$_bis_root/$m/pom.xml"); do
      [ -f "$_bis_root/$dep/pom.xml" ] && todo+=("$dep")
    done
  done
}

_bis_stamp() { echo "$_bis_root/$1/target/build-if-stale.stamp"; }

# true (0) when MODULE's OUTPUT needs a build
_bis_stale() {
  local module=$1 output=$2 stamp inputs=() m
  stamp=$(_bis_stamp "$module")
  [ -e "$_bis_root/$output" ] && [ -e "$stamp" ] || return 0
  for m in $(_bis_modules "$module"); do
    inputs+=("$_bis_root/$m/pom.xml")
    [ -d "$_bis_root/$m/src/main" ] && inputs+=("$_bis_root/$m/src/main")
  done
  inputs+=("$_bis_root/pom.xml" "$_bis_root/.mvn" "$_bis_root/scripts" "$_bis_root/servers/package.json"
           "$_bis_root/servers/package-lock.json")
  [ -n "$(find "${inputs[@]}" -newer "$stamp" -print -quit 2>/dev/null)" ]
}

build_if_stale() {
  local pair module modules=() started log t0 rc
  for pair in "$@"; do
    module=${pair%%=*}
    if _bis_stale "$module" "${pair#*=}"; then
      modules+=("$module")
    fi
  done
  [ ${#modules[@]} -gt 0 ] || return 0
  mkdir -p "$_bis_root/target"
  log="$_bis_root/target/build.log"
  started=$(mktemp)   # sources changed while Maven runs count as changed next time
  t0=$SECONDS
  echo "building ${modules[*]} and what they depend on (the first build takes minutes; log: $log)" >&2
  set +e
  (cd "$_bis_root" && ./mvnw -B -ntp package -DskipTests -pl "$(IFS=,; echo "${modules[*]}")" -am) 2>&1 \
    | tee "$log" | _bis_progress "$t0" >&2
  rc=${PIPESTATUS[0]}
  set -e
  if [ "$rc" != 0 ]; then
    rm -f "$started"
    echo "build failed (exit $rc):" >&2
    if grep -q '^\[ERROR\]' "$log"; then grep '^\[ERROR\]' "$log" | head -n 40 >&2; else tail -n 20 "$log" >&2; fi
    echo "full log: $log" >&2
    exit 1
  fi
  for module in "${modules[@]}"; do
    for m in $(_bis_modules "$module"); do
      touch -r "$started" "$(_bis_stamp "$m")" 2>/dev/null || true
    done
  done
  rm -f "$started"
  echo "built in $((SECONDS - t0)) s" >&2
}

# Maven's output reduced to one line per module and one per step, with the seconds since the start
_bis_progress() {
  local t0=$1 line
  while IFS= read -r line; do
    case "$line" in
      "[INFO] Building "*"["*/*"]")
        line=${line#\[INFO\] Building }
        printf '[%4ds] %s %s\n' $((SECONDS - t0)) "${line%% *}" "${line##* }" ;;
      "[INFO] --- enforcer:"*|"[INFO] --- "*":test"*|"[INFO] --- "*":testResources"*|"[INFO] --- "*":testCompile"*) ;;
      "[INFO] --- "*" ---")
        line=${line#\[INFO\] --- }
        printf '[%4ds]     %s\n' $((SECONDS - t0)) "${line%% @*}" ;;
      "[ERROR]"*) echo "$line" ;;
    esac
  done
}
