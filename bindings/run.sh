#!/usr/bin/env bash
# The Python (and Java) bindings for real (#27): jsii-pacmak builds the package of each language from the compiled
# library (run `npx projen compile` first); each goes into a fresh copy of its app in bindings/, with aws-cdk-lib and
# constructs from that language's registry; the real CDK CLI synthesizes the app with bundling on; check-synth.mjs
# checks the template and the staged bundle and layer; a second synth (cdk.out removed) must restore both from the
# bundle cache. Downloads are cached between runs (npm's cache, ~/.cache/pip, ~/.m2) and fetched on a fresh machine.
#   bindings/run.sh [python] [java]     (both by default)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
cdk="$repo/node_modules/.bin/cdk"
languages=("${@:-python java}")
work=$(mktemp -d "${TMPDIR:-/tmp}/cdk-lambda-kit-bindings-XXXXXX")
trap 'rm -rf "$work"' EXIT
floor=$(node -p "require('./package.json').peerDependencies['aws-cdk-lib'].replace(/^[^0-9]*/, '')")

# Synthesize the app in $1 twice with the real CDK CLI and check both assemblies.
synth_twice() {
  local app=$1
  (cd "$app" && npm install --no-audit --no-fund --loglevel=error)
  echo "-- first synth (cold cache)"
  (cd "$app" && "$cdk" synth --quiet 2> "$work/synth1.err") || { cat "$work/synth1.err" >&2; exit 1; }
  grep '^cdk-lambda-kit: ' "$work/synth1.err" || true
  node bindings/check-synth.mjs "$app/cdk.out" < "$work/synth1.err"
  echo "-- second synth (cdk.out removed, the bundle cache kept)"
  rm -rf "$app/cdk.out"
  (cd "$app" && "$cdk" synth --quiet 2> "$work/synth2.err") || { cat "$work/synth2.err" >&2; exit 1; }
  node bindings/check-synth.mjs "$app/cdk.out" --cached < "$work/synth2.err"
}

for language in ${languages[*]}; do
  case $language in
  python)
    echo "== bindings: Python wheel (jsii-pacmak), installed with pip in a fresh virtualenv"
    npx jsii-pacmak --targets python --outdir "$work/dist"
    python3 -m venv "$work/venv"
    pip=("$work/venv/bin/pip" install --quiet --disable-pip-version-check)
    if ! "${pip[@]}" "$work"/dist/python/*.whl 2> "$work/pip.err"; then
      # The wheel requires aws-cdk-lib >= the peer floor. A PyPI that does not have that release yet cannot install it:
      # say so, loudly, and run the app with the newest aws-cdk-lib PyPI has (the rest of the wheel's requirements
      # as declared), so that the binding itself is still proven.
      grep -q "aws-cdk-lib" "$work/pip.err" || { cat "$work/pip.err" >&2; exit 1; }
      echo "NOTICE: PyPI has no aws-cdk-lib >= $floor (the wheel's requirement): installing the wheel without its" >&2
      echo "NOTICE: dependencies and the newest aws-cdk-lib PyPI has. Users of this release need aws-cdk-lib >= $floor on PyPI." >&2
      "${pip[@]}" --no-deps "$work"/dist/python/*.whl
      "${pip[@]}" aws-cdk-lib "constructs>=10.5.1,<11" "jsii>=1.140.0,<2" "publication>=0.0.3"
    fi
    "$work/venv/bin/pip" list --disable-pip-version-check 2>/dev/null | grep -Ei '^(aws-cdk-lib|cdk-lambda-kit|constructs|jsii) '
    cp -r bindings/python-app "$work/python-app"
    rm -rf "$work/python-app/node_modules" "$work/python-app/cdk.out"
    PATH="$work/venv/bin:$PATH" synth_twice "$work/python-app"
    ;;
  java)
    echo "== bindings: Java package (jsii-pacmak), installed into the local Maven repository"
    npx jsii-pacmak --targets java --code-only --outdir "$work/dist"
    # The package requires aws-cdk-lib >= the peer floor. A Maven Central without that release cannot resolve it: say
    # so, loudly, and build and run against the newest aws-cdk-lib it has, so that the binding itself is still proven.
    cdk_version=$floor
    IFS=. read -r major minor _ <<< "$floor"
    for ((m = minor; m > minor - 15; m--)); do
      candidate="$major.$m.0"
      if curl -fsIL "https://repo.maven.apache.org/maven2/software/amazon/awscdk/aws-cdk-lib/$candidate/aws-cdk-lib-$candidate.pom" > /dev/null; then
        cdk_version=$candidate; break
      fi
    done
    if [ "$cdk_version" != "$floor" ]; then
      echo "NOTICE: Maven Central has no aws-cdk-lib $floor (the package's requirement): building and running the" >&2
      echo "NOTICE: Java binding against aws-cdk-lib $cdk_version. Users of this release need aws-cdk-lib >= $floor on Maven Central." >&2
    fi
    # Maven resolves a version range through maven-metadata.xml, which on the Maven Central this runs against lists
    # aws-cdk-lib only up to 2.263.0 though later releases are there: pin each range to its floor (aws-cdk-lib to the
    # version found above), which Maven fetches directly.
    sed -i -E "s|<version>\[$floor,3\.0\.0\)</version>|<version>$cdk_version</version>|; s|<version>\[([0-9.]+),[0-9.]+\)</version>|<version>\1</version>|" "$work/dist/java/pom.xml"
    (cd "$work/dist/java" && mvn -q -B install -DskipTests -Dmaven.javadoc.skip=true -Dgpg.skip=true)
    cp -r bindings/java-app "$work/java-app"
    rm -rf "$work/java-app/node_modules" "$work/java-app/cdk.out" "$work/java-app/target"
    sed -i "s|<aws-cdk-lib.version>[^<]*<|<aws-cdk-lib.version>$cdk_version<|" "$work/java-app/pom.xml"
    synth_twice "$work/java-app"
    ;;
  *) echo "unknown language: $language" >&2; exit 1 ;;
  esac
done
