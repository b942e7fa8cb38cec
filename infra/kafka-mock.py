#!/usr/bin/python3
"""Starts librdkafka's built-in mock Kafka cluster and prints its bootstrap address.

The mock cluster lives inside this process (a client configured with test.mock.num.brokers);
other processes reach it over TCP at the address printed on the first line of stdout. It runs
until this process is stopped (SIGTERM or Ctrl-C). Topics are created on first use.
Used by `./orbit kafka-mock` and by the tests; see docs/async.md for what it does not cover.
"""
import signal
import sys
import time

from confluent_kafka import Producer

brokers = int(sys.argv[1]) if len(sys.argv) > 1 else 1
holder = Producer({"test.mock.num.brokers": brokers, "client.id": "orbit-kafka-mock"})
metadata = holder.list_topics(timeout=10)
print(",".join(f"{b.host}:{b.port}" for b in metadata.brokers.values()), flush=True)

stopping = False


def stop(*_):
    global stopping
    stopping = True


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
while not stopping:
    holder.poll(0.2)
    time.sleep(0.2)
