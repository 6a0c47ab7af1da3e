#!/usr/bin/env bash
# Installs the Debian packages erofs-top needs to build, test and take screenshots
# (python3.11 and python3-pip: the strace-startup fixtures rebuild their image from this
# python3.11 and three wheels downloaded from PyPI; openjdk-17-jre-headless: Spark local mode
# for the export tests, scripts/export/install-python-deps.sh).
# Idempotent: does nothing when everything is already there. Needs root (or sudo) to install.
set -euo pipefail
packages=(pkg-config liblz4-dev liblzma-dev zlib1g-dev libdeflate-dev libzstd-dev libncursesw5-dev erofs-utils tmux strace
          python3-pyte python3-pil fonts-dejavu-core debootstrap util-linux kmod gzip zstd python3.11 python3-pip
          openjdk-17-jre-headless)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "erofs-top: installing ${missing[*]}" >&2
$sudo apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
