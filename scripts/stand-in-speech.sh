#!/bin/sh
# A stand-in for espeak-ng, for tests: it accepts espeak-ng's arguments
# (-v VOICE -s WORDS_PER_MINUTE --stdout, text on stdin), writes one line
# "VOICE RATE TEXT" to said.log beside itself for each text, and answers
# with a tenth of a second of quiet WAV, as espeak-ng answers with speech.
# `--version` answers as the kiosk's check expects.
voice=
rate=
while [ $# -gt 0 ]; do
    case "$1" in
    -v) voice=$2; shift 2 ;;
    -s) rate=$2; shift 2 ;;
    --version) echo "stand-in speech 1"; exit 0 ;;
    *) shift ;;
    esac
done
text=$(tr '\n' ' ' | sed 's/ *$//')
printf '%s %s %s\n' "$voice" "$rate" "$text" >> "$(dirname "$0")/said.log"
# RIFF/WAVE, PCM, mono, 22050 Hz, 16 bits; the lengths are left open, as
# espeak-ng leaves them when it writes to a pipe.
printf 'RIFF\377\377\377\377WAVEfmt \020\000\000\000\001\000\001\000\042\126\000\000\104\254\000\000\002\000\020\000data\377\377\377\377'
head -c 4410 /dev/zero
