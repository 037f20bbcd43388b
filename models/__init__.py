"""Training, evaluation and data of the router (not shipped: the wheel carries only
``headroom_middleware/models/router.onnx`` and ``router.json``)."""
