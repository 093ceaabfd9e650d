#!/usr/bin/env python3
"""tone.py FILE SECONDS HZ: write SECONDS of an 8 kHz mono 16-bit sine of HZ
as a WAV file (baresip's microphone in the media lab: no sound device; a
tone, not silence, so that the audio is not all one byte value)."""
import math
import struct
import sys
import wave

path, secs, hz = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
with wave.open(path, "wb") as w:
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(8000)
    w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * hz * i / 8000)))
                           for i in range(8000 * secs)))
