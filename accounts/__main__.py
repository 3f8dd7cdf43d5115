"""Manage the dashboard's accounts:

    python -m accounts add USERNAME --role viewer|editor|admin [--ward CODE ...] [--name "…"]
    python -m accounts list
    python -m accounts remove USERNAME
    python -m accounts set-password USERNAME

The password is read from standard input (one line; typed without echo when
stdin is a terminal), never from the command line where `ps` and the shell
history would keep it. Exit code 0 on success, 1 when refused, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from accounts import store


def _password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Mật khẩu: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != first:
            raise store.AccountError("Hai lần nhập mật khẩu không khớp.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m accounts",
                                     description="Quản lý tài khoản của hệ thống Chỉ tiêu.")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="thêm tài khoản (mật khẩu đọc từ đầu vào chuẩn)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=store.ROLES)
    add.add_argument("--ward", action="append", default=[], help="mã đơn vị (editor), lặp lại được")
    add.add_argument("--name", default="", help="tên hiển thị")
    commands.add_parser("list", help="liệt kê tài khoản")
    remove = commands.add_parser("remove", help="xóa tài khoản")
    remove.add_argument("username")
    reset = commands.add_parser("set-password", help="đặt lại mật khẩu (đọc từ đầu vào chuẩn)")
    reset.add_argument("username")
    args = parser.parse_args(argv)
    try:
        if args.command == "add":
            user = store.add_user(args.username, args.role, _password(), args.ward, args.name)
            print(f"Đã thêm tài khoản '{user.username}' ({store.ROLE_LABELS_VI[user.role]}"
                  + (f"; đơn vị: {', '.join(user.wards)}" if user.wards else "") + ").")
        elif args.command == "list":
            for user in store.list_users():
                wards = f"  [{', '.join(user.wards)}]" if user.wards else ""
                print(f"{user.username:<24} {store.ROLE_LABELS_VI[user.role]:<14}{wards}")
        elif args.command == "remove":
            store.remove_user(args.username)
            print(f"Đã xóa tài khoản '{args.username}'.")
        else:
            store.set_password(args.username, _password())
            print(f"Đã đặt lại mật khẩu cho '{args.username}'.")
    except store.AccountError as error:
        print(f"Lỗi: {error.message_vi}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
