"""Action: one step a staff page offers as a form (toolbox; imports no domain app).

A page keeps a table of them by name: the view builds `form_class` for each step the object
offers, and on POST validates it and calls `take`, which calls the service and returns what to
tell the user. `templates/ui/action_form.html` renders one.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Action(Generic[T]):
    form_class: type[Any]
    # (object, actor, valid form) -> the success message; raises ValidationError to refuse.
    take: Callable[[T, Any, Any], str]
    button: Any = None  # the submit button's text
    heading: Any = None  # the panel's heading, where it differs from the button
    danger: bool = False  # a step that cannot be undone gets the red button
    prefix: str = ""  # the form's field prefix, where it is not the action's name
    step: str = ""  # the workflow step it takes, where the page offers it by step
