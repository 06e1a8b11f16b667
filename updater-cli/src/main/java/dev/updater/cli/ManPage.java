package dev.updater.cli;

import java.util.Collection;

/**
 * The {@code updater(1)} manual page, in troff's man macros, made from the commands' own help
 * texts so it says exactly what {@code updater COMMAND --help} says. No date is written, so the
 * page is the same on every build of one version.
 */
final class ManPage {
  private ManPage() {}

  static String render(String version, Collection<Command> commands) {
    StringBuilder b = new StringBuilder()
        .append(".TH UPDATER 1 \"\" \"updater ").append(version).append("\" \"User Commands\"\n")
        .append(".SH NAME\nupdater \\- publish, check, install, update and roll back releases of an"
            + " application\n")
        .append(".SH SYNOPSIS\n.B updater\n[\\fB\\-\\-verbose\\fR|\\fB\\-\\-quiet\\fR]"
            + " \\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n.br\n.B updater \\-\\-version\n")
        .append(".SH DESCRIPTION\n")
        .append("The command line of the updater library. A vendor publishes signed releases into"
            + " a static update repository with \\fBkeygen\\fR and \\fBpublish\\fR; an operator"
            + " checks, installs, rolls back and inspects an install with the other commands."
            + " Results go to standard output, step and progress lines and errors to standard"
            + " error.\n")
        .append(".SH GLOBAL OPTIONS\n")
        .append(".TP\n.B \\-v, \\-\\-verbose\nAlso print the library's log lines, down to DEBUG,"
            + " on standard error.\n")
        .append(".TP\n.B \\-q, \\-\\-quiet\nPrint the result and errors only: no step or progress"
            + " lines.\n")
        .append(".TP\n.B \\-\\-version\nPrint the version and exit.\n")
        .append(".SH COMMANDS\n");
    for (Command c : commands) {
      b.append(".SS ").append(c.name()).append('\n')
          .append(escape(c.summary())).append(".\n")
          .append(".PP\n.nf\n").append(escape(c.usage())).append('\n')
          .append(escape(c.help())).append("\n.fi\n");
    }
    return b.append(".SH EXIT STATUS\n")
        .append("0 ok, 1 failed, 2 usage error, 3 refused (lock held, incompatible or older"
            + " release, nothing to roll back to, would overwrite), 4 verification failed,"
            + " 5 source unavailable.\n")
        .append(".SH ENVIRONMENT\n.TP\n.B UPDATER_JAVA_OPTS\nOptions for the Java virtual"
            + " machine, such as \\-Xmx256m.\n.TP\n.B JAVA_HOME\nThe Java 17+ installation to"
            + " run; otherwise \\fBjava\\fR on the PATH.\n")
        .append(".SH SEE ALSO\nThe user guide, docs/cli.md in the source distribution.\n")
        .toString();
  }

  /** {@code text} safe in troff: backslashes escaped, no line taken for a request. */
  static String escape(String text) {
    StringBuilder b = new StringBuilder();
    for (String line : text.replace("\\", "\\e").split("\n", -1)) {
      if (b.length() > 0) {
        b.append('\n');
      }
      if (line.startsWith(".") || line.startsWith("'")) {
        b.append("\\&");
      }
      b.append(line.replace("-", "\\-"));
    }
    return b.toString();
  }
}
