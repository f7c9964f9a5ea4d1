"""Loss modules and nn.functional losses against PyTorch: every option and reduction, values and gradients."""

import inspect
import itertools
import warnings

import numpy as np
import pytest
import torch

import autograd
import nn
import nn.functional as F

TOL = {np.float64: {"rtol": 1e-10, "atol": 1e-12}, np.float32: {"rtol": 1e-5, "atol": 1e-6}}
DTYPES = [np.float64, np.float32]
REDUCTIONS = ["mean", "sum", "none"]
RNG = np.random.default_rng(0)


def classes(shape, n, ignore=()):
    """Class indices in [0, n); the first entries replaced by the values of ``ignore``."""
    t = RNG.integers(0, n, shape)
    t.reshape(-1)[: len(ignore)] = ignore
    return t


def probabilities(shape, axis):
    p = RNG.uniform(0.1, 1.0, shape)
    return p / p.sum(axis=axis, keepdims=True)


def case(name, kwargs, input, target, target_grad=False):
    kw = ", ".join(f"{k}={v.shape if isinstance(v, np.ndarray) else v}" for k, v in kwargs.items())
    return pytest.param(name, kwargs, input, target, target_grad, id=f"{name}({kw})-{input.shape}-{target.dtype}")


def regression_cases():
    x, y = RNG.uniform(-3, 3, (4, 3)), RNG.uniform(-3, 3, (4, 3))
    for reduction in REDUCTIONS:
        yield case("MSELoss", {"reduction": reduction}, x, y, True)
        yield case("L1Loss", {"reduction": reduction}, x, y, True)
        for delta in (0.5, 1.0, 2.0):
            yield case("HuberLoss", {"reduction": reduction, "delta": delta}, x, y, True)
        for beta in (0.0, 0.5, 1.0, 2.0):
            yield case("SmoothL1Loss", {"reduction": reduction, "beta": beta}, x, y, True)


def binary_cases():
    p, soft, hard = RNG.uniform(0.02, 0.98, (4, 3)), RNG.uniform(0, 1, (4, 3)), RNG.integers(0, 2, (4, 3)) * 1.0
    logits = RNG.uniform(-6, 6, (4, 3))
    weights = [None, RNG.uniform(0.5, 2, 3), RNG.uniform(0.5, 2, (4, 3))]
    for reduction, weight, y in itertools.product(REDUCTIONS, weights, (soft, hard)):
        kw = {"reduction": reduction} | ({} if weight is None else {"weight": weight})
        yield case("BCELoss", kw, p, y, True)
        for pos_weight in (None, RNG.uniform(0.5, 3, 3)):
            extra = {} if pos_weight is None else {"pos_weight": pos_weight}
            yield case("BCEWithLogitsLoss", kw | extra, logits, y, True)


CLASS_SHAPES = [(5, 4), (4,), (2, 4, 3), (2, 4, 3, 2)]


def class_index_cases():
    for shape, reduction, weighted, ignore, smoothing in itertools.product(
        CLASS_SHAPES, REDUCTIONS, (False, True), (-100, 2), (0.0, 0.25)
    ):
        axis = 1 if len(shape) > 1 else 0
        x, target_shape = RNG.uniform(-4, 4, shape), shape[:axis] + shape[axis + 1 :]
        t = classes(target_shape, shape[axis], ignore=(ignore,) if target_shape else ())
        kw = {"reduction": reduction, "ignore_index": ignore}
        kw |= {"weight": RNG.uniform(0.5, 2, shape[axis])} if weighted else {}
        yield case("CrossEntropyLoss", kw | {"label_smoothing": smoothing}, x, t)
        if not smoothing:
            log_p = x - np.log(np.exp(x).sum(axis=axis, keepdims=True))
            yield case("NLLLoss", kw, log_p, t)


def class_probability_cases():
    for shape, reduction, weighted, smoothing in itertools.product(
        CLASS_SHAPES[:3], REDUCTIONS, (False, True), (0, 0.3)
    ):
        axis = 1 if len(shape) > 1 else 0
        kw = {"reduction": reduction, "label_smoothing": smoothing}
        kw |= {"weight": RNG.uniform(0.5, 2, shape[axis])} if weighted else {}
        yield case("CrossEntropyLoss", kw, RNG.uniform(-4, 4, shape), probabilities(shape, axis), True)


