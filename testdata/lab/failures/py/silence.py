#!/usr/bin/env python3
"""silence.py FILE SECONDS: write SECONDS of 8 kHz mono 16-bit silence as a
WAV file (baresip's audio source in the failure lab: no sound device)."""
import sys
import wave

path, secs = sys.argv[1], int(sys.argv[2])
with wave.open(path, "wb") as w:
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(8000)
    w.writeframes(b"\0\0" * 8000 * secs)
