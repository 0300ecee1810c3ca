"""LazyRegistry: descriptors by key, one module per key, each module imported when its key is first asked for."""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LazyRegistry(Mapping[K, V], Generic[K, V]):
    """`modules` maps each key to the module below `package` that describes it, with a DESCRIPTOR, or with
    DESCRIPTORS when one module serves several keys; `key_of` says a descriptor's key. A dump then loads only
    the modules of what it meets, not the sixty tables or fifty SMBIOS types there are."""

    def __init__(self, package: str, modules: Mapping[K, str], key_of: Callable[[Any], K]) -> None:
        self._package, self._modules, self._key_of = package, modules, key_of
        self._loaded: dict[K, V] = {}

    def __getitem__(self, key: K) -> V:
        if key not in self._loaded:
            name = f"{self._package}.{self._modules[key]}"
            module = importlib.import_module(name)
            for found in getattr(module, "DESCRIPTORS", None) or (module.DESCRIPTOR,):
                self._loaded[self._key_of(found)] = found
            if key not in self._loaded:
                raise LookupError(f"{name} describes no {key!r}")
        return self._loaded[key]

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def __iter__(self) -> Iterator[K]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)
