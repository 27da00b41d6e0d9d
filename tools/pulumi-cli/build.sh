#!/usr/bin/env bash
# Builds the Pulumi CLI pinned in tools/pulumi-cli/go.mod, this folder's Node.js language host and
# the dynamic-provider launcher into a cache outside the clone, and prints where they are.
#
#   bash tools/pulumi-cli/build.sh          build unless the cache already holds this exact build
#   bash tools/pulumi-cli/build.sh --where  print the bin folder only (nothing is built)
#
# The cache is $PULUMI_DOCR_CLI_CACHE, default ~/.cache/pulumi-docr; the bin folder is
# <cache>/pulumi-cli-<version>/bin. Put it first on PATH to use the CLI by hand.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { sub(/^v/, "", $2); print $2 }' "$here/go.mod")
cache=${PULUMI_DOCR_CLI_CACHE:-$HOME/.cache/pulumi-docr}
bin="$cache/pulumi-cli-$version/bin"

if [ "${1:-}" = "--where" ]; then
  echo "$bin"
  exit 0
fi

# A build is reused only when it came from these exact sources. The CLI itself (a ~170 MB link) depends
# only on the module files and this script, so a change to the language host alone relinks just the host.
cli_stamp=$(cat "$here/go.mod" "$here/go.sum" "$0" | sha256sum | cut -c1-16)
stamp=$(cat "$here/go.mod" "$here/go.sum" "$here/language-nodejs/"*.go "$0" | sha256sum | cut -c1-16)
if [ -f "$bin/.stamp" ] && [ "$(cat "$bin/.stamp")" = "$stamp" ]; then
  echo "Pulumi CLI $version: cached, $bin"
  exit 0
fi

start=$(date +%s)
staging="$bin.partial"
rm -rf "$staging"
mkdir -p "$staging"
cd "$here"
# Official builds stamp the version; without it `pulumi version` prints nothing and the Automation API
# refuses the CLI.
ldflags="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
# `go build -v` names each package as it compiles it: a cold build is several hundred of them over
# minutes, so print a line every 100 instead of staying silent. Anything that is not a bare package
# path (a compile error, a download) is printed as it comes.
build() {
  local what=$1
  shift
  go build -v -trimpath -ldflags "$ldflags" -o "$staging/$what" "$@" 2>&1 |
    awk -v what="$what" '!/^[^ \t#:]+$/ { print; fflush(); next } { n++ } n % 100 == 0 {
      printf "  %s: %d packages compiled\n", what, n; fflush() }'
  # pipefail: the pipeline fails when go build does, whatever awk returns.
  echo "  $what: built"
}
echo "Pulumi CLI $version: building into $bin (a cold build takes about 5 minutes)"
# The host first: it is small, and an error in it shows in seconds.
build pulumi-language-nodejs ./language-nodejs
if [ -f "$bin/.cli-stamp" ] && [ "$(cat "$bin/.cli-stamp")" = "$cli_stamp" ] && [ -x "$bin/pulumi" ]; then
  cp "$bin/pulumi" "$staging/pulumi"
  echo "  pulumi: unchanged, reused"
else
  build pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
fi
echo "$cli_stamp" > "$staging/.cli-stamp"

# The launcher the engine starts for dynamic providers (the CLI's releases ship the same few lines):
# the host script from the program's own @pulumi/pulumi, so state and program agree on the SDK.
cat > "$staging/pulumi-resource-pulumi-nodejs" <<'EOF'
#!/bin/sh
script=$(node -e "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))") || exit 1
exec node "$script" "$@"
EOF
chmod +x "$staging/pulumi-resource-pulumi-nodejs"
echo "$stamp" > "$staging/.stamp"

rm -rf "$bin"
mv "$staging" "$bin"
echo "Pulumi CLI $version: built in $(( $(date +%s) - start )) s, $bin"
