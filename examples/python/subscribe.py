#!/usr/bin/env python3
"""Subscribe to `tickgate serve` and print every event as one line of JSON (protobuf's JSON mapping).

Needs Debian's python3-protobuf and python3-websockets, and the schema compiled by protoc:

    protoc --python_out=examples/python -I proto proto/tickgate.proto
    TICKGATE_TOKEN=... python3 examples/python/subscribe.py --url http://127.0.0.1:8080 --kinds book --symbols AAPL

The token comes from the environment (TICKGATE_TOKEN), so it never shows in the process list.
"""
import argparse
import asyncio
import json
import os
import sys
from urllib.parse import urlencode

import websockets
from google.protobuf.json_format import MessageToDict

import tickgate_pb2


def as_dict(event):
    # every field present, as the TypeScript client gives them (the keyword changed name in protobuf 26)
    try:
        return MessageToDict(event, including_default_value_fields=True)
    except TypeError:
        return MessageToDict(event, always_print_fields_with_no_presence=True)


async def run(args, token):
    query = urlencode({"token": token})
    uri = args.url.replace("http", "ws", 1).rstrip("/") + "/v1/stream?" + query
    async with websockets.connect(uri, max_size=None) as ws:
        subscribe = tickgate_pb2.Subscribe(kinds=args.kinds, symbols=args.symbols)
        await ws.send(subscribe.SerializeToString())
        seen = 0
        async for data in ws:  # ends when the server closes the connection normally
            batch = tickgate_pb2.Batch()
            batch.ParseFromString(data)
            for event in batch.events:
                print(json.dumps(as_dict(event), separators=(",", ":")))
                seen += 1
                if args.count and seen >= args.count:
                    return


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True, help="the URL serve printed, e.g. http://127.0.0.1:8080")
    parser.add_argument("--kinds", type=lambda s: [k for k in s.split(",") if k], default=[], help="itch,gap,error,book,session (default: all)")
    parser.add_argument("--symbols", type=lambda s: [k for k in s.split(",") if k], default=[], help="AAPL,MSFT (default: all)")
    parser.add_argument("--count", type=int, default=0, help="stop after this many events (default: until the server closes)")
    args = parser.parse_args()
    token = os.environ.get("TICKGATE_TOKEN")
    if not token:
        sys.exit("subscribe.py: set TICKGATE_TOKEN to one of the server's tokens")
    try:
        asyncio.run(run(args, token))
    except websockets.exceptions.InvalidStatusCode as err:
        sys.exit(f"subscribe.py: the server refused the connection: HTTP {err.status_code}")


if __name__ == "__main__":
    main()
