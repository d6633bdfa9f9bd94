#!/usr/bin/env bash
# Builds Plume's OCI image (deploy/Containerfile) with podman, or docker when
# podman is absent, from the repository and the host's Debian packages
# ca-certificates and tzdata: no base image is pulled. make deps installs them.
# Usage: scripts/image.sh [TAG]   (default plume:$VERSION; VERSION from git)
set -euo pipefail
cd "$(dirname "$0")/.."

engine=${ENGINE:-$(command -v podman || command -v docker || true)}
if [ -z "$engine" ]; then
	echo "image: neither podman nor docker is installed (make deps installs podman)" >&2
	exit 1
fi
version=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
tag=${1:-plume:$version}
certs=/etc/ssl/certs/ca-certificates.crt
zoneinfo=/usr/share/zoneinfo
for f in "$certs" "$zoneinfo/Europe/Paris"; do
	if [ ! -e "$f" ]; then
		echo "image: $f is missing (apt-get install ca-certificates tzdata)" >&2
		exit 1
	fi
done

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
root=$ctx/rootfs
mkdir -p "$root/etc/ssl/certs" "$root/usr/share" "$root/etc/plume" "$root/var/log" "$root/var/cache" "$ctx/audit" "$ctx/cache"
CGO_ENABLED=0 ${GO:-go} build -trimpath -ldflags "-s -w -X main.version=$version" -o "$root/plume" ./cmd/plume
cp "$certs" "$root/etc/ssl/certs/"
cp -a "$zoneinfo" "$root/usr/share/"
# Files are root's and read-only to the image's user.
chmod -R go-w "$root"
"$engine" build --quiet -f deploy/Containerfile --build-arg "VERSION=$version" -t "$tag" "$ctx" >/dev/null
echo "image: built $tag with $(basename "$engine")"
