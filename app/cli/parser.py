"""The command line's argument parser, in Vietnamese: help, usage lines and argument errors.

``argparse`` words its own text ("usage:", "options:", "the following arguments are required",
"invalid choice", …) through the module's gettext functions ``argparse._`` and
``argparse.ngettext``. ``VietnameseArgumentParser`` swaps those two for ``VIETNAMESE`` while it
builds itself, parses, formats help or reports an error, and puts them back afterwards, so no
other user of ``argparse`` in the process (pytest, for one) is affected. Subcommands' parsers are
made of the same class (``add_subparsers`` passes it on). An argument error prints the usage, the
Vietnamese reason and where to find the help, and exits 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

#: argparse's English message → the Vietnamese shown instead (CPython 3.11's Lib/argparse.py)
VIETNAMESE: dict[str, str] = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "Đối số",
    "options": "Tuỳ chọn",
    "optional arguments": "Tuỳ chọn",
    "subcommands": "Lệnh",
    "show this help message and exit": "xem hướng dẫn này rồi thoát",
    "show program's version number and exit": "xem số phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "đối số %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "thiếu đối số bắt buộc: %s",
    "unrecognized arguments: %s": "đối số không hiểu được: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "lựa chọn không hợp lệ: %(value)r (chọn một trong: %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "không có lệnh %(parser_name)r (các lệnh: %(choices)s)",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected %s argument": "cần %s giá trị",
    "expected %s arguments": "cần %s giá trị",
    "not allowed with argument %s": "không dùng cùng với %s",
    "ignored explicit argument %r": "không nhận giá trị %r",
    "one of the arguments %s is required": "cần một trong các đối số: %s",
    "ambiguous option: %(option)s could match %(matches)s": "tuỳ chọn không rõ: %(option)s có thể là %(matches)s",
    "unexpected option string: %s": "tuỳ chọn không mong đợi: %s",
    "can't open '%(filename)s': %(error)s": "không mở được “%(filename)s”: %(error)s",
    'argument "-" with mode %r': "đối số “-” với chế độ %r",
    "cannot have multiple subparser arguments": "không thể có nhiều nhóm lệnh con",
}  # fmt: skip


def _gettext(message: str) -> str:
    return VIETNAMESE.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


@contextmanager
def vietnamese() -> Iterator[None]:
    """argparse speaks Vietnamese inside this block (nested blocks are fine)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _gettext, _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class VietnameseArgumentParser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` whose own words are Vietnamese (see the module's text)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with vietnamese():  # the "Đối số" / "Tuỳ chọn" headings and the -h help are made here
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        with vietnamese():
            return super().add_subparsers(**kwargs)

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:  # "unrecognized arguments" is here
        with vietnamese():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        with vietnamese():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with vietnamese():
            return super().format_usage()

    def format_help(self) -> str:
        with vietnamese():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with vietnamese():
            self.print_usage(sys.stderr)
            self.exit(2, f"{self.prog}: lỗi: {message}\nXem hướng dẫn: {self.prog} --help\n")


def typed(convert: Callable[[str], Any], what: str) -> Callable[[str], Any]:
    """An argument ``type`` whose refusal says in Vietnamese what was expected (``what``)."""

    def parse(text: str) -> Any:
        try:
            return convert(text)
        except (TypeError, ValueError) as exc:
            raise argparse.ArgumentTypeError(f"“{text}” không phải {what}") from exc

    parse.__name__ = what
    return parse


__all__ = ["VIETNAMESE", "VietnameseArgumentParser", "typed", "vietnamese"]
