"""Action: one step a staff page offers as a form (toolbox; imports no domain app).

A page keeps a table of them by name: the view builds `form_class` for each step the object
offers, and on POST hands the bound form to `handle_action_post`, which validates it and calls
`take`, which calls the service and returns what to tell the user. `templates/ui/action_form.html`
renders one.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from torget.core.forms import apply_service_errors

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


def action_or_404(actions: Mapping[str, Action[T]], name: str) -> Action[T]:
    """The action a POST names, from the page's table; a name the page has none of is 404."""
    action = actions.get(name)
    if action is None:
        raise Http404
    return action


def handle_action_post(
    request: HttpRequest,
    obj: T,
    action: Action[T],
    form: Any,
    *,
    success_url: str,
    invalid: Callable[[Any], HttpResponse],
    refused: Callable[[ValidationError], HttpResponse | None] | None = None,
) -> HttpResponse:
    """The POST of one staff action, the same on every page: validate the bound `form`, take
    the action as the user, show its message and go to `success_url`. A form with errors, or a
    service's refusal (a ValidationError, put on the form's fields), gets `invalid(form)`: the
    page again, with status 400. `refused` may answer a refusal its own way instead (a step
    someone else took first); it returns None to leave the refusal to the form."""
    if form.is_valid():
        try:
            done = action.take(obj, request.user, form)
        except ValidationError as error:
            answer = refused(error) if refused is not None else None
            if answer is not None:
                return answer
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(success_url)
    return invalid(form)
