#!/bin/sh
# Installs the Debian packages pactgraph builds against, only those that are missing.
set -e
PACKAGES="cmake make g++ pkg-config librocksdb-dev libboost-graph-dev libcpp-httplib-dev \
nlohmann-json3-dev libsimdjson-dev libfmt-dev libssl-dev libgtest-dev libgmock-dev libedit-dev libxml2-dev libgraphviz-dev libjemalloc-dev liblink-grammar-dev link-grammar-dictionaries-en chromium clang libclang-rt-14-dev python3 python3-rdflib"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Node.js and npm for the export test (it installs the npm package kuzu into the build tree);
# Debian's when no other Node.js is installed: a Node.js from elsewhere ships its own npm.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
