#!/usr/bin/env bash
# Builds the SDK modules this example depends on, then builds and tests the example against them, as
# a downstream project would (its own pom, the SDK by version, tests on the module path).
#
# The SDK is installed into a private local repository (target/sdk-repository here), never into
# ~/.m2: ~/.m2/repository is only read, as a tail (Maven >= 3.9), for third-party artifacts already
# downloaded. So a run never leaves SDK snapshots behind for other builds to pick up by mistake.
#
# Usage: examples/downstream/build.sh [extra Maven arguments for the example, e.g. -Dtest=ChatRoomTest]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
repo="$here/target/sdk-repository"
mkdir -p "$repo"
repo_args=(-Dmaven.repo.local="$repo" -Dmaven.repo.local.tail="${HOME}/.m2/repository")

echo "== SDK: install ws.protocol, ws.transport.blocking, ws.testkit, ws.testkit.junit into $repo"
"$root/mvnw" -B -ntp -q "${repo_args[@]}" -DskipTests -pl ws.testkit.junit -am install </dev/null

echo "== downstream example: verify"
# the launcher finds a JDK >= 21 and runs Maven on it; -f points it at the example's own pom
. "$root/.mvn/jdk.sh"
ws_find_jdk
export JAVA_HOME
maven_version=$(sed -n 's/^maven_version=//p' "$root/mvnw")   # the Maven ./mvnw fetched above
maven="${HOME}/.m2/wrapper/apache-maven-${maven_version}/bin/mvn"
"$maven" -B -ntp "${repo_args[@]}" -f "$here/pom.xml" verify "$@" </dev/null
