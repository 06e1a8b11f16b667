package dev.updater.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.cli.CliHarness.Result;
import org.junit.jupiter.api.Test;

/** Usage errors exit with 2 and show the usage line; help exits with 0 on standard output. */
class UsageTest {
  final CliHarness cli = new CliHarness();

  @Test
  void noCommandIsAUsageError() {
    Result r = cli.run();
    assertThat(r.code()).isEqualTo(Exit.USAGE);
    assertThat(r.err()).contains("missing the command", "usage: updater [--verbose|--quiet] COMMAND");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    Result r = cli.run("upgrade");
    assertThat(r.code()).isEqualTo(Exit.USAGE);
    assertThat(r.err()).contains("unknown command 'upgrade'", "install");
  }

  @Test
  void anUnknownOptionShowsTheUsageLine() {
    Result r = cli.run("status", "--home", "/tmp/x", "--fast");
    assertThat(r.code()).isEqualTo(Exit.USAGE);
    assertThat(r.err()).contains("unknown option --fast", "usage: updater status --home DIR",
        "updater status --help");
  }

  @Test
  void aMissingValueOrRepeatedOptionIsAUsageError() {
    assertThat(cli.run("status", "--home").err()).contains("--home needs a value");
    Result twice = cli.run("status", "--home", "a", "--home", "b");
    assertThat(twice.code()).isEqualTo(Exit.USAGE);
    assertThat(twice.err()).contains("--home is given 2 times");
    assertThat(cli.run("status").err()).contains("missing --home");
    assertThat(cli.run("status", "extra").err()).contains("unexpected argument 'extra'");
    assertThat(cli.run("status", "--home=").code()).isEqualTo(Exit.USAGE);
  }

  @Test
  void helpListsEveryCommandAndExitsZero() {
    Result r = cli.run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("keygen", "publish", "check", "install", "status", "rollback",
        "clear-error", "unquarantine", "history", "Exit codes");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void eachCommandHasHelp() {
    for (String c : new String[] {"keygen", "publish", "check", "install", "status", "rollback",
        "clear-error", "unquarantine", "history"}) {
      Result r = cli.run(c, "--help");
      assertThat(r.code()).as(c).isZero();
      assertThat(r.out()).as(c).startsWith("usage: updater " + c).contains("Options:");
      assertThat(cli.run("help", c).out()).isEqualTo(r.out());
    }
    assertThat(cli.run("install", "--help").out()).contains("--downgrade", "--shared", "--trust");
  }

  @Test
  void downgradeNeedsAVersion() {
    Result r = cli.run("install", "--home", "h", "--source", "r", "--unsigned", "--downgrade");
    assertThat(r.code()).isEqualTo(Exit.USAGE);
    assertThat(r.err()).contains("--downgrade needs --version");
  }
}
