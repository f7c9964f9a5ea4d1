"""Module, Parameter and the containers behave like torch.nn's: registration, traversal, modes, hooks, repr."""

import copy
import gc
import inspect
import weakref

import numpy as np
import pytest
import torch

import autograd
import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 4)
        self.bn = nn.BatchNorm1d(4)
        self.head = nn.Sequential(nn.Linear(4, 2), nn.Dropout(0.5))

    def forward(self, x):
        return self.head(self.bn(self.fc(x)))


class TorchNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(3, 4)
        self.bn = torch.nn.BatchNorm1d(4)
        self.head = torch.nn.Sequential(torch.nn.Linear(4, 2), torch.nn.Dropout(0.5))

    def forward(self, x):
        return self.head(self.bn(self.fc(x)))


# --- Parameter --------------------------------------------------------------------------------------


def test_parameter_requires_grad_and_prints_like_torch():
    p = nn.Parameter(autograd.tensor([1.0, 2.0]))
    assert p.requires_grad and p.is_leaf
    assert repr(p) == repr(torch.nn.Parameter(torch.tensor([1.0, 2.0])))


def test_parameter_shares_memory_with_its_data():
    t = autograd.zeros(3)
    p = nn.Parameter(t)
    p.data[0] = 5.0
    assert t[0].item() == 5.0


def test_ops_on_a_parameter_return_plain_tensors():
    p = nn.Parameter(autograd.ones(2))
    assert type(p * 2) is autograd.Tensor and type(p.detach()) is autograd.Tensor


def test_parameter_without_grad():
    assert not nn.Parameter(autograd.ones(2), requires_grad=False).requires_grad


# --- registration -----------------------------------------------------------------------------------


def test_assignment_registers_parameters_buffers_and_modules_in_order():
    net = Net()
    assert list(net._modules) == ["fc", "bn", "head"]
    assert [n for n, _ in net.named_parameters()] == [n for n, _ in TorchNet().named_parameters()]
    assert [n for n, _ in net.named_buffers()] == [n for n, _ in TorchNet().named_buffers()]


def test_state_dict_keys_equal_torchs():
    assert list(Net().state_dict()) == list(TorchNet().state_dict())


def test_reassigning_a_parameter_name_to_a_tensor_raises():
    layer = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="cannot assign 'Tensor' as parameter 'weight'"):
        layer.weight = autograd.ones(2, 2)


def test_assigning_none_to_a_parameter_removes_it_from_parameters():
    layer = nn.Linear(2, 2)
    layer.bias = None
    assert [n for n, _ in layer.named_parameters()] == ["weight"]


def test_assigning_before_init_raises():
    class Broken(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(autograd.ones(1))

    with pytest.raises(AttributeError, match=r"before Module.__init__\(\) call"):
        Broken()


def test_register_buffer_rejects_bad_names_and_values():
    m = nn.Module()
    with pytest.raises(KeyError, match=r'contain "\."'):
        m.register_buffer("a.b", autograd.ones(1))
    with pytest.raises(TypeError, match="cannot assign 'int' object to buffer 'x'"):
        m.register_buffer("x", 3)
    m.y = 1
    with pytest.raises(KeyError, match="attribute 'y' already exists"):
        m.register_buffer("y", autograd.ones(1))


def test_non_persistent_buffer_is_not_in_state_dict():
    m = nn.Module()
    m.register_buffer("kept", autograd.ones(1))
    m.register_buffer("scratch", autograd.ones(1), persistent=False)
    assert list(m.state_dict()) == ["kept"]
    assert [n for n, _ in m.named_buffers()] == ["kept", "scratch"]


def test_delattr_unregisters():
    layer = nn.Linear(2, 2)
    del layer.bias
    assert "bias" not in dict(layer.named_parameters())
    with pytest.raises(AttributeError, match="'Linear' object has no attribute 'bias'"):
        layer.bias


def test_missing_forward_raises_like_torch():
    with pytest.raises(NotImplementedError, match=r'Module \[Module\] is missing the required "forward" function'):
        nn.Module()(1)


# --- traversal --------------------------------------------------------------------------------------


def test_shared_parameters_are_listed_once():
    a, b = nn.Linear(2, 2), nn.Linear(2, 2)
    b.weight = a.weight
    model = nn.Sequential(a, b)
    assert [n for n, _ in model.named_parameters()] == ["0.weight", "0.bias", "1.bias"]
    assert len(list(model.named_parameters(remove_duplicate=False))) == 4


def test_shared_module_is_listed_once_but_saved_under_each_name():
    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, shared)
    tmodel = torch.nn.Sequential(*[torch.nn.Linear(2, 2)] * 2)
    assert [n for n, _ in model.named_modules()] == [n for n, _ in tmodel.named_modules()]
    assert list(model.state_dict()) == list(tmodel.state_dict())


def test_named_modules_is_depth_first_like_torch():
    assert [n for n, _ in Net().named_modules()] == [n for n, _ in TorchNet().named_modules()]


