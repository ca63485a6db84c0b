#!/usr/bin/env bash
# The release process without a hosted CI (#27), checked on every run: run after `npx projen package-all`.
# 1. `npx projen bump` computes the next 0.x version from the conventional commits and writes a changelog entry
#    (then `npx projen unbump` puts package.json back);
# 2. `npm publish --dry-run` accepts the packed tarball;
# 3. the packed tarball installs into a fresh app with aws-cdk-lib, constructs and esbuild from npm, and a synth with
#    bundling on stages the function's bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

echo "-- npx projen bump"
rm -f dist/version.txt dist/changelog.md
npx projen bump
version=$(cat dist/version.txt)
npx projen unbump
[[ $version =~ ^0\.[0-9]+\.[0-9]+$ ]] || { echo "bump gave '$version', not a 0.x version" >&2; exit 1; }
grep -qE "^##+ \[?$version\]?" dist/changelog.md || { echo "dist/changelog.md has no entry for $version" >&2; exit 1; }
echo "next release: $version ($(grep -c '^\* ' dist/changelog.md) entries in dist/changelog.md)"

tarball=$(ls dist/js/cdk-lambda-kit@*.jsii.tgz)
echo "-- npm publish --dry-run $tarball"
npm publish --dry-run --loglevel=warn "$tarball"

echo "-- the packed tarball in a fresh app"
app=$(mktemp -d "${TMPDIR:-/tmp}/cdk-lambda-kit-tarball-XXXXXX")
trap 'rm -rf "$app"' EXIT
floor=$(node -p "require('./package.json').peerDependencies['aws-cdk-lib'].replace(/^[^0-9]*/, '')")
constructs=$(node -p "require('./package.json').peerDependencies.constructs.replace(/^[^0-9]*/, '')")
esbuild=$(node -p "require('./package.json').optionalDependencies.esbuild")
cd "$app"
echo '{ "name": "tarball-app", "private": true, "type": "module" }' > package.json
npm install --no-audit --no-fund --loglevel=error "$repo/$tarball" "aws-cdk-lib@$floor" "constructs@$constructs" "esbuild@$esbuild"
mkdir src
echo 'export const handler = async () => ({ statusCode: 200, body: "ok" });' > src/orders.ts
cat > app.mjs <<'APP'
import { App, Stack } from 'aws-cdk-lib';
import { ServerlessFunction } from 'cdk-lambda-kit';
const app = new App({ outdir: 'cdk.out' });
new ServerlessFunction(new Stack(app, 'Tarball'), 'Orders', { entry: 'src/orders.ts' });
app.synth();
APP
node app.mjs
ls cdk.out/asset.*/index.mjs > /dev/null || { echo "the tarball's synth staged no bundle" >&2; exit 1; }
grep -q '"Runtime": "nodejs24.x"' cdk.out/Tarball.template.json || { echo "the tarball's template has no nodejs24.x function" >&2; exit 1; }
echo "the packed tarball installs and synthesizes with bundling"
