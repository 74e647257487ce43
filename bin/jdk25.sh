# Sourced by the bin/ scripts: points JAVA_HOME at a JDK 25 when the current one is older.
_java_ok() { "$1" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; }
if [ -n "${JAVA_HOME:-}" ] && _java_ok "$JAVA_HOME/bin/java"; then
  :
elif command -v java >/dev/null && _java_ok java && [ -z "${JAVA_HOME:-}" ]; then
  :
else
  for _j in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25-* /usr/lib/jvm/jdk-25*; do
    if [ -x "$_j/bin/java" ] && _java_ok "$_j/bin/java"; then
      export JAVA_HOME=$_j
      break
    fi
  done
fi
if ! _java_ok "${JAVA_HOME:+$JAVA_HOME/bin/}java"; then
  echo "JDK 25 is required: install it and set JAVA_HOME" >&2
  exit 2
fi
export PATH="${JAVA_HOME:+$JAVA_HOME/bin:}$PATH"