def test_children_are_the_direct_submodules():
    assert [type(c).__name__ for c in Net().children()] == ["Linear", "BatchNorm1d", "Sequential"]


def test_named_parameters_with_prefix_and_without_recursion():
    net = Net()
    assert [n for n, _ in net.head.named_parameters(prefix="head")] == ["head.0.weight", "head.0.bias"]
    assert list(net.named_parameters(recurse=False)) == []


def test_get_submodule_follows_dotted_paths():
    net = Net()
    assert net.get_submodule("head.0") is net.head[0]
    with pytest.raises(AttributeError, match="has no attribute `nope`"):
        net.get_submodule("head.nope")


# --- modes, gradients, dtype ------------------------------------------------------------------------


def test_train_and_eval_propagate_and_return_self():
    net = Net()
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())


def test_train_rejects_a_non_boolean_mode():
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        Net().train("no")


def test_zero_grad_sets_grads_to_none_by_default():
    layer = nn.Linear(2, 1)
    layer(autograd.ones(3, 2)).sum().backward()
    layer.zero_grad()
    assert layer.weight.grad is None and layer.bias.grad is None


def test_zero_grad_without_set_to_none_gives_zeros():
    layer = nn.Linear(2, 1)
    layer(autograd.ones(3, 2)).sum().backward()
    layer.zero_grad(set_to_none=False)
    assert np.array_equal(layer.weight.grad.numpy(), np.zeros((1, 2), np.float32))


def test_requires_grad_false_freezes_every_parameter():
    net = Net().requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())


def test_apply_visits_children_before_parents():
    seen = []
    Net().apply(lambda m: seen.append(type(m).__name__))
    assert seen == ["Linear", "BatchNorm1d", "Linear", "Dropout", "Sequential", "Net"]


def test_double_casts_floating_parameters_and_buffers_but_not_counters():
    net = Net()
    weight = net.fc.weight
    net.double()
    assert net.fc.weight is weight and weight.dtype == np.float64
    assert net.bn.running_mean.dtype == np.float64 and net.bn.num_batches_tracked.dtype == np.int64
    assert net.to(autograd.float32).fc.weight.dtype == np.float32


def test_to_another_device_raises():
    with pytest.raises(RuntimeError, match="CPU only"):
        Net().to("cuda")


def test_deepcopy_gives_independent_parameters():
    net = Net()
    twin = copy.deepcopy(net)
    twin.fc.weight.data[0, 0] = 100.0
    assert net.fc.weight[0, 0].item() != 100.0
    assert isinstance(twin.fc.weight, nn.Parameter) and twin.fc.weight.requires_grad


# --- hooks ------------------------------------------------------------------------------------------


def test_forward_hook_sees_activations_and_is_removable():
    layer = nn.Linear(2, 3)
    seen = []
    handle = layer.register_forward_hook(lambda m, args, out: seen.append(out.shape))
    layer(autograd.ones(4, 2))
    handle.remove()
    layer(autograd.ones(4, 2))
    assert seen == [(4, 3)]


def test_forward_hook_return_value_replaces_the_output():
    layer = nn.Identity()
    layer.register_forward_hook(lambda m, args, out: out * 2)
    assert layer(autograd.tensor([1.0])).item() == 2.0


def test_forward_pre_hook_can_replace_the_inputs():
    layer = nn.Identity()
    with layer.register_forward_pre_hook(lambda m, args: args[0] + 1):
        assert layer(autograd.tensor([1.0])).item() == 2.0
    assert layer(autograd.tensor([1.0])).item() == 1.0


def test_prepended_hook_runs_first():
    layer, order = nn.Identity(), []
    layer.register_forward_hook(lambda *a: order.append("second"))
    layer.register_forward_hook(lambda *a: order.append("first"), prepend=True)
    layer(autograd.ones(1))
    assert order == ["first", "second"]


def test_hook_with_kwargs_gets_the_keyword_arguments():
    class Scale(nn.Module):
        def forward(self, x, factor=1.0):
            return x * factor

    layer, seen = Scale(), []
    layer.register_forward_hook(lambda m, args, kwargs, out: seen.append(kwargs), with_kwargs=True)
    layer(autograd.ones(1), factor=3.0)
    assert seen == [{"factor": 3.0}]


