#!/usr/bin/python3
"""Asks Orbit for a prediction over RabbitMQ and waits for its result event (pika).

Settings come from the environment:
  ORBIT_AMQP_URL  the broker (default amqp://guest:guest@127.0.0.1:5672/%2F)
  ORBIT_KEY       an API key of role predictor (or above)
  ORBIT_TENANT    that key's tenant (results are routed by {tenant}.{model})
  ORBIT_MODEL     a model deployed in that tenant
  ORBIT_INPUTS    the OIP v2 inputs as JSON (default: one row of 8 floats named x)
Prints the result event (PredictionCompleted or PredictionFailed) as JSON and exits 0,
or exits 1 if none arrives within 60 s.
"""
import json
import os
import sys
import time
import uuid

import pika

url = os.environ.get("ORBIT_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
key = os.environ["ORBIT_KEY"]
tenant = os.environ["ORBIT_TENANT"]
model = os.environ["ORBIT_MODEL"]
inputs = json.loads(os.environ.get("ORBIT_INPUTS", json.dumps(
    [{"name": "x", "datatype": "FP32", "shape": [1, 8], "data": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]}])))

connection = pika.BlockingConnection(pika.URLParameters(url))
channel = connection.channel()
channel.confirm_delivery()

# Our own queue on the results exchange, bound to this tenant's model, before we ask.
channel.exchange_declare("orbit.predictions.results", exchange_type="topic", durable=True)
results = channel.queue_declare("", exclusive=True).method.queue
channel.queue_bind(results, "orbit.predictions.results", routing_key=f"{tenant}.{model}")

request_id = str(uuid.uuid4())
channel.basic_publish(
    exchange="orbit.predictions.requests",
    routing_key="",
    body=json.dumps({"requestId": request_id, "modelName": model, "inputs": inputs}),
    properties=pika.BasicProperties(
        content_type="application/json",
        delivery_mode=2,  # persistent
        headers={"x-api-key": key},
    ),
)

deadline = time.time() + 60
for method, properties, body in channel.consume(results, inactivity_timeout=1):
    if body is not None:
        channel.basic_ack(method.delivery_tag)
        event = json.loads(body)
        if event.get("requestId") == request_id:
            print(json.dumps(event))
            connection.close()
            sys.exit(0)
    if time.time() > deadline:
        break

print(f"no result for {request_id} within 60 s", file=sys.stderr)
sys.exit(1)
