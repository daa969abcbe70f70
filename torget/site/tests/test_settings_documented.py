"""Every environment variable the settings read is in the README's settings table.

The settings module is read as source (its syntax tree), not imported: a variable read only in
production, or only with one backend, counts as much as one read every time. A variable is
"read" by a call whose first argument is its name as a literal:

- `env.str("NAME", …)`, `env.bool(…)`, `env.int(…)`, `env.list(…)`, `env.db_url(…)`, … (any
  method of django-environ's `env`, or of `environ.Env()`);
- `os.environ.get("NAME")`, `os.environ["NAME"]`, `os.getenv("NAME")`;
- a function of the settings module that passes its first parameter on to one of those
  (`get_mandatory_secret("SECRET_KEY")`, …), found the same way, so a new helper needs no
  change here.

The table is the first one under `## Configuration`; a row names its variables in back-ticks
in the first column and has a default, a meaning and an example.
"""

import ast
import re
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[3]
SETTINGS = CHECKOUT / "torget" / "settings.py"
README = CHECKOUT / "README.md"
COLUMNS = ["variable", "default", "meaning", "example"]


def _is_env(node: ast.expr) -> bool:
    """`env`, `environ.Env()`, `os.environ`."""
    if isinstance(node, ast.Name):
        return node.id == "env"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "Env"
    if isinstance(node, ast.Attribute):
        return node.attr == "environ"
    return False


def _reader_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute) and _is_env(func.value):
        return "env"
    if isinstance(func, ast.Attribute) and func.attr == "getenv":
        return "env"
    if isinstance(func, ast.Name):
        return func.id
    return None


def _first_argument(call: ast.Call) -> ast.expr | None:
    return call.args[0] if call.args else None


def variables_read(source: str) -> set[str]:
    tree = ast.parse(source)
    # Functions of the module that read the variable their first parameter names.
    helpers: set[str] = set()
    for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        if not function.args.args:
            continue
        parameter = function.args.args[0].arg
        for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
            argument = _first_argument(call)
            if (
                _reader_name(call) == "env"
                and isinstance(argument, ast.Name)
                and argument.id == parameter
            ):
                helpers.add(function.name)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            argument = _first_argument(node)
            reader = _reader_name(node)
            if (
                (reader == "env" or reader in helpers)
                and isinstance(argument, ast.Constant)
                and isinstance(argument.value, str)
            ):
                found.add(argument.value)
        elif (
            isinstance(node, ast.Subscript)
            and _is_env(node.value)
            and isinstance(node.slice, ast.Constant)
        ):
            found.add(str(node.slice.value))
    return found


def configuration_table(readme: str) -> list[list[str]]:
    """The rows (cells) of the first table under `## Configuration`, header first."""
    section = readme.split("\n## Configuration\n", 1)[1]
    section = re.split(r"\n## ", section, maxsplit=1)[0]
    rows: list[list[str]] = []
    for line in section.splitlines():
        if line.startswith("|"):
            # A `|` inside back-ticks is text, not a column (`a|b` in an example).
            cells = re.split(r"(?<!\\)\|(?=(?:[^`]*`[^`]*`)*[^`]*$)", line.strip().strip("|"))
            rows.append([cell.strip() for cell in cells])
        elif rows:
            break
    return rows


def variables_documented(rows: list[list[str]]) -> set[str]:
    return {name for row in rows[2:] for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", row[0])}


def test_the_readme_table_has_an_example_column() -> None:
    rows = configuration_table(README.read_text())
    assert rows, "README.md has no table under ## Configuration"
    assert [cell.lower() for cell in rows[0]] == COLUMNS


def test_every_row_has_a_default_a_meaning_and_an_example() -> None:
    rows = configuration_table(README.read_text())
    incomplete = [
        row[0] for row in rows[2:] if len(row) != len(COLUMNS) or not all(cell for cell in row)
    ]
    assert not incomplete, f"rows without a default, meaning or example: {', '.join(incomplete)}"


def test_every_variable_the_settings_read_is_documented() -> None:
    read = variables_read(SETTINGS.read_text())
    documented = variables_documented(configuration_table(README.read_text()))
    missing = sorted(read - documented)
    assert not missing, f"not in README.md's ## Configuration table: {', '.join(missing)}"


def test_every_documented_variable_is_still_read() -> None:
    read = variables_read(SETTINGS.read_text())
    documented = variables_documented(configuration_table(README.read_text()))
    gone = sorted(documented - read)
    assert not gone, f"README.md documents settings that are no longer read: {', '.join(gone)}"


class TestTheReader:
    """The checks above are only as good as the reader: it must see each way of reading."""

    SOURCE = """
import os
import environ
env = environ.Env()
VAR = environ.Env().str("FROM_NEW_ENV", default="")
A = env.str("PLAIN", default="")
B = env.db_url("A_URL", default="sqlite://")
C = os.environ.get("FROM_OS_ENVIRON")
D = os.environ["SUBSCRIPTED"]
E = os.getenv("FROM_GETENV")
def mandatory(name):
    return env.str(name, default="")
F = mandatory("THROUGH_HELPER")
G = other("NOT_A_SETTING")
H = env.str(f"{G}_NOT_LITERAL")
"""

    def test_it_finds_every_kind_of_read(self) -> None:
        assert variables_read(self.SOURCE) == {
            "FROM_NEW_ENV",
            "PLAIN",
            "A_URL",
            "FROM_OS_ENVIRON",
            "SUBSCRIPTED",
            "FROM_GETENV",
            "THROUGH_HELPER",
        }

    def test_it_finds_the_real_settings_reads(self) -> None:
        read = variables_read(SETTINGS.read_text())
        assert {"SECRET_KEY", "DATABASE_URL", "TORGET_VAR_DIR", "MEDIA_ROOT"} <= read

    def test_it_reads_several_names_in_one_row(self) -> None:
        rows = configuration_table(
            "x\n## Configuration\n\n| variable | default | meaning | example |\n|---|---|---|---|\n"
            "| `ONE`, `TWO` | none | a | `a|b` |\n\n| `NOT_IN_TABLE` |\n## Next\n"
        )
        assert variables_documented(rows) == {"ONE", "TWO"}
        assert rows[2][3] == "`a|b`"
