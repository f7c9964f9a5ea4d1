#!/usr/bin/env bash
# Install Graphviz's `dot` program (graph rendering to SVG/PNG/PDF) if it is missing.
# Debian/Ubuntu (apt, with sudo when not root), Homebrew or conda; otherwise say what to do and fail.
set -euo pipefail
command -v dot >/dev/null 2>&1 && exit 0
if command -v apt-get >/dev/null 2>&1; then
  sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq graphviz >/dev/null
elif command -v brew >/dev/null 2>&1; then
  brew install graphviz
elif command -v conda >/dev/null 2>&1; then
  conda install -y -c conda-forge graphviz
else
  echo "Graphviz's dot is missing: install it from https://graphviz.org/download/ (Windows: winget install graphviz)" >&2
  exit 1
fi
