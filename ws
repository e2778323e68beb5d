#!/usr/bin/env bash
# The ws tool: ./ws echo --port 8080, ./ws connect ws://host:port/path, ./ws --help.
# Builds ws.cli and the modules it needs when they are missing or older than their sources
# (a fast no-op otherwise), then runs it on the module path with a JDK >= 21.
# Extra JVM options (heap size, -D...) can be given in WS_JAVA_OPTS.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$root/.mvn/jdk.sh"
ws_find_jdk

modules="$root/ws.cli/target/modules"
stamp="$root/ws.cli/target/.ws-built"
needs_build() {
  [ -f "$stamp" ] || return 0
  compgen -G "$root/ws.cli/target/ws.cli-*.jar" >/dev/null || return 0
  # any source, resource or pom newer than the last build (the whole tree: cheap, and never stale)
  [ -n "$(find "$root/pom.xml" "$root"/*/pom.xml "$root"/*/src/main -newer "$stamp" -print -quit 2>/dev/null)" ]
}
if needs_build; then
  echo "ws: building the tool (./mvnw -pl ws.cli -am package)..." >&2
  if ! "$root/mvnw" -q -B -pl ws.cli -am package -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip >&2; then
    echo "ws: the build failed; see the output above" >&2
    exit 1
  fi
  touch "$stamp"
fi

module_path="$modules"
for jar in "$root"/ws.cli/target/ws.cli-*.jar; do
  case "$jar" in *-sources.jar|*-javadoc.jar|*-tests.jar) ;; *) module_path="$module_path:$jar" ;; esac
done
# BouncyCastle (development certificates for echo --tls) is an optional module: resolve it when present
optional=()
if compgen -G "$modules/bcpkix-*.jar" >/dev/null; then optional=(--add-modules org.bouncycastle.pkix); fi
# shellcheck disable=SC2086 # WS_JAVA_OPTS is a list of options
exec "$JAVA_HOME/bin/java" ${WS_JAVA_OPTS:-} --module-path "$module_path" "${optional[@]}" --module ws.cli/ws.cli.Main "$@"
