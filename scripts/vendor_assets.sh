#!/usr/bin/env bash
# Re-creates static/vendor/ from the npm registry: the map's JS/CSS, served by the app itself so
# the map draws with no internet. Versions match what folium 0.20 asks for from its CDNs.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent leaflet@1.9.3 leaflet.markercluster@1.5.3 >/dev/null
rm -rf "$dest" && mkdir -p "$dest/leaflet" "$dest/leaflet.markercluster"
tar xzf leaflet-1.9.3.tgz && cp -r package/dist/leaflet.js package/dist/leaflet.css \
  package/dist/images package/LICENSE "$dest/leaflet/" && rm -rf package
tar xzf leaflet.markercluster-1.5.3.tgz && cp package/dist/leaflet.markercluster.js \
  package/dist/MarkerCluster.css package/dist/MarkerCluster.Default.css \
  package/MIT-LICENCE.txt "$dest/leaflet.markercluster/"
echo "vendored into $dest"