def margin_cases():
    x, signs = RNG.uniform(-2, 2, (4, 3)), RNG.choice([-1, 1], (4, 3))
    for reduction, margin in itertools.product(REDUCTIONS, (0.5, 1.0, 2.0)):
        yield case("HingeEmbeddingLoss", {"reduction": reduction, "margin": margin}, x, signs * 1.0)
        yield case("HingeEmbeddingLoss", {"reduction": reduction, "margin": margin}, x, signs)
    for shape, p, margin, weighted, reduction in itertools.product(
        ((5, 4), (4,)), (1, 2), (0.5, 1.0), (False, True), REDUCTIONS
    ):
        kw = {"p": p, "margin": margin, "reduction": reduction} | (
            {"weight": RNG.uniform(0.5, 2, 4)} if weighted else {}
        )
        yield case("MultiMarginLoss", kw, RNG.uniform(-1, 1, shape), classes(shape[:-1], 4))


CASES = [*regression_cases(), *binary_cases(), *class_index_cases(), *class_probability_cases(), *margin_cases()]


def convert(lib, value, dtype, requires_grad=False):
    """An array as a tensor of ``lib`` (autograd or torch): floats in ``dtype``, integers as they are."""
    if not isinstance(value, np.ndarray):
        return value
    value = value.astype(dtype) if value.dtype.kind == "f" else value
    return (
        autograd.tensor(value, requires_grad=requires_grad)
        if lib is autograd
        else torch.tensor(value, requires_grad=requires_grad)
    )


def compare(ours, theirs, dtype, what):
    expected = theirs.detach().numpy()
    assert ours.shape == expected.shape, f"{what}: shape {ours.shape} vs torch {expected.shape}"
    assert ours.dtype == expected.dtype, f"{what}: dtype {ours.dtype} vs torch {expected.dtype}"
    np.testing.assert_allclose(ours.detach().numpy(), expected, err_msg=what, **TOL[dtype])


def call(lib, name, kwargs, input, target, dtype, target_grad):
    """The loss module of ``lib`` applied to fresh tensors; returns the loss and the input tensors."""
    module = getattr(lib.nn if lib is torch else nn, name)(**{k: convert(lib, v, dtype) for k, v in kwargs.items()})
    x = convert(lib, input, dtype, requires_grad=True)
    y = convert(lib, target, dtype, requires_grad=target_grad)
    return module(x, y), x, y


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("name", "kwargs", "input", "target", "target_grad"), CASES)
def test_loss_matches_torch_forward_and_backward(name, kwargs, input, target, target_grad, dtype):
    loss, x, y = call(autograd, name, kwargs, input, target, dtype, target_grad)
    their_loss, tx, ty = call(torch, name, kwargs, input, target, dtype, target_grad)
    compare(loss, their_loss, dtype, "loss")
    upstream = np.random.default_rng(1).standard_normal(loss.shape).astype(dtype)
    loss.backward(autograd.tensor(upstream))
    their_loss.backward(torch.tensor(upstream))
    compare(x.grad, tx.grad, dtype, "input gradient")
    if target_grad:
        compare(y.grad, ty.grad, dtype, "target gradient")


