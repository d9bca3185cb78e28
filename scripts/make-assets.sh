#!/usr/bin/env bash
# Regenerates the bundled attract pictures and sounds, all made for this
# project (licence: the project's own). Needs ImageMagick, python3 and sox:
#   apt-get install imagemagick python3 sox
# The committed files are the output; run this only to change them.
set -euo pipefail
cd "$(dirname "$0")/.."
art=scripts/art
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Pictures: sized for the slide area (portrait 4:5, landscape 12:5).
for orientation in "portrait 1080 1350" "landscape 1920 800"; do
    set -- $orientation
    convert -size "$2x$3" gradient:'#1b3a5c'-'#f3a15e' \
        -draw "$(python3 $art/houses.py "$2" "$3")" -quality 85 "assets/attract/welcome-$1.jpg"
    convert -size "$2x$3" gradient:'#0b2545'-'#2f6690' \
        -draw "$(python3 $art/people.py "$2" "$3")" -quality 85 "assets/attract/together-$1.jpg"
done

# A soft 35 ms touch click.
sox -n -r 44100 -c 1 -b 16 assets/audio/click.wav \
    synth 0.035 sine 1800 fade q 0.002 0.035 0.03 vol 0.5
# Background music: four slow pad chords (C, Am, F, G), 24 s, looped.
for chord in "C4 E4 G4" "A3 C4 E4" "F3 A3 C4" "G3 B3 D4"; do
    set -- $chord
    sox -n -r 22050 -c 1 -b 16 "$tmp/$1$2.wav" synth 6 sine "$1" sine "$2" sine "$3" \
        remix - fade h 1.5 6 1.5 vol 0.35
done
sox "$tmp/C4E4.wav" "$tmp/A3C4.wav" "$tmp/F3A3.wav" "$tmp/G3B3.wav" "$tmp/pad.wav"
sox "$tmp/pad.wav" assets/audio/attract-music.wav reverb 40 gain -n -12
