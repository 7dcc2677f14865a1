#!/usr/bin/env python3
# A persistent-mode fuzz harness: one process for many inputs. Run it with:
#
#   npx mtcgk fuzz --persistent --target 'python3 examples/fuzz/persistent.py' --proto nas-eps -n 100000
#
# Frames on stdin: a 4-byte little-endian length, then the input. Answer each with one status
# octet on stdout: 0 for ok, anything else is a finding. A crash or a closed pipe is a finding too.
import struct
import sys


def parse(data):  # your parser here
    return data[:2] == b'\x07\x41' and len(data) > 2


while (header := sys.stdin.buffer.read(4)) and len(header) == 4:
    data = sys.stdin.buffer.read(struct.unpack('<I', header)[0])
    try:
        parse(data)
        status = 0
    except Exception:
        status = 1
    sys.stdout.buffer.write(bytes([status]))
    sys.stdout.buffer.flush()
