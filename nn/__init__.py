"""chainrule.nn: modules, layers, losses and init with torch.nn's names (see issue #4)."""
