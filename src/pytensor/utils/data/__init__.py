"""Datasets, samplers and the DataLoader (torch.utils.data)."""

from .dataloader import DataLoader, default_collate, default_convert, get_worker_info
from .dataset import (ConcatDataset, Dataset, IterableDataset, Subset, TensorDataset,
                      random_split)
from .sampler import (BatchSampler, RandomSampler, Sampler, SequentialSampler,
                      SubsetRandomSampler)

__all__ = [
    "DataLoader", "default_collate", "default_convert", "get_worker_info", "ConcatDataset",
    "Dataset", "IterableDataset", "Subset", "TensorDataset", "random_split", "BatchSampler",
    "RandomSampler", "Sampler", "SequentialSampler", "SubsetRandomSampler",
]
