"""The `coop` command speaks Chinese all the way: click's own words, every help text, every usage error."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import unicodedata
from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from coopcore.cli import main
from coopcore.commands.language import localize, speaking
from coopcore.i18n import translate
from tests.cli.conftest import COOP, run

# What click says in English; none of it may be left on a Chinese page.
ENGLISH = ("Usage:", "Options:", "Commands:", "Show this message and exit.", "Error:", "Missing option",
           "No such command", "Invalid value for", "Try '", "for help.", "[required]", "default:", "TEXT",
           "INTEGER", "CREDIT_CODE", "COMMAND [ARGS]", "[OPTIONS]", "is not a date")  # fmt: skip


def assert_chinese(text: str) -> None:
    left = [phrase for phrase in ENGLISH if phrase in text]
    assert not left, (left, text)


def test_the_installed_command_speaks_chinese_by_default() -> None:
    result = subprocess.run([COOP, "distribution", "pay"], capture_output=True, text=True, env=without_locale())
    assert result.returncode == 2
    assert "用法: coop distribution pay [选项]" in result.stderr and "缺少选项 '--coop'" in result.stderr
    assert_chinese(result.stderr)


def test_the_help_of_coop_its_groups_and_commands_is_chinese_and_english_when_asked() -> None:
    for path, chinese, english in [
        ((), "年度盈余分配（《农民专业合作社法》第四十二条至第四十四条）", "The annual surplus distribution"),
        (("distribution",), "记入成员账户并结账，关闭该会计年度", "Write the member-account entries"),
        (("distribution", "post"), "--coop 信用代码", "--coop CREDIT_CODE"),
    ]:
        zh = run(*path, "--help")
        assert zh.returncode == 0, zh.stderr
        assert "用法:" in zh.stdout and "显示本帮助并退出。" in zh.stdout and chinese in zh.stdout
        assert_chinese(zh.stdout)
        en = run(*path, "--help", lang="en")
        assert "Usage:" in en.stdout and "Show this message and exit." in en.stdout and english in en.stdout
        assert "用法" not in en.stdout


def test_usage_errors_are_chinese_and_english_when_asked() -> None:
    for args, chinese, english in [
        (("distribution", "post"), "缺少选项 '--coop'", "Missing option '--coop'"),
        (("distribuion",), "没有命令 'distribuion'", "No such command 'distribuion'"),
        (
            ("check", "--on", "2024-31-12"),
            "'--on' 的取值无效：2024-31-12不是实际存在的日期",
            "Invalid value for '--on'",
        ),
        (("check", "--on", "soon"), "soon 不是日期：请写成 2026-03-01、2026/3/1 或 2026年3月1日", "soon is not a date"),
    ]:
        zh = run(*args)
        assert zh.returncode == 2
        assert chinese in zh.stderr and "错误：" in zh.stderr and "查看帮助" in zh.stderr, zh.stderr
        assert_chinese(zh.stderr)
        en = run(*args, lang="en")
        assert en.returncode == 2 and english in en.stderr and "Error:" in en.stderr, en.stderr


def without_locale() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}


@pytest.mark.parametrize(("locale", "word"), [("zh_CN.UTF-8", "用法:"), ("C", "用法:"), ("en_US.UTF-8", "Usage:")])
def test_without_lang_the_locale_decides_and_chinese_is_the_default(locale: str, word: str) -> None:
    unset: dict[str, str | None] = dict.fromkeys(("LANGUAGE", "LC_ALL", "LC_MESSAGES"))
    result = CliRunner(env={**unset, "LANG": locale}).invoke(main, ["land", "--help"])
    assert word in result.stdout


def test_a_lang_after_the_subcommand_is_the_subcommand_s_and_the_help_follows_coop_lang() -> None:
    result = run("template", "--lang", "en", "--help")
    assert "工作表名和列名的语言" in result.stdout and "Language of sheet names" not in result.stdout


def commands(group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from commands(command, ctx, (*path, name))


def command_at(path: tuple[str, ...], ctx: click.Context) -> click.Command:
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(ctx, name)
        assert found is not None
        command = found
    return command


def help_texts(command: click.Command, ctx: click.Context) -> Iterator[str]:
    """Every text of a command's help page that is ours to translate: its help, its options' and their placeholders."""
    if command.help:
        yield inspect.cleandoc(command.help)
    for param in command.params:
        help_text = getattr(param, "help", None)
        if isinstance(param, click.Option) and not param.hidden:
            assert help_text, f"{command.name} {param.opts[0]} has no help text"
        if help_text:
            yield inspect.cleandoc(help_text)
        if param.metavar:
            yield param.metavar
        elif isinstance(param, click.Option) and not param.is_flag and not param.type.get_metavar(param, ctx):
            yield param.type.name.upper()


def test_every_help_text_of_every_command_has_a_chinese_translation() -> None:
    ctx = click.Context(main)
    with speaking("en"):  # the English texts, which are the catalogs' keys
        localize(main, ctx, subcommands=True)
        untranslated = [
            (" ".join(path), text)
            for path in [(), *commands(main, ctx)]
            for text in help_texts(command_at(path, ctx), ctx)
            if translate(text, "zh") == text
        ]
    assert untranslated == []


def columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def option_lines(page: str) -> Iterator[tuple[str, str]]:
    """The lines of the options section that name an option and start its help: (line, help)."""
    section = page.partition("选项:\n")[2].partition("\n\n")[0]
    for line in section.splitlines():
        if line.startswith("  -"):
            parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
            if len(parts) == 2:
                yield line, parts[1]


def test_every_help_page_reads_in_chinese_then_english_then_chinese_again_in_one_process() -> None:
    runner = CliRunner()
    paths = [(), *commands(main, click.Context(main))]
    for lang in ("zh", "en", "zh"):
        for path in paths:
            result = runner.invoke(main, ["--lang", lang, *path, "--help"])
            assert result.exit_code == 0, (path, result.output)
            if lang == "zh":
                assert "用法:" in result.output
                assert_chinese(result.output)
                # A Chinese character takes two columns: the page still fits 80 and its columns line up.
                assert max(map(columns, result.output.splitlines())) <= 80, result.output
                starts = {columns(line[: line.index(help_text)]) for line, help_text in option_lines(result.output)}
                assert len(starts) <= 1, result.output
            else:
                assert "Usage:" in result.output and "Show this message and exit." in result.output
                assert "用法" not in result.output and "显示本帮助" not in result.output
