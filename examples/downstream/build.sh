#!/usr/bin/env bash
# Installs the SDK, then builds and tests this example against the installed artifacts, as a
# downstream project would (its own pom, the SDK through its BOM, a module of its own, its own jlink
# image), with the Surefire and JUnit versions projects are likely to have, on the module path and
# on the class path.
#
# The SDK is installed into a private local repository (target/sdk-repository at the root of the
# SDK's repository, outside this example's target, which each run cleans), never into
# ~/.m2: ~/.m2/repository is only read, as a tail (Maven >= 3.9), for third-party artifacts already
# downloaded. So a run never leaves SDK artifacts behind for other builds to pick up by mistake.
#
# Usage: examples/downstream/build.sh [extra Maven arguments for the example, e.g. -Dtest=ChatRoomTest]
# DOWNSTREAM_RUNS="3.6.1:5.14.4:module 3.5.2:5.10.3:module" chooses the runs (surefire:junit:layout).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
repo="$root/target/sdk-repository"
mkdir -p "$repo"
repo_args=(-Dmaven.repo.local="$repo" -Dmaven.repo.local.tail="${HOME}/.m2/repository")

echo "== SDK: ./mvnw install -DskipTests (ws-bom and the published modules) into $repo"
"$root/mvnw" -B -ntp -q "${repo_args[@]}" -DskipTests -pl ws-bom,ws.testkit.junit,ws.transport.virtualthreads -am install </dev/null

. "$root/.mvn/jdk.sh"
ws_find_jdk
export JAVA_HOME
maven_version=$(sed -n 's/^maven_version=//p' "$root/mvnw")   # the Maven ./mvnw fetched above
maven="${HOME}/.m2/wrapper/apache-maven-${maven_version}/bin/mvn"

# Surefire 3.6.1 (current), 3.5.4 and 3.5.2 (what Maven 3.9 uses when a project pins none);
# JUnit 5.14 (current), 5.11 and 5.10 (ws.testkit.junit leaves the JUnit version to the project).
# The first run is the full build (jar, jlink image, the image's self-test); the others run the tests.
runs=${DOWNSTREAM_RUNS:-"3.6.1:5.14.4:module 3.6.1:5.10.3:module 3.5.4:5.11.4:module 3.5.2:5.10.3:module 3.5.4:5.14.4:class"}
failed=()
first=true
for run in $runs; do
  IFS=: read -r surefire junit layout <<<"$run"
  goal=test
  if $first; then goal=verify; first=false; fi
  modulePath=true
  [ "$layout" = class ] && modulePath=false
  echo "== downstream example: mvn $goal with Surefire $surefire, JUnit $junit, tests on the $layout path"
  if "$maven" -B -ntp "${repo_args[@]}" -f "$here/pom.xml" clean "$goal" -Dsurefire.version="$surefire" \
      -Djunit.version="$junit" -Dtest.modulePath="$modulePath" "$@" </dev/null; then
    echo "-- passed: Surefire $surefire, JUnit $junit, $layout path"
  else
    failed+=("Surefire $surefire, JUnit $junit, $layout path")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  printf 'downstream example FAILED with: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "downstream example passed in every run: $runs"
