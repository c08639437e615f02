"""PyTorch's message texts, word for word, kept out of the files a learner reads first.

tensor.py, function.py and engine.py say *when* something is refused; what PyTorch 2.13 says then is here (the
parity tests compare each text with PyTorch's own). ``minigrad.`` stands where PyTorch prints ``torch.``.
"""

NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be "
    "populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, "
    "use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access "
    "the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more information."
)

SECOND_BACKWARD_ERROR = (
    "Trying to backward through the graph a second time (or directly access saved tensors after they have already "
    "been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). "
    "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved "
    "tensors after calling backward."
)

CREATE_GRAPH_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the parameter and its gradient "
    "which can cause a memory leak. We recommend using autograd.grad when creating the graph to avoid this. If you "
    "have to use this function, make sure to reset the .grad fields of your parameters to None after use to break "
    "the cycle and avoid the leak."
)

NON_LEAF_REQUIRES_GRAD_ERROR = "you can only change requires_grad flags of leaf variables."
NON_LEAF_REQUIRES_GRAD_OFF_ERROR = (
    "you can only change requires_grad flags of leaf variables. If you want to use a computed variable "
    "in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
)

DETACH_VIEW_INPLACE_ERROR = (
    "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for training, "
    "and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence detach_() cannot be "
    "called on these gradients. To fix this error, please refer to the Optimizer.zero_grad() function in "
    "torch/optim/optimizer.py as the solution."
)

DEEPCOPY_NON_LEAF_ERROR = (
    "Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment.  If you "
    "were attempting to deepcopy a module, this may be because of a minigrad.nn.utils.weight_norm usage, see "
    "https://github.com/pytorch/pytorch/pull/103001"
)


def grad_dtype_mismatch(grad_dtype, tensor_dtype):
    return (f"attempting to assign a gradient with dtype '{grad_dtype.cpp_name}' to a tensor with grad_dtype "
            f"'{tensor_dtype.type_word}'. The gradient must match the tensor's grad_dtype (defaults to the tensor's "
            "dtype). You can set the tensor's grad_dtype attribute with a specific dtype, or None to allow any dtype. "
            "Set grad_dtype with caution. Diverging the dtypes of a tensor and its gradient may break downstream "
            "systems that assume they match.")


def grad_size_mismatch(grad_shape, tensor_shape):
    return (f"attempting to assign a gradient of size '{list(grad_shape)}' to a tensor of size '{list(tensor_shape)}'. "
            "Please ensure that the gradient and the tensor are the same size")


def modified_by_inplace(tensor, expected_version, op=None):
    """A saved tensor changed in place since it was saved. ``op`` names the node that made it ("Mul" for
    MulBackward0), if any."""
    description = f"[minigrad.{tensor.dtype.type_word}Tensor [{', '.join(str(n) for n in tensor.shape)}]]"
    if op is not None:
        description += f", which is output {tensor._output_nr} of {op},"
    return (
        "one of the variables needed for gradient computation has been modified by an inplace operation: "
        f"{description} is at version {tensor._version_counter.value}; expected version {expected_version} instead. "
        "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with "
        "minigrad.autograd.set_detect_anomaly(True, check_nan=False)."
    )


def missing_arguments(function, names):
    """PyTorch's parser, when a call fits only a signature whose arguments ``names`` were not given (its plural
    is the wrong way round: "1 ... arguments", "2 ... argument")."""
    plural = "s" if len(names) == 1 else ""
    return f'{function}() missing {len(names)} required positional argument{plural}: ' + ", ".join(
        f'"{name}"' for name in names)


# where a tensor may be made: minigrad, like PyTorch's CPU build, has only the CPU (minigrad/devices.py)
NO_ACCELERATOR_ERROR = "Cannot access accelerator device when none is available."


def not_compiled_with(backend):
    """A device type PyTorch's CPU build knows but was built without (``backend``: "CUDA", "XPU")."""
    return f"Torch not compiled with {backend} enabled"


NOT_COMPILED_WITH_MTIA = (
    "Torch not compiled with MTIA enabled. Ensure you have `import mtia.host_runtime.torch_mtia.dynamic_library` in "
    "your python src file and include `//mtia/host_runtime/torch_mtia:torch_mtia` as your target dependency!")

MKLDNN_DEVICE_WARNING = (
    "'mkldnn' is no longer used as device type. So minigrad.device('mkldnn') will be deprecated and removed in the "
    "future. Please use other valid device types instead.")

NO_META_TENSORS = ("minigrad has no meta tensors (a shape and a dtype without numbers): its tensors hold their "
                   "numbers on the CPU; use device='cpu'")


def caffe2_device_type(device_type):
    """A tensor made on one of Caffe2's old device types (mkldnn, opengl...): PyTorch's internal assert, in short."""
    return (f"This is a grandfathered Caffe2 device type {device_type}, it shouldn't ever convert to a DispatchKey.  "
            "File a bug describing what you were doing if you think this is in error.")


def no_kernel_for(operator, backend):
    """A tensor made on a device type PyTorch's CPU build has no kernels for (the first sentences of its text)."""
    return (f"Could not run '{operator}' with arguments from the '{backend}' backend. This could be because the "
            "operator doesn't exist for this backend, or was omitted during the selective/custom build process (if "
            "using custom build).")


def not_linked_with(device_type):
    return f"PyTorch is not linked with support for {device_type} devices"


def unknown_device_type(text, device_types):
    return f"Expected one of {', '.join(device_types)} device type at start of device string: {text}"
