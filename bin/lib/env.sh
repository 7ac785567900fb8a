# Shared by bin/ scripts: locate the project root and a JDK 25, and build when stale.
# shellcheck shell=bash

HYBRIDLAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

java_major() { # prints the feature version of the java at $1/bin/java
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}

# Sets JAVA_HOME to a JDK 25: $HYBRIDLAB_JAVA_HOME, $JAVA_HOME, the usual install paths, or java on PATH.
find_jdk() {
  local cand
  local -a cands=("${HYBRIDLAB_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk* /usr/lib/jvm/java-25-* /usr/lib/jvm/jdk-25* /opt/jdk-25*)
  if command -v java >/dev/null 2>&1; then
    cands+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for cand in "${cands[@]}"; do
    if [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] && [ "$(java_major "$cand")" = "25" ]; then
      export JAVA_HOME="$cand"
      return 0
    fi
  done
  echo "error: hybrid-lab needs a JDK 25 (e.g. Eclipse Temurin 25); none found." >&2
  echo "       Install one, or set HYBRIDLAB_JAVA_HOME=/path/to/jdk-25." >&2
  exit 1
}

mvn_cmd() { # runs Maven from the project root with the JDK found above
  find_jdk
  if ! command -v mvn >/dev/null 2>&1; then
    echo "error: Maven (mvn, 3.8 or newer) is needed to build hybrid-lab; install it (e.g. apt-get install maven)." >&2
    exit 1
  fi
  # Maven 3.8's bundled Guava touches sun.misc.Unsafe; JDK 25 warns on every build without this.
  MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" mvn -f "$HYBRIDLAB_ROOT/pom.xml" "$@"
}

# The CLI jar is stale when any source or POM is newer than it, or it was built with other Maven
# arguments (e.g. without -Ptornado).
build_if_stale() {
  local jar="$HYBRIDLAB_ROOT/experiments/target/experiments.jar"
  local stamp="$HYBRIDLAB_ROOT/experiments/target/build-args"
  local args="${HYBRIDLAB_MVN_ARGS[*]:-}"
  if [ -f "$jar" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$args" ] && [ -z "$(find "$HYBRIDLAB_ROOT" -path "$HYBRIDLAB_ROOT/results" -prune -o \
        \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' -o -path '*/src/tornado/*' \) -newer "$jar" -print -quit)" ]; then
    return 0
  fi
  local clean=()
  if [ -f "$jar" ] && [ "$(cat "$stamp" 2>/dev/null)" != "$args" ]; then
    clean=(clean)  # other arguments: start from empty build folders (no classes left from the other profile)
  fi
  echo "building hybrid-lab (mvn ${clean[*]:+clean }package $args)..." >&2
  mvn_cmd -q -B -DskipTests "${clean[@]}" package "${HYBRIDLAB_MVN_ARGS[@]}" >&2
  printf '%s' "$args" > "$stamp"
}

# With TornadoVM installed (TORNADOVM_HOME names its SDK, see https://tornadovm.readthedocs.io):
# builds with -Ptornado, and for commands that use it (--backend tornado, devices) runs the JVM
# on TornadoVM's flags (its argfile) with bail-out to plain Java off, so a kernel that does not
# compile fails instead of silently running on the host. HYBRIDLAB_TORNADO=0 ignores TornadoVM.
HYBRIDLAB_JAVA_FLAGS=()
tornado_setup() {
  if [ -z "${TORNADOVM_HOME:-}" ] || [ "${HYBRIDLAB_TORNADO:-1}" = "0" ]; then
    return 0
  fi
  if [ ! -f "$TORNADOVM_HOME/tornado-argfile" ]; then
    echo "warning: TORNADOVM_HOME=$TORNADOVM_HOME has no tornado-argfile; the tornado backend stays off" >&2
    return 0
  fi
  HYBRIDLAB_MVN_ARGS+=(-Ptornado)
  case " $* " in
    *" tornado"*|*"=tornado"*|" devices "*|" device-report "*)
      HYBRIDLAB_JAVA_FLAGS=("@$TORNADOVM_HOME/tornado-argfile" -Dtornado.recover.bailout=False -Dtornado.loop.interchange=False)
      # a native library of the OpenCL driver (its kernel compiler) installs its own SIGSEGV handler,
      # which then takes the signals the JVM raises on purpose (implicit null checks) and kills the
      # process; the JDK's libjsig chains the handlers
      if [ -f "$JAVA_HOME/lib/libjsig.so" ]; then
        export LD_PRELOAD="$JAVA_HOME/lib/libjsig.so${LD_PRELOAD:+:$LD_PRELOAD}"
      fi
      ;;
  esac
}

# Installs a Debian package where that is possible (root with apt) and it is missing; silent otherwise.
apt_install() { # apt_install PACKAGE FILE-IT-PROVIDES
  if [ -e "$2" ] || [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    return 0
  fi
  echo "installing $1 (apt-get install $1)..." >&2
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null 2>&1 \
      || echo "warning: could not install $1" >&2
  fi
}

# The report's figures are set in DejaVu Sans, read from Debian's font package.
ensure_fonts() {
  apt_install fonts-dejavu-core /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
}

# Installs Debian's Fashion-MNIST where that is possible (root with apt); silent otherwise.
ensure_dataset() {
  if [ -n "${HYBRIDLAB_DATA:-}" ] || [ -d /usr/share/datasets/fashion-mnist ]; then
    return 0
  fi
  apt_install dataset-fashion-mnist /usr/share/datasets/fashion-mnist
}