def test_always_call_hook_runs_when_forward_raises():
    class Failing(nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    layer, seen = Failing(), []
    layer.register_forward_hook(lambda m, args, out: seen.append(out), always_call=True)
    layer.register_forward_hook(lambda m, args, out: seen.append("not always"))
    with pytest.raises(ValueError, match="boom"):
        layer(autograd.ones(1))
    assert seen == [None]


def test_public_signatures_equal_torchs():
    pairs = [(getattr(nn.Module, m), getattr(torch.nn.Module, m)) for m in MODULE_METHODS]
    pairs += [(getattr(nn, c), getattr(torch.nn, c)) for c in LAYERS]
    pairs += [(getattr(nn.init, f), getattr(torch.nn.init, f)) for f in nn.init.__all__]
    pairs += [(getattr(nn.utils, f), getattr(torch.nn.utils, f)) for f in nn.utils.__all__]
    pairs += [(getattr(nn.functional, f), getattr(torch.nn.functional, f)) for f in FUNCTIONS]
    for ours, theirs in pairs:
        assert _parameters(ours) == _parameters(theirs), ours


MODULE_METHODS = ["load_state_dict", "named_parameters", "named_modules", "named_buffers", "register_buffer"]
MODULE_METHODS += ["register_parameter", "add_module", "register_forward_hook", "register_forward_pre_hook"]
MODULE_METHODS += ["zero_grad", "to", "train", "eval", "apply", "get_submodule", "parameters", "buffers", "children"]
LAYERS = ["Linear", "Identity", "Flatten", "Unflatten", "Dropout", "BatchNorm1d", "BatchNorm2d", "LayerNorm"]
LAYERS += ["Embedding", "Sequential", "ModuleList", "ModuleDict"]
FUNCTIONS = ["dropout", "batch_norm", "layer_norm", "embedding"]


def _parameters(fn):
    """(name, default) of each parameter of ``fn``."""
    return [(p.name, p.default) for p in inspect.signature(fn).parameters.values()]


# --- repr -------------------------------------------------------------------------------------------


def test_repr_prints_the_tree_as_torch_does():
    assert repr(Net()).replace("Net(", "X(") == repr(TorchNet()).replace("TorchNet(", "X(")


def test_module_list_repr_compresses_repeats_as_torch_does():
    ours = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.Identity(), nn.Linear(2, 2)])
    theirs = torch.nn.ModuleList([torch.nn.Linear(2, 2), torch.nn.Linear(2, 2), torch.nn.Identity()])
    theirs.append(torch.nn.Linear(2, 2))
    assert repr(ours) == repr(theirs)


def test_nested_containers_repr_as_torch():
    ours = nn.ModuleDict({"enc": nn.Sequential(nn.Flatten(), nn.Linear(4, 2)), "drop": nn.Dropout(0.1)})
    theirs = torch.nn.ModuleDict(
        {"enc": torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(4, 2)), "drop": torch.nn.Dropout(0.1)}
    )
    assert repr(ours) == repr(theirs)


# --- containers -------------------------------------------------------------------------------------


def test_sequential_indexing_slicing_and_len():
    model = nn.Sequential(nn.Linear(2, 3), nn.Identity(), nn.Linear(3, 1))
    assert len(model) == 3 and isinstance(model[-1], nn.Linear)
    assert isinstance(model[:2], nn.Sequential) and len(model[:2]) == 2
    with pytest.raises(IndexError, match="index 3 is out of range"):
        model[3]


def test_sequential_delete_renumbers_keys():
    model = nn.Sequential(nn.Linear(2, 3), nn.Identity(), nn.Linear(3, 1))
    del model[1]
    assert list(model.state_dict()) == ["0.weight", "0.bias", "1.weight", "1.bias"]


def test_sequential_from_ordered_dict_keeps_names():
    from collections import OrderedDict

    model = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 2)), ("act", nn.Identity())]))
    assert list(model.state_dict()) == ["fc.weight", "fc.bias"]


def test_sequential_append_insert_and_pop():
    model = nn.Sequential(nn.Linear(2, 2))
    model.append(nn.Identity()).insert(0, nn.Flatten())
    assert [type(m).__name__ for m in model] == ["Flatten", "Linear", "Identity"]
    assert isinstance(model.pop(0), nn.Flatten) and len(model) == 2


def test_module_list_registers_and_supports_list_operations():
    layers = nn.ModuleList([nn.Linear(2, 2)])
    layers.append(nn.Linear(2, 2))
    layers += [nn.Linear(2, 2)]
    layers.insert(0, nn.Identity())
    assert len(layers) == 4 and len(list(layers.parameters())) == 6
    del layers[0]
    assert list(layers._modules) == ["0", "1", "2"]


def test_module_dict_mapping_operations():
    heads = nn.ModuleDict({"a": nn.Linear(2, 1)})
    heads["b"] = nn.Identity()
    heads.update([("c", nn.Flatten())])
    assert list(heads.keys()) == ["a", "b", "c"] and "b" in heads
    assert isinstance(heads.pop("a"), nn.Linear) and len(heads) == 2


# --- memory -----------------------------------------------------------------------------------------


def test_deleting_a_trained_model_frees_it_by_reference_counting():
    gc.disable()
    try:
        model = Net()
        model(autograd.randn(4, 3)).sum().backward()
        handle = model.register_forward_hook(lambda *args: None)
        refs = [weakref.ref(model), weakref.ref(model.fc.weight), weakref.ref(model.bn.running_mean)]
        del model
        assert all(ref() is None for ref in refs)
        handle.remove()
    finally:
        gc.enable()
