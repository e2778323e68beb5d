# Sourced by ./mvnw and ./ws: finds a JDK >= 21 and exports JAVA_HOME.
# Order: $JAVA_HOME if new enough, then the javac on PATH, then the newest JDK under /usr/lib/jvm.

ws_jdk_feature() { # prints the feature release of the JDK at $1 (e.g. 25), or nothing
  local release="$1/release" version
  [ -x "$1/bin/javac" ] || return 0
  if [ -r "$release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$release")
  else
    version=$("$1/bin/javac" -version 2>&1 | awk '{print $2}')
  fi
  version=${version#1.}
  printf '%s\n' "${version%%[.+-]*}"
}

ws_find_jdk() {
  local candidate feature best="" best_feature=0
  if [ -n "${JAVA_HOME:-}" ]; then
    feature=$(ws_jdk_feature "$JAVA_HOME")
    if [ -n "$feature" ] && [ "$feature" -ge 21 ]; then return 0; fi
  fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    feature=$(ws_jdk_feature "$candidate")
    if [ -n "$feature" ] && [ "$feature" -ge 21 ]; then export JAVA_HOME="$candidate"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -d "$candidate" ] || continue
    feature=$(ws_jdk_feature "$candidate")
    if [ -n "$feature" ] && [ "$feature" -ge 21 ] && [ "$feature" -gt "$best_feature" ]; then
      best="$candidate"; best_feature="$feature"
    fi
  done
  if [ -n "$best" ]; then export JAVA_HOME="$best"; return 0; fi
  echo "error: this build needs a JDK 21 or newer, and none was found." >&2
  echo "  looked at: \$JAVA_HOME (${JAVA_HOME:-unset}), javac on PATH, /usr/lib/jvm/*" >&2
  echo "  install one (for example Temurin 21+) and set JAVA_HOME to it." >&2
  return 1
}
