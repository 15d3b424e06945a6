"""Class-aware samplers for torch.utils.data."""

__all__: list[str] = []