def spread(cases, per_loss=8):
    """About ``per_loss`` cases of each loss, spread over its option grid."""
    by_loss = {}
    for c in cases:
        by_loss.setdefault(c.values[0], []).append(c)
    return [c for group in by_loss.values() for c in group[:: max(1, len(group) // per_loss)]]


@pytest.mark.parametrize(("name", "kwargs", "input", "target", "target_grad"), spread(CASES))
def test_loss_passes_gradcheck_in_float64(name, kwargs, input, target, target_grad):
    module = getattr(nn, name)(**{k: convert(autograd, v, np.float64) for k, v in kwargs.items()})
    # A hard label (0 or 1) of a binary cross-entropy has no two-sided neighbourhood inside [0, 1].
    target_grad = target_grad and not (name == "BCELoss" and np.isin(target, (0.0, 1.0)).any())
    x = autograd.tensor(input, requires_grad=True)
    y = autograd.tensor(target, requires_grad=target_grad)
    assert autograd.gradcheck(lambda a, b: module(a, b), [x, y])


# --- options only nn.functional has; signatures and reprs ------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("name", "extra"), [("mse_loss", {}), ("l1_loss", {}), ("huber_loss", {"delta": 0.7})])
def test_functional_weight_matches_torch(name, extra, reduction, dtype):
    x, y, w = RNG.uniform(-2, 2, (3, 4)), RNG.uniform(-2, 2, (3, 4)), RNG.uniform(0.5, 2, (3, 4))
    results = []
    for lib, functional in ((autograd, F), (torch, torch.nn.functional)):
        inputs = [convert(lib, v, dtype, requires_grad=True) for v in (x, y, w)]
        loss = getattr(functional, name)(inputs[0], inputs[1], reduction=reduction, weight=inputs[2], **extra)
        loss.sum().backward()
        results.append((loss, *inputs))
    for what, ours, theirs in zip(("loss", "input", "target", "weight"), *results):
        compare(ours if what == "loss" else ours.grad, theirs if what == "loss" else theirs.grad, dtype, what)


def parameters(fn):
    return [(p.name, p.default) for p in inspect.signature(fn).parameters.values()]


# The SVM hinge has no torch counterpart (tests/test_nn_hinge.py checks it against hinge_embedding_loss).
NOT_IN_TORCH = {"hinge_loss", "HingeLoss"}


def test_only_the_svm_hinge_is_missing_from_torch():
    names = set(F.loss.__all__) | set(nn.loss.__all__)
    assert {n for n in names if not hasattr(torch.nn.functional, n) and not hasattr(torch.nn, n)} == NOT_IN_TORCH


@pytest.mark.parametrize("name", sorted(set(F.loss.__all__) - NOT_IN_TORCH))
def test_functional_signature_is_torchs(name):
    assert parameters(getattr(F, name)) == parameters(getattr(torch.nn.functional, name))


@pytest.mark.parametrize("name", sorted(set(nn.loss.__all__) - NOT_IN_TORCH))
def test_module_constructor_signature_is_torchs(name):
    assert parameters(getattr(nn, name).__init__) == parameters(getattr(torch.nn, name).__init__)


@pytest.mark.parametrize("name", sorted(set(nn.loss.__all__) - NOT_IN_TORCH))
def test_repr_is_torchs(name):
    assert repr(getattr(nn, name)()) == repr(getattr(torch.nn, name)())


@pytest.mark.parametrize(("name", "buffers"), [("BCELoss", ["weight"]), ("CrossEntropyLoss", ["weight"]),
                                               ("NLLLoss", ["weight"]), ("MultiMarginLoss", ["weight"]),
                                               ("BCEWithLogitsLoss", ["weight", "pos_weight"])])  # fmt: skip
def test_weights_are_buffers_in_the_state_dict_as_torch(name, buffers):
    kwargs = {b: autograd.ones(3) for b in buffers}
    module = getattr(nn, name)(**kwargs)
    their = getattr(torch.nn, name)(**{b: torch.ones(3) for b in buffers})
    assert list(module.state_dict()) == list(their.state_dict()) == buffers
    assert getattr(nn, name)().weight is None


# --- stability and worked values -------------------------------------------------------------------


def value_and_grad(fn, x, *args, dtype=autograd.float64, **kwargs):
    x = autograd.tensor(x, dtype=dtype, requires_grad=True)
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = fn(x, *args, **kwargs)
        loss.backward()
    return loss.item(), x.grad.tolist()


@pytest.mark.parametrize(("x", "y", "grad"), [(40.0, 0.0, 1.0), (-40.0, 1.0, -1.0)])
def test_bce_with_logits_of_40_against_the_wrong_label_is_40_with_gradient_1(x, y, grad):
    bce = F.binary_cross_entropy_with_logits
    assert value_and_grad(bce, x, autograd.tensor(y, dtype=autograd.float64)) == (40.0, grad)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("pos_weight", [None, np.full(5, 3.0)])
def test_bce_with_logits_at_plus_minus_1000_is_finite_and_torchs(pos_weight, dtype):
    x, y = np.array([-1000.0, -1000.0, 1000.0, 1000.0, 0.0]), np.array([0.0, 1.0, 0.0, 1.0, 0.5])
    results = []
    for lib, functional in ((autograd, F), (torch, torch.nn.functional)):
        logits = convert(lib, x, dtype, requires_grad=True)
        kwargs = {"reduction": "sum", "pos_weight": convert(lib, pos_weight, dtype)}
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            loss = functional.binary_cross_entropy_with_logits(logits, convert(lib, y, dtype), **kwargs)
            loss.backward()
        results.append((loss.item(), logits.grad.numpy()))
    (loss, grad), (their_loss, their_grad) = results
    assert np.isfinite(loss) and loss == pytest.approx(their_loss, rel=1e-6)
    np.testing.assert_allclose(grad, their_grad, rtol=1e-6)


def test_bce_with_logits_gradient_is_exactly_sigmoid_minus_target():
    x = np.array([-40.0, -5.0, 0.3, 7.0])
    y = np.array([0.0, 0.2, 1.0, 0.9])
    _, grad = value_and_grad(F.binary_cross_entropy_with_logits, x, autograd.tensor(y), reduction="sum")
    assert grad == (autograd.sigmoid(autograd.tensor(x)) - autograd.tensor(y)).tolist()


def test_bce_of_sigmoid_40_and_0_clamps_the_log_at_minus_100_in_float32():
    p = autograd.sigmoid(autograd.tensor(40.0))
    assert F.binary_cross_entropy(p, autograd.tensor(0.0)).item() == 100.0


def test_bce_of_0_and_1_is_100_with_torchs_finite_gradient():
    loss, grad = value_and_grad(F.binary_cross_entropy, [0.0, 1.0], autograd.tensor([1.0, 0.0], dtype=autograd.float64))
    assert loss == 100.0 and grad == [-0.5e12, 0.5e12]


def test_worked_value_bce_of_p_08_for_label_1_is_0223():
    loss = nn.BCELoss()(autograd.tensor([0.8]), autograd.tensor([1.0]))
    assert round(loss.item(), 3) == 0.223


def test_worked_value_cross_entropy_with_p_true_02_is_1609():
    probabilities = np.array([[0.2, 0.5, 0.3]])
    loss = nn.CrossEntropyLoss()(autograd.tensor(np.log(probabilities)), autograd.tensor([0]))
    assert round(loss.item(), 3) == 1.609


@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_at_logit_1000_is_finite_and_torchs_with_every_option(smoothing):
    x = [[1000.0, 0.0, -1000.0], [0.0, 1000.0, 1000.0]]
    w = autograd.tensor([1.0, 2.0, 0.5], dtype=autograd.float64)
    ours = value_and_grad(F.cross_entropy, x, autograd.tensor([2, 0]), weight=w, label_smoothing=smoothing)
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    their_weight = torch.tensor(w.tolist(), dtype=torch.float64)
    theirs = torch.nn.functional.cross_entropy(t, torch.tensor([2, 0]), weight=their_weight, label_smoothing=smoothing)
    theirs.backward()
    assert ours[0] == pytest.approx(theirs.item(), rel=1e-12)
    np.testing.assert_allclose(ours[1], t.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_cross_entropy_is_unchanged_by_a_constant_added_to_every_logit_of_a_row():
    x = RNG.normal(size=(3, 5))
    t = autograd.tensor([0, 4, 2])
    kwargs = {"label_smoothing": 0.1, "weight": autograd.tensor(RNG.uniform(0.5, 2, 5))}
    a, ga = value_and_grad(F.cross_entropy, x, t, **kwargs)
    b, gb = value_and_grad(F.cross_entropy, x + 500.0, t, **kwargs)
    assert a == pytest.approx(b, rel=1e-12)
    np.testing.assert_allclose(ga, gb, rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize(("reduction", "weighted"), [("mean", False), ("sum", True), ("none", True)])
def test_one_hot_probabilities_give_the_class_index_loss_and_gradient(reduction, weighted):
    x, index = RNG.normal(size=(4, 3)), np.array([2, 0, 1, 1])
    kwargs = {"reduction": reduction, "label_smoothing": 0.1}
    kwargs |= {"weight": autograd.tensor([0.5, 1.0, 2.0], dtype=autograd.float64)} if weighted else {}
    hot = autograd.tensor(np.eye(3)[index])
    a, b = autograd.tensor(x, requires_grad=True), autograd.tensor(x, requires_grad=True)
    by_index, by_probability = F.cross_entropy(a, autograd.tensor(index), **kwargs), F.cross_entropy(b, hot, **kwargs)
    np.testing.assert_allclose(by_index.detach().numpy(), by_probability.detach().numpy(), rtol=1e-12)
    by_index.sum().backward()
    by_probability.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12, atol=1e-15)


# --- edge cases as torch ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
def test_mean_with_every_target_ignored_is_nan_with_zero_gradient_as_torch(name):
    x = RNG.normal(size=(2, 3))
    ours = value_and_grad(getattr(F, name), x, autograd.tensor([-100, -100]))
    assert np.isnan(ours[0]) and ours[1] == [[0.0] * 3] * 2


def test_mean_over_targets_of_weight_0_is_nan_with_nan_gradient_as_torch():
    x = autograd.tensor(RNG.normal(size=(2, 3)), requires_grad=True)
    loss = F.cross_entropy(x, autograd.tensor([0, 0]), weight=autograd.tensor([0.0, 1.0, 1.0], dtype=autograd.float64))
    loss.backward()
    assert np.isnan(loss.item()) and np.isnan(x.grad.numpy()).all()


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss", "multi_margin_loss"])
def test_class_indices_of_any_integer_dtype_are_accepted(name):
    x = autograd.tensor(RNG.normal(size=(3, 4)))
    wide, narrow = autograd.tensor(np.array([0, 3, 1])), autograd.tensor(np.array([0, 3, 1], np.int32))
    assert getattr(F, name)(x, wide).item() == getattr(F, name)(x, narrow).item()


def test_cross_entropy_of_an_empty_batch_is_nan_without_raising():
    loss, grad = value_and_grad(F.cross_entropy, np.zeros((0, 4)), autograd.tensor(np.zeros(0, np.int64)))
    assert np.isnan(loss) and grad == []


@pytest.mark.parametrize(("size_average", "reduce"), [(None, False), (False, None), (True, True), (False, False)])
@pytest.mark.parametrize("name", ["MSELoss", "CrossEntropyLoss", "BCELoss", "HingeEmbeddingLoss"])
def test_deprecated_size_average_and_reduce_set_the_reduction_with_torchs_warning(name, size_average, reduce):
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated") as ours:
        module = getattr(nn, name)(size_average=size_average, reduce=reduce)
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        expected = getattr(torch.nn, name)(size_average=size_average, reduce=reduce).reduction
    assert module.reduction == expected
    assert str(ours[0].message) == str(theirs[0].message)


# --- errors ----------------------------------------------------------------------------------------

X = autograd.zeros(3, 4)


@pytest.mark.parametrize("name", F.loss.__all__)
def test_a_bad_reduction_is_named(name):
    target = autograd.tensor([0, 1, 2]) if name in ("cross_entropy", "nll_loss", "multi_margin_loss") else X
    with pytest.raises(ValueError, match="'avg' is not a valid value for reduction"):
        getattr(F, name)(X, target, reduction="avg")


@pytest.mark.parametrize("name", nn.loss.__all__)
def test_a_module_rejects_a_bad_reduction_at_construction(name):
    with pytest.raises(ValueError, match=f"{name}: 'avg' is not a valid value for reduction"):
        getattr(nn, name)(reduction="avg")


def test_multi_margin_target_out_of_range_is_named():
    with pytest.raises(RuntimeError, match="target 7 out of range for 4 classes"):
        F.multi_margin_loss(X, autograd.tensor([0, 7, 1]))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("binary_cross_entropy", r"target size \(\(3,\)\) that is different to the input size \(\(3, 4\)\)"),
        ("binary_cross_entropy_with_logits", r"Target size \(\(3,\)\) must be the same as input size \(\(3, 4\)\)"),
    ],
)
def test_binary_target_shape_mismatch_names_both_shapes(name, message):
    with pytest.raises(ValueError, match=message):
        getattr(F, name)(X, autograd.zeros(3))


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss"])
def test_regression_target_of_another_shape_warns_naming_both_as_torch(name):
    with pytest.warns(UserWarning, match=r"target size \(\(4,\)\) that is different to the input size \(\(3, 4\)\)"):
        getattr(F, name)(X, autograd.zeros(4))
    with pytest.raises(RuntimeError, match=rf"{name}: shapes \(3, 4\) and \(3,\) cannot be broadcast"):
        getattr(F, name)(X, autograd.zeros(3))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: F.cross_entropy(X, autograd.tensor([0, 1, 2]), label_smoothing=1.5),
            RuntimeError,
            "between 0.0 and 1.0",
        ),
        (lambda: F.cross_entropy(X, autograd.zeros(3)), RuntimeError, r"integer dtype .* input's shape \(3, 4\)"),
        (lambda: F.cross_entropy(X, autograd.zeros(3, 4, dtype=autograd.int64)), RuntimeError, "floating point type"),
        (
            lambda: F.cross_entropy(X, autograd.zeros(3, 4), ignore_index=1),
            RuntimeError,
            "ignore_index=1 is not supported",
        ),
        (
            lambda: F.cross_entropy(X, autograd.tensor([0, 1, 2]), weight=autograd.ones(3)),
            RuntimeError,
            "all 4 classes",
        ),
        (lambda: F.nll_loss(autograd.zeros(()), autograd.tensor(0)), ValueError, "class dimension"),
        (lambda: F.binary_cross_entropy(X + 2, X), RuntimeError, "all elements of input should be between 0 and 1"),
        (lambda: F.binary_cross_entropy(X, X - 1), RuntimeError, "all elements of target should be between 0 and 1"),
        (lambda: F.binary_cross_entropy(X, X, weight=autograd.ones(2, 3, 4)), RuntimeError, r"\(2, 3, 4\) does not"),
        (lambda: F.binary_cross_entropy_with_logits(X, X, pos_weight=autograd.ones(5)), RuntimeError, "pos_weight"),
        (lambda: F.huber_loss(X, X, delta=0.0), RuntimeError, "non-positive values for delta"),
        (lambda: F.smooth_l1_loss(X, X, beta=-1.0), RuntimeError, "negative values for beta"),
        (lambda: F.mse_loss(X, X, weight=autograd.ones(4)), ValueError, "Weights and input must have the same size"),
        (lambda: F.multi_margin_loss(X, autograd.tensor([0, 1, 2]), p=3), ValueError, "only p == 1 and p == 2"),
        (lambda: F.multi_margin_loss(autograd.zeros(2, 3, 4), autograd.tensor([0, 1])), RuntimeError, r"\[2, 3, 4\]"),
        (lambda: F.multi_margin_loss(X, autograd.tensor([0, 1])), RuntimeError, r"Expected target size \[3\]"),
        (
            lambda: F.multi_margin_loss(X, autograd.tensor([0, 1, 2]), weight=autograd.ones(3)),
            RuntimeError,
            "expected 4",
        ),
        (lambda: nn.MultiMarginLoss(p=0), ValueError, "only p == 1 and p == 2"),
    ],
)
def test_bad_arguments_raise_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda w: F.cross_entropy(X, autograd.tensor([0, 1, 2]), weight=w),
        lambda w: F.nll_loss(X, autograd.tensor([0, 1, 2]), weight=w),
        lambda w: F.binary_cross_entropy(X + 0.5, X, weight=w),
        lambda w: F.binary_cross_entropy_with_logits(X, X, weight=w),
        lambda w: F.binary_cross_entropy_with_logits(X, X, pos_weight=w),
        lambda w: F.multi_margin_loss(X, autograd.tensor([0, 1, 2]), weight=w),
    ],
)
def test_a_constant_weight_that_requires_grad_raises_as_torch(call):
    with pytest.raises(RuntimeError, match="is not differentiable with respect to argument"):
        call(autograd.ones(4, requires_grad=True))


def test_weight_of_probability_targets_gets_torchs_gradient():
    x, p, w = RNG.normal(size=(3, 4)), probabilities((3, 4), 1), RNG.uniform(0.5, 2, 4)
    grads = []
    for lib, functional in ((autograd, F), (torch, torch.nn.functional)):
        weight = convert(lib, w, np.float64, requires_grad=True)
        functional.cross_entropy(convert(lib, x, np.float64), convert(lib, p, np.float64), weight=weight).backward()
        grads.append(weight.grad)
    compare(*grads, np.float64, "weight gradient")


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
def test_an_ignored_row_with_a_minus_inf_entry_gives_torchs_loss_without_warnings(name):
    x = np.array([[-np.inf, 1.0, 2.0], [0.5, 1.0, 2.0]])
    loss, grad = value_and_grad(getattr(F, name), x, autograd.tensor([-100, 2]))
    t = torch.tensor(x, requires_grad=True)
    theirs = getattr(torch.nn.functional, name)(t, torch.tensor([-100, 2]))
    theirs.backward()
    assert loss == theirs.item() and grad == t.grad.tolist()
