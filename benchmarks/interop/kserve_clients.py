#!/usr/bin/env python3
"""Drives a running `tsam-run serve --grpc-port N` from Python, outside the JVM: the KServe v2
gRPC API through stubs that grpcio-tools generates here from the protocol's .proto (as
tritonclient.grpc's are), and the REST API with the binary tensor data extension laid out as
tritonclient.http's _get_inference_request lays it out. Both answers must agree to 1e-5.

Needs Debian's python3-grpcio, python3-grpc-tools and python3-numpy; not run by CI.
Usage: kserve_clients.py HTTP_PORT GRPC_PORT MODEL_NAME
"""
import json
import pathlib
import struct
import sys
import tempfile
import urllib.request

import numpy as np
from grpc_tools import protoc
import grpc

PROTO = pathlib.Path(__file__).resolve().parents[2] / "runtime/src/main/protobuf"


def stubs():
    out = tempfile.mkdtemp(prefix="kserve-stubs-")
    status = protoc.main(["protoc", f"-I{PROTO}", f"--python_out={out}",
                          f"--grpc_python_out={out}", str(PROTO / "grpc_predict_v2.proto")])
    if status != 0:
        sys.exit("protoc failed")
    sys.path.insert(0, out)
    import grpc_predict_v2_pb2 as pb
    import grpc_predict_v2_pb2_grpc as rpc
    return pb, rpc


def http_binary(port, name, inputs):
    """tritonclient.http: JSON header, raw tensors after it, binary_data_output for all outputs."""
    header = {"inputs": [{"name": k, "shape": list(v.shape), "datatype": "FP32",
                          "parameters": {"binary_data_size": v.nbytes}} for k, v in inputs.items()],
              "parameters": {"binary_data_output": True}}
    body = json.dumps(header).encode()
    length = len(body)
    body += b"".join(v.astype("<f4").tobytes() for v in inputs.values())
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v2/models/{name}/infer", data=body,
                                     headers={"Inference-Header-Content-Length": str(length)})
    with urllib.request.urlopen(request) as response:
        raw = response.read()
        json_length = int(response.headers["Inference-Header-Content-Length"])
    answer = json.loads(raw[:json_length])
    output = answer["outputs"][0]
    size = output["parameters"]["binary_data_size"]
    return np.frombuffer(raw[json_length:json_length + size], dtype="<f4").reshape(output["shape"])


def main():
    http_port, grpc_port, name = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    pb, rpc = stubs()
    channel = grpc.insecure_channel(f"127.0.0.1:{grpc_port}",
                                    options=[("grpc.max_receive_message_length", -1),
                                             ("grpc.max_send_message_length", -1)])
    stub = rpc.GRPCInferenceServiceStub(channel)
    assert stub.ServerLive(pb.ServerLiveRequest()).live
    assert stub.ServerReady(pb.ServerReadyRequest()).ready
    server = stub.ServerMetadata(pb.ServerMetadataRequest())
    print("server:", server.name, server.version, list(server.extensions))
    meta = stub.ModelMetadata(pb.ModelMetadataRequest(name=name))
    print("model:", meta.name, meta.platform, [(t.name, list(t.shape)) for t in meta.inputs])
    rng = np.random.default_rng(0)
    inputs = {t.name: rng.standard_normal([2] + list(t.shape)[1:]).astype(np.float32)
              for t in meta.inputs}
    request = pb.ModelInferRequest(model_name=name, id="py-1")
    for key, value in inputs.items():
        request.inputs.add(name=key, datatype="FP32", shape=list(value.shape))
        request.raw_input_contents.append(value.astype("<f4").tobytes())
    request.outputs.add(name=meta.outputs[0].name)
    response = stub.ModelInfer(request)
    out = response.outputs[0]
    logits = np.frombuffer(response.raw_output_contents[0], dtype="<f4").reshape(list(out.shape))
    print("grpc:", response.id, out.name, list(out.shape), logits[0, :4])
    try:
        stub.ModelInfer(pb.ModelInferRequest(model_name="nope"))
        sys.exit("an unknown model was answered")
    except grpc.RpcError as error:
        print("unknown model:", error.code(), error.details())
        assert error.code() == grpc.StatusCode.NOT_FOUND
    rest = http_binary(http_port, name, inputs)
    print("http binary:", list(rest.shape), rest[0, :4])
    difference = float(np.max(np.abs(rest - logits)))
    print(f"max |grpc - http| = {difference:.3g}")
    assert difference <= 1e-5


if __name__ == "__main__":
    main()
