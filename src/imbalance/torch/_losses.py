"""Loss modules (thin nn.Module wrappers over imbalance.torch.functional)."""

__all__: list[str] = []
