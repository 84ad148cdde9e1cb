#!/usr/bin/env bash
# Install, with apt-get, whatever the build or the tests need and is missing.
#   scripts/deps.sh run    compiler, make, libelf, jansson (JSON)
#   scripts/deps.sh test   the above, cmocka, QEMU, valgrind, python3 (control tests)
# Debian 12 package names. Needs root only when something is missing.
set -euo pipefail

want=(gcc make libc6-dev libelf-dev libjansson-dev)
case "${1:-run}" in
run) ;;
test) want+=(libcmocka-dev qemu-system-x86 valgrind python3) ;;
*) echo "deps.sh: unknown set '$1' (want run or test)" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages: ${missing[*]}; run as root or install them" >&2
	exit 1
fi
echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
