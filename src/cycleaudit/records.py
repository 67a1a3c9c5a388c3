"""``@record``: a frozen, slotted dataclass that is quick to make.

``dataclass(frozen=True)`` sets every field through ``object.__setattr__``,
which looks the name up on the class before storing it; scoring one
questionnaire makes a few hundred of these (an answer, a result, a gap, a
planned action per tactic), and a batch scores thousands. A record is a
frozen dataclass with slots (equality, hash, repr, ``dataclasses.replace``,
pickling, and an error on any assignment) whose ``__init__`` stores each
field through its slot directly, as ``object.__setattr__`` would in the end.
A class that needs an instance dictionary (``cached_property``) stays a
plain ``dataclass(frozen=True)``.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: type[T]) -> type[T]:
    made = dataclasses.dataclass(frozen=True, slots=True)(cls)
    init = _slot_init(made)
    if init is not None:
        made.__init__ = init  # type: ignore[method-assign]
    return made


def _slot_init(cls: type[Any]) -> Any:
    """An ``__init__`` like the dataclass's, or None where the dataclass's must stay."""
    fields = dataclasses.fields(cls)
    plain = (
        len(fields) == len(cls.__dataclass_fields__)  # no InitVar
        and all(f.init and not f.kw_only for f in fields)
        and not hasattr(cls, "__post_init__")
    )
    if not plain:
        return None
    namespace: dict[str, Any] = {"_record_missing": dataclasses.MISSING}
    parameters = []
    lines = []
    for f in fields:
        # The slot's own setter: what object.__setattr__ finds and calls for this name.
        namespace[f"_record_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is not dataclasses.MISSING:
            namespace[f"_record_default_{f.name}"] = f.default
            parameters.append(f"{f.name}=_record_default_{f.name}")
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f"_record_factory_{f.name}"] = f.default_factory
            parameters.append(f"{f.name}=_record_missing")
            lines.append(f"if {f.name} is _record_missing: {f.name} = _record_factory_{f.name}()")
        else:
            parameters.append(f.name)
    lines += [f"_record_set_{f.name}(self, {f.name})" for f in fields] or ["pass"]
    source = f"def __init__(self, {', '.join(parameters)}):\n" + "".join(
        f"    {line}\n" for line in lines
    )
    exec(source, namespace)  # as dataclasses itself builds __init__
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    return init
