#!/usr/bin/python3
"""Calls an Orbit model over OIP v2 REST with the binary tensor data extension (standard library + numpy).

The request is a JSON header followed by each input's raw little-endian bytes; the header's byte length goes in
the Inference-Header-Content-Length HTTP header, and each input says its byte size in parameters.binary_data_size.
Outputs come back the same way when asked for with parameters.binary_data_output.

Settings come from the environment:
  ORBIT_URL    the gateway (default http://127.0.0.1:8080)
  ORBIT_KEY    an API key of role predictor (or above)
  ORBIT_MODEL  a deployed model
Arguments: NAME=FILE.npy for each input (e.g. x=image.npy); its dtype and shape are sent as they are.
Prints the answer as one JSON line, each output's data as a flat list, and exits 0; on an error answer, prints
it and exits 1.
"""
import json
import os
import sys
import urllib.error
import urllib.request

import numpy as np

DATATYPES = {
    np.dtype(np.bool_): "BOOL", np.dtype(np.uint8): "UINT8", np.dtype(np.uint16): "UINT16",
    np.dtype(np.uint32): "UINT32", np.dtype(np.uint64): "UINT64", np.dtype(np.int8): "INT8",
    np.dtype(np.int16): "INT16", np.dtype(np.int32): "INT32", np.dtype(np.int64): "INT64",
    np.dtype(np.float16): "FP16", np.dtype(np.float32): "FP32", np.dtype(np.float64): "FP64",
}
DTYPES = {name: dtype for dtype, name in DATATYPES.items()}


def tensor_bytes(array):
    """An array as the extension's binary data: little-endian, row-major; BYTES as 4-byte lengths and UTF-8."""
    if array.dtype.kind in ("U", "S", "O"):
        parts = []
        for item in array.flatten():
            data = item.encode("utf-8") if isinstance(item, str) else bytes(item)
            parts.append(len(data).to_bytes(4, "little") + data)
        return "BYTES", b"".join(parts)
    return DATATYPES[array.dtype], np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()


def infer(url, key, model, inputs):
    """Sends {name: numpy array}; returns the answer's JSON with each output's "data" as a numpy array."""
    header, tensors = {"inputs": [], "parameters": {"binary_data_output": True}}, []
    for name, array in inputs.items():
        datatype, data = tensor_bytes(array)
        header["inputs"].append({"name": name, "datatype": datatype, "shape": list(array.shape),
                                 "parameters": {"binary_data_size": len(data)}})
        tensors.append(data)
    head = json.dumps(header).encode("utf-8")
    request = urllib.request.Request(f"{url}/v2/models/{model}/infer", data=head + b"".join(tensors), method="POST", headers={
        "Authorization": f"Bearer {key}",
        "Content-Type": "application/octet-stream",
        "Inference-Header-Content-Length": str(len(head)),
    })
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
        length = response.headers.get("Inference-Header-Content-Length")
    if length is None:  # no output was binary: the whole body is JSON
        return json.loads(body)
    answer, at = json.loads(body[:int(length)]), int(length)
    for output in answer["outputs"]:
        size = output.get("parameters", {}).get("binary_data_size")
        if size is None:
            output["data"] = np.array(output["data"])
            continue
        raw = body[at:at + size]
        at += size
        if output["datatype"] == "BYTES":
            items, i = [], 0
            while i < len(raw):
                n = int.from_bytes(raw[i:i + 4], "little")
                items.append(raw[i + 4:i + 4 + n])
                i += 4 + n
            output["data"] = np.array(items, dtype=object).reshape(output["shape"])
        else:
            output["data"] = np.frombuffer(raw, dtype=np.dtype(DTYPES[output["datatype"]]).newbyteorder("<")).reshape(output["shape"])
    return answer


def main():
    url = os.environ.get("ORBIT_URL", "http://127.0.0.1:8080").rstrip("/")
    inputs = {name: np.load(path) for name, path in (arg.split("=", 1) for arg in sys.argv[1:])}
    try:
        answer = infer(url, os.environ["ORBIT_KEY"], os.environ["ORBIT_MODEL"], inputs)
    except urllib.error.HTTPError as error:
        print(json.dumps({"status": error.code, "error": json.loads(error.read()).get("error")}))
        return 1
    for output in answer["outputs"]:
        data = output["data"]
        output["data"] = [x.decode("utf-8", "replace") for x in data.flatten()] if data.dtype == object else data.flatten().tolist()
    print(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
