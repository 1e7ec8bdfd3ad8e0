# The start several shell suites share: strict mode, the program and the
# source tree from ctest's environment ($wd, $src), the npm corpus fetched,
# and a scratch folder $tmp that is removed on exit.
set -euo pipefail
src="${WD_SOURCE_DIR:?}"
wd="${WEBDOCTOR:?}"
"$src/tests/corpus/fetch" >/dev/null
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
