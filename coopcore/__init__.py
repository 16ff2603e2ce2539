"""coopcore: the data model and exact computations of China's farmer cooperatives and village collectives."""

__version__ = "0.1.0"
