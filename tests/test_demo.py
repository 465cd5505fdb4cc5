"""``lpsa-xl demo`` (README command 1) runs and prints the schedule."""

from __future__ import annotations

from click.testing import CliRunner

from lpsa_xl.cli import main


def test_demo_prints_the_reward_schedule():
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert "Total reward £" in result.output


def test_unknown_command_is_a_usage_error():
    result = CliRunner().invoke(main, ["frobnicate"])
    assert result.exit_code == 2 and "No such command" in result.output
