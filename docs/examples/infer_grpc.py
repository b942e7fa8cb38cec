#!/usr/bin/python3
"""Calls Orbit's gRPC Open Inference Protocol endpoint with a client generated from the protocol's .proto.

Needs Debian's python3-grpcio and python3-grpc-tools (./orbit deps installs them); run with /usr/bin/python3.
Settings come from the environment:
  ORBIT_GRPC   the gateway's gRPC address (default 127.0.0.1:8084, what ./orbit up starts)
  ORBIT_KEY    an API key of role predictor (or above)
  ORBIT_MODEL  a model deployed in that key's tenant, with one FP32 input of shape [batch, N]
  ORBIT_ROW    the input row as JSON (default: 8 floats)
  ORBIT_PROTO  the .proto (default: the gateway's, services/gateway/Grpc/Protos/grpc_predict_v2.proto)
Prints {"model_version", "outputs": {name: [values]}, "typed": [values]} as one JSON line: the outputs of
a call with raw_input_contents, and the first output of the same call with typed contents.
"""
import json
import os
import struct
import sys
import tempfile

from grpc_tools import protoc

import grpc

here = os.path.dirname(os.path.abspath(__file__))
proto = os.environ.get("ORBIT_PROTO", os.path.join(here, "..", "..", "services", "gateway", "Grpc", "Protos", "grpc_predict_v2.proto"))
address = os.environ.get("ORBIT_GRPC", "127.0.0.1:8084")
key = os.environ["ORBIT_KEY"]
model = os.environ["ORBIT_MODEL"]
row = json.loads(os.environ.get("ORBIT_ROW", "[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]"))

# Generate the client from the .proto, as any team would (KServe's and Triton's generated clients work the same).
out = tempfile.mkdtemp(prefix="orbit-grpc-")
if protoc.main(["protoc", f"-I{os.path.dirname(proto)}", f"--python_out={out}", f"--grpc_python_out={out}", os.path.basename(proto)]) != 0:
    sys.exit("protoc failed on " + proto)
sys.path.insert(0, out)
import grpc_predict_v2_pb2 as pb  # noqa: E402
import grpc_predict_v2_pb2_grpc as pb_grpc  # noqa: E402

channel = grpc.insecure_channel(address)
stub = pb_grpc.GRPCInferenceServiceStub(channel)
auth = [("authorization", "Bearer " + key)]  # or [("x-api-key", key)]

# Inputs as raw little-endian bytes: the outputs come back the same way, one entry per output.
request = pb.ModelInferRequest(model_name=model, id="python-example")
request.inputs.add(name="x", datatype="FP32", shape=[1, len(row)])
request.raw_input_contents.append(struct.pack(f"<{len(row)}f", *row))
try:
    response = stub.ModelInfer(request, metadata=auth, timeout=30)
except grpc.RpcError as error:
    sys.exit(f"ModelInfer failed: {error.code().name}: {error.details()}")

outputs = {}
for output, raw in zip(response.outputs, response.raw_output_contents):
    outputs[output.name] = list(struct.unpack(f"<{len(raw) // 4}f", raw))

# The same inputs as typed contents: the outputs come back typed too.
typed = pb.ModelInferRequest(model_name=model)
tensor = typed.inputs.add(name="x", datatype="FP32", shape=[1, len(row)])
tensor.contents.fp32_contents.extend(row)
typed_response = stub.ModelInfer(typed, metadata=auth, timeout=30)

print(json.dumps({
    "model_version": response.model_version,
    "id": response.id,
    "outputs": outputs,
    "typed": list(typed_response.outputs[0].contents.fp32_contents),
}))
