# Shared by scripts/run-kiosk.sh and scripts/test.sh (sourced, not run).

# Libraries the kiosk loads at run time (winit opens X11/Wayland with
# dlopen; bevy renders through Vulkan: a GPU driver, or Mesa's lavapipe).
RUNTIME_PACKAGES="libvulkan1 mesa-vulkan-drivers libwayland-client0 libwayland-cursor0
  libxkbcommon0 libxkbcommon-x11-0 libx11-6 libx11-xcb1 libxcursor1 libxrandr2 libxi6"
# What building needs beyond Rust: a C compiler and libc headers (crates
# that build C code, and the linker rustc calls), pkg-config, and the
# headers its build scripts look for: ALSA for sound (cpal) and the Wayland
# client (winit). scripts/check-fresh-debian.sh proves this list on a fresh
# Debian 12: a crate that asks pkg-config for anything else fails it.
BUILD_PACKAGES="gcc libc6-dev pkg-config libasound2-dev libwayland-dev"
RUNTIME_PACKAGES="$RUNTIME_PACKAGES libasound2"
# Spoken output (accessibility): an offline speech synthesizer, run as a
# separate process (its absence is handled: the kiosk says it cannot read
# aloud).
RUNTIME_PACKAGES="$RUNTIME_PACKAGES espeak-ng"
# What the tests add: a virtual X screen, screenshots, OCR, clicks, QR
# codes read back, and kill(1) to stop the kiosk as systemd does;
# PostgreSQL for the hub server's tests on its second database
# (scripts/with-postgres.sh); Chromium and its WebDriver for the browser
# tests (the staff console, the visitor's phone page); a FAT
# file system written and read without mounting, for the provisioning.
TEST_PACKAGES="xvfb xauth imagemagick tesseract-ocr tesseract-ocr-ita xdotool zbar-tools procps postgresql
  chromium chromium-driver mtools dosfstools"

# One persistent build folder outside the clone: bevy is built once.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/portalavoro-kiosk/target}"

# Installs the Debian packages that are missing (apt-get, as root or with sudo).
ensure_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Starts a virtual 1080x1920 screen on display $1 (":N") in the background
# and waits until it answers (up to 5 s); its pid is left in xvfb_pid.
start_xvfb() {
    Xvfb "$1" -screen 0 1080x1920x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 50); do DISPLAY=$1 xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
}

ensure_cargo() {
    if ! command -v cargo >/dev/null; then
        echo "cargo not found: install Rust 1.95 or newer (https://rustup.rs), then run this again." >&2
        exit 1
    fi
}
