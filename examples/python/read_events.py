#!/usr/bin/env python3
"""Read `tickgate decode itch --format proto` output (length-delimited tickgate.v1.Events) from stdin and
print every event as one line of JSON (protobuf's JSON mapping).

    protoc --python_out=examples/python -I proto proto/tickgate.proto
    npx tickgate decode itch --format proto day.pcap | python3 examples/python/read_events.py
"""
import json
import sys

from google.protobuf.internal.decoder import _DecodeVarint32

import tickgate_pb2
from subscribe import as_dict


def events(data):
    """The Events of a length-delimited stream: each a varint length, then the Event."""
    at = 0
    while at < len(data):
        length, at = _DecodeVarint32(data, at)
        if at + length > len(data):
            sys.exit(f"read_events.py: the input ends inside an event (byte {at}, {length} bytes announced)")
        event = tickgate_pb2.Event()
        event.ParseFromString(data[at:at + length])
        at += length
        yield event


def main():
    for event in events(sys.stdin.buffer.read()):
        print(json.dumps(as_dict(event), separators=(",", ":")))


if __name__ == "__main__":
    main()
