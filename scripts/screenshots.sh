#!/usr/bin/env bash
# Takes the README's screenshots of the real terminal UI: runs the dashboard in
# a detached tmux session per shot, sends that shot's keys, captures the pane
# with its colours (tmux capture-pane -e -N) and renders the capture to a PNG
# with scripts/render_screenshot.py (pyte + Pillow + DejaVu Sans Mono), which
# is byte-for-byte reproducible for the same capture.
#
#   scripts/screenshots.sh [-o DIR] [-s COLSxROWS] [--keep-captures] [--] [COMMAND...]
#
# COMMAND defaults to `.build/release/erofs-top demo` (build it first with
# `swift build -c release --static-swift-stdlib --product erofs-top`). Each shot starts the command afresh:
#
#   overview     the replay paused at 70 % (all containers started), Files opened on the largest image
#   shared       the Shared chunks panel focused
#   inode-map    Enter down the largest entries to a file: its Inode map
#   all-policies the all-policies comparison (a) at the end of the replay
#   knobs        the what-if settings panel (o) open over the paused replay
#
# Key sequences are tmux key names separated by spaces; `sleep:N` waits N
# seconds. Override one with SHOT_OVERVIEW, SHOT_SHARED, SHOT_INODE_MAP,
# SHOT_ALL_POLICIES or SHOT_KNOBS, e.g. SHOT_SHARED="sleep:2 Tab Down Down sleep:1".
# SHOTS="live" takes only the named shots; `live` (keys SHOT_LIVE) is for
# `erofs-top live` (scripts/screenshot-live.sh sets it up).
set -euo pipefail

out=screenshots
size=120x40
keep=0
while [ $# -gt 0 ]; do
	case "$1" in
	-o) out=$2; shift 2 ;;
	-s) size=$2; shift 2 ;;
	--keep-captures) keep=1; shift ;;
	-h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	--) shift; break ;;
	*) break ;;
	esac
done
if [ $# -gt 0 ]; then command=("$@"); else command=(.build/release/erofs-top demo); fi
cols=${size%x*}
rows=${size#*x}
here=$(cd "$(dirname "$0")" && pwd)

read -r -a shots <<<"${SHOTS:-overview shared inode-map all-policies knobs}"
# Each shot pauses the replay (Space) and seeks with the timeline keys (`}` = +10 % of the
# events, End = the end in the all-policies view), so it shows the same moment on any machine:
# 70 % is after the second and third containers have started.
seventy="Space } } } } } } }"
declare -A keys=(
	[live]=${SHOT_LIVE:-"sleep:6"}
	[overview]=${SHOT_OVERVIEW:-"sleep:2 $seventy Enter sleep:1"}
	[shared]=${SHOT_SHARED:-"sleep:2 $seventy Tab Down sleep:1"}
	[inode-map]=${SHOT_INODE_MAP:-"sleep:2 $seventy Enter Enter Enter Enter Enter Enter Enter sleep:1"}
	[all-policies]=${SHOT_ALL_POLICIES:-"sleep:2 Space a End sleep:1"}
	[knobs]=${SHOT_KNOBS:-"sleep:2 $seventy o Down sleep:1"}
)

# A Python that has pyte and Pillow: Debian's packages land in /usr/bin/python3,
# which a pyenv or venv python3 earlier on PATH does not see.
find_python() {
	for candidate in python3 /usr/bin/python3; do
		if command -v "$candidate" >/dev/null && "$candidate" -c 'import pyte, PIL' 2>/dev/null; then
			echo "$candidate"
			return 0
		fi
	done
	return 1
}

need() {
	local missing=()
	command -v tmux >/dev/null || missing+=(tmux)
	find_python >/dev/null || missing+=(python3-pyte python3-pil)
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || missing+=(fonts-dejavu-core)
	if [ ${#missing[@]} -gt 0 ]; then
		echo "screenshots.sh: missing ${missing[*]}; installing with scripts/install-deps.sh" >&2
		"$here/install-deps.sh"
	fi
}
need
python=$(find_python) || { echo "screenshots.sh: no python3 with pyte and Pillow" >&2; exit 1; }
if ! command -v "${command[0]}" >/dev/null && [ ! -x "${command[0]}" ]; then
	echo "screenshots.sh: ${command[0]} not found (build it with: swift build -c release --static-swift-stdlib --product erofs-top)" >&2
	exit 1
fi
mkdir -p "$out"

# A private tmux server: no user config, no status line (the pane gets the
# whole COLSxROWS), a 256-colour TERM inside.
socket="erofs-top-shots-$$"
config=$(mktemp)
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -f "$config"' EXIT
printf 'set -g status off\nset -g default-terminal tmux-256color\nset -g history-limit 0\n' >"$config"

quoted=$(printf '%q ' "${command[@]}")
for shot in "${shots[@]}"; do
	session="shot-$shot"
	tmux -L "$socket" -f "$config" -u new-session -d -s "$session" -x "$cols" -y "$rows" \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color $quoted; sleep 5"
	for key in ${keys[$shot]}; do
		case "$key" in
		sleep:*) sleep "${key#sleep:}" ;;
		*) tmux -L "$socket" send-keys -t "$session" "$key"; sleep 0.3 ;;
		esac
	done
	capture="$out/$shot.ansi"
	tmux -L "$socket" capture-pane -t "$session" -e -N -p >"$capture"
	tmux -L "$socket" send-keys -t "$session" q
	sleep 0.5
	tmux -L "$socket" kill-session -t "$session" 2>/dev/null || true
	"$python" "$here/render_screenshot.py" "$capture" "$out/$shot.png" --cols "$cols" --rows "$rows"
	[ "$keep" = 1 ] || rm -f "$capture"
	echo "$out/$shot.png"
done
