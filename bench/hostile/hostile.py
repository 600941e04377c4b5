"""The registry of hostile-input cases (see run.py)."""
from dataclasses import dataclass, field
from typing import Callable, List, Optional

CASES = []


@dataclass
class Case:
    name: str
    what: str
    build: Callable
    # arguments after the binary; `{repo}` is the case's repository, `{root}` its parent
    args: List[str]
    # accepted exit codes (None: any of 0, 1, 2)
    exit: Optional[List[int]]
    # texts that must appear in standard output or error, and texts that must not
    expect: List[str]
    reject: List[str]
    env: dict
    cwd: str
    # a function (stdout, stderr, exit code) -> None, or the reason the case failed
    check: Optional[Callable]


def case(name, what, *, args=None, exit=None, expect=(), reject=(), env=None, cwd="root", check=None):
    """Register the decorated function `build(repo: pathlib.Path)` as a case.

    The default command is `check --format json {repo}` from the case's root directory;
    `exit=1` (or a list) is the exit status the case must end with.
    """

    def wrap(build):
        if any(c.name == name for c in CASES):
            raise SystemExit(f"hostile case {name!r} is defined twice")
        CASES.append(
            Case(
                name=name,
                what=what,
                build=build,
                args=list(args) if args is not None else ["check", "--format", "json", "{repo}"],
                exit=[exit] if isinstance(exit, int) else (list(exit) if exit is not None else None),
                expect=list(expect),
                reject=list(reject),
                env=dict(env or {}),
                cwd=cwd,
                check=check,
            )
        )
        return build

    return wrap


def write(path, text):
    """Write `text` (str or bytes) to `path`, creating its directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)


HW_RULE_CFN = (
    "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R:\n    Type: AWS::Config::ConfigRule\n"
    "    Properties:\n      Source:\n        Owner: AWS\n        SourceIdentifier: ROOT_ACCOUNT_HARDWARE_MFA_ENABLED\n"
)
