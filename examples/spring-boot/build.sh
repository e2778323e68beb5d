#!/usr/bin/env bash
# Installs the SDK (as examples/downstream/build.sh does, into target/sdk-repository at the root),
# then builds and tests this Spring Boot example against it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
repo_args=(-Dmaven.repo.local="$root/target/sdk-repository" -Dmaven.repo.local.tail="${HOME}/.m2/repository")
echo "== SDK: ./mvnw install -DskipTests (ws-bom and the published modules)"
"$root/mvnw" -B -ntp -q "${repo_args[@]}" -DskipTests -pl ws-bom,ws.transport.virtualthreads -am install </dev/null
. "$root/.mvn/jdk.sh"
ws_find_jdk
export JAVA_HOME
maven="${HOME}/.m2/wrapper/apache-maven-$(sed -n 's/^maven_version=//p' "$root/mvnw")/bin/mvn"
echo "== Spring Boot example: mvn verify"
"$maven" -B -ntp "${repo_args[@]}" -f "$here/pom.xml" verify "$@" </dev/null
