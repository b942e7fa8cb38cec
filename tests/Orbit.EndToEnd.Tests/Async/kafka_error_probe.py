#!/usr/bin/python3
"""Test helper: produces one message as given (body from argv[1], key argv[2], optional API key argv[3])
to the requests topic, then waits for it on the errors topic and prints its headers as JSON."""
import json
import os
import sys
import time

from confluent_kafka import Consumer, Producer

servers = os.environ["ORBIT_KAFKA"]
body, key = sys.argv[1], sys.argv[2]
headers = [("x-api-key", sys.argv[3])] if len(sys.argv) > 3 else []
producer = Producer({"bootstrap.servers": servers})
producer.produce("orbit.predictions.requests", key=key, value=body, headers=headers)
producer.flush(10)

consumer = Consumer({"bootstrap.servers": servers, "group.id": "probe-" + key, "auto.offset.reset": "earliest",
                     "allow.auto.create.topics": True})
consumer.subscribe(["orbit.predictions.errors"])
deadline = time.time() + 60
while time.time() < deadline:
    message = consumer.poll(1.0)
    if message is None or message.error():
        continue
    if message.key() is not None and message.key().decode() == key:
        print(json.dumps({k: v.decode() for k, v in (message.headers() or [])}))
        consumer.close()
        sys.exit(0)
consumer.close()
print(f"nothing on the errors topic for {key} within 60 s", file=sys.stderr)
sys.exit(1)
