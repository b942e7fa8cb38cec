#!/usr/bin/python3
"""Asks Orbit for a prediction over Kafka and waits for its result (confluent-kafka).

Settings come from the environment:
  ORBIT_KAFKA     bootstrap servers, host:port (e.g. what `./orbit kafka-mock` prints)
  ORBIT_KEY       an API key of role predictor (or above)
  ORBIT_MODEL     a model deployed in that key's tenant
  ORBIT_INPUTS    the OIP v2 inputs as JSON (default: one row of 8 floats named x)
Prints the result (PredictionCompleted or PredictionFailed) as JSON and exits 0, or exits 1
if none arrives within 60 s.
"""
import json
import os
import sys
import time
import uuid

from confluent_kafka import Consumer, Producer

servers = os.environ["ORBIT_KAFKA"]
key = os.environ["ORBIT_KEY"]
model = os.environ["ORBIT_MODEL"]
inputs = json.loads(os.environ.get("ORBIT_INPUTS", json.dumps(
    [{"name": "x", "datatype": "FP32", "shape": [1, 8], "data": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]}])))

request_id = str(uuid.uuid4())
producer = Producer({"bootstrap.servers": servers, "enable.idempotence": True})
producer.produce(
    "orbit.predictions.requests",
    key=request_id,
    value=json.dumps({"requestId": request_id, "modelName": model, "inputs": inputs}),
    headers=[("x-api-key", key)],
)
producer.flush(10)

# Results are keyed by request id; a group of our own reads the topic from the start.
consumer = Consumer({
    "bootstrap.servers": servers,
    "group.id": "example-" + request_id,
    "auto.offset.reset": "earliest",
    "allow.auto.create.topics": True,
})
consumer.subscribe(["orbit.predictions.results"])
deadline = time.time() + 60
while time.time() < deadline:
    message = consumer.poll(1.0)
    if message is None or message.error():
        continue
    if message.key() is not None and message.key().decode() == request_id:
        print(message.value().decode())
        consumer.close()
        sys.exit(0)

consumer.close()
print(f"no result for {request_id} within 60 s", file=sys.stderr)
sys.exit(1)
