"""Every public name has a docstring: they are what docs/ is built from."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator

import zammad_orm


def public_modules() -> Iterator[str]:
    yield "zammad_orm"
    for info in pkgutil.walk_packages(zammad_orm.__path__, "zammad_orm."):
        if not any(part.startswith("_") for part in info.name.split(".")[1:]):
            yield info.name


def public_members(module_name: str) -> Iterator[tuple[str, object]]:
    module = importlib.import_module(module_name)
    yield module_name, module
    for name, value in vars(module).items():
        if name.startswith("_") or getattr(value, "__module__", None) != module_name:
            continue
        if inspect.isclass(value) or inspect.isfunction(value):
            yield f"{module_name}.{name}", value
        if inspect.isclass(value):
            for attr, member in vars(value).items():
                if attr.startswith("_"):
                    continue
                if inspect.isfunction(member) or isinstance(member, property):
                    yield f"{module_name}.{name}.{attr}", member


def test_every_public_name_has_a_docstring() -> None:
    missing = [
        qualified
        for module_name in public_modules()
        for qualified, member in public_members(module_name)
        if not (inspect.getdoc(member) or "").strip()
    ]
    assert missing == []
