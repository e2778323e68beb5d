"""python-websockets as a client of our server (the Debian package python3-websockets, asyncio API).

Usage: python3 client.py SCENARIO BASE_URL   (BASE_URL like ws://127.0.0.1:PORT)
Prints "PASS name" or "FAIL name: why" per check and "closed CODE REASON" when a connection
ends; exits 0 only when every check passed. The routes are described in ../node/common.mjs.
"""
import asyncio
import os
import sys

import websockets

PING_PAYLOAD = "ping-from-server"
failures = 0


def check(name, ok, why=""):
    global failures
    if ok:
        print(f"PASS {name}", flush=True)
    else:
        failures += 1
        print(f"FAIL {name}: {why}", flush=True)


def split(data, n):
    size = -(-len(data) // n)
    return [data[i * size:(i + 1) * size] for i in range(n)]


async def connect(base, path, compression=None):
    return await websockets.connect(base + path, max_size=16 * 1024 * 1024, compression=compression,
                                    ping_interval=None)


async def expect_echo(ws, name, payload):
    await ws.send(payload)
    got = await ws.recv()
    check(name, type(got) is type(payload) and got == payload,
          f"sent {type(payload).__name__} of {len(payload)}, got {type(got).__name__} of {len(got)}")


async def close_normally(ws):
    await ws.close(1000, "done")
    print(f"closed {ws.close_code} {ws.close_reason}", flush=True)
    check("close 1000", ws.close_code == 1000, f"close code {ws.close_code}")


async def text(base):
    ws = await connect(base, "/echo")
    await expect_echo(ws, "text", "hello from python")
    await expect_echo(ws, "unicode text", "héllo wörld ✓ 🌍 中文")
    await expect_echo(ws, "empty text", "")
    await close_normally(ws)


async def binary(base):
    ws = await connect(base, "/echo")
    await expect_echo(ws, "binary", bytes(range(256)))
    await expect_echo(ws, "empty binary", b"")
    await close_normally(ws)


async def large(base):
    ws = await connect(base, "/echo")
    await expect_echo(ws, "1 MiB text", os.urandom(512 * 1024).hex())
    await expect_echo(ws, "1 MiB binary", os.urandom(1024 * 1024))
    await close_normally(ws)


async def fragmented(base):
    ws = await connect(base, "/echo")
    message = "fragmented text ✓ " + "x" * 1000
    await ws.send(split(message, 5))  # an iterable is sent as one fragmented message
    got = await ws.recv()
    check("fragmented text sent", got == message, f"got {type(got).__name__} of {len(got)}")
    data = os.urandom(70000)
    await ws.send(split(data, 4))
    got = await ws.recv()
    check("fragmented binary sent", got == data, f"got {type(got).__name__} of {len(got)}")
    await close_normally(ws)

    ws = await connect(base, "/fragments")
    await ws.send("7:" + message)
    got = await ws.recv()
    check("fragmented text received", got == message, f"got {got!r}")
    await ws.send(data)
    got = await ws.recv()
    check("fragmented binary received", got == data, f"got {type(got).__name__} of {len(got)}")
    await close_normally(ws)


async def ping(base):
    ws = await connect(base, "/ping")
    got = await ws.recv()  # the server pinged on open; websockets answered by itself
    check("server ping answered", got == "pong:" + PING_PAYLOAD, f"got {got!r}")
    pong = await ws.ping(b"ping-from-python")
    await pong  # resolves when the pong with this payload arrives
    check("client ping answered", True)
    await close_normally(ws)


async def deflate(base):
    ws = await connect(base, "/echo", compression="deflate")
    names = [extension.name for extension in ws.extensions]
    check("permessage-deflate negotiated", names == ["permessage-deflate"], f"extensions {names}")
    await expect_echo(ws, "compressible text", "all work and no play makes jack a dull boy ✓ " * 3000)
    await expect_echo(ws, "short text", "short")
    await expect_echo(ws, "1 MiB binary", os.urandom(1024 * 1024))
    message = "fragmented and compressed " * 400
    await ws.send(split(message, 4))
    got = await ws.recv()
    check("fragmented compressed text", got == message, f"got {type(got).__name__} of {len(got)}")
    await close_normally(ws)


async def client_close(base):
    ws = await connect(base, "/echo")
    await ws.close(4000, "python-bye")
    print(f"closed {ws.close_code} {ws.close_reason}", flush=True)
    check("close 4000 echoed", ws.close_code == 4000, f"close code {ws.close_code}")


async def server_close(base):
    ws = await connect(base, "/close")
    await ws.send("4001 server-bye")
    try:
        got = await ws.recv()
        check("server close 4001", False, f"got a message {got!r}")
    except websockets.ConnectionClosed:
        print(f"closed {ws.close_code} {ws.close_reason}", flush=True)
        check("server close 4001", ws.close_code == 4001 and ws.close_reason == "server-bye",
              f"close {ws.close_code} {ws.close_reason!r}")


SCENARIOS = {
    "text": text, "binary": binary, "large": large, "fragmented": fragmented, "ping": ping,
    "deflate": deflate, "client-close": client_close, "server-close": server_close,
}


async def main(scenario, base):
    try:
        await asyncio.wait_for(SCENARIOS[scenario](base), timeout=20)
    except asyncio.TimeoutError:
        check(scenario, False, "timeout: the scenario did not finish in 20 s")
    except Exception as error:  # any failure is reported as a FAIL line
        check(scenario, False, repr(error))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in SCENARIOS:
        print(f"FAIL usage: client.py SCENARIO BASE_URL; scenarios: {' '.join(SCENARIOS)}")
        sys.exit(2)
    asyncio.run(main(sys.argv[1], sys.argv[2]))
    sys.exit(0 if failures == 0 else 1)
