"""chainrule.optim: optimizers and LR schedulers with torch.optim's names (see issue #5)."""
