package dev.updater.cli;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The bash and zsh completion scripts of the {@code updater} command, made from the commands'
 * own option lists so they cannot drift from what the command accepts. Options are listed in
 * sorted order, so the scripts are the same on every build.
 */
final class ShellCompletion {
  /** Options whose value is a file or directory: completed with file names. */
  private static final Set<String> PATHS = Set.of("--home", "--repo", "--artifact", "--key",
      "--trust", "--out", "--notes-file", "--target", "--dir", "--trust-root", "--root-key",
      "--publishing", "--timestamp-key");

  private ShellCompletion() {}

  /** The script for {@code shell} ({@code bash} or {@code zsh}). */
  static String script(String shell, Collection<Command> commands) throws CliException {
    return switch (shell.toLowerCase(Locale.ROOT)) {
      case "bash" -> bash(commands);
      case "zsh" -> zsh(commands);
      default -> throw CliException.usage("no completion for shell '" + shell
          + "': choose bash or zsh");
    };
  }

  static String bash(Collection<Command> commands) {
    StringBuilder b = new StringBuilder()
        .append("# bash completion for updater; load with: source <(updater completion bash)\n")
        .append("_updater() {\n")
        .append("  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n")
        .append("  if [[ $COMP_CWORD -eq 1 ]]; then\n")
        .append("    COMPREPLY=($(compgen -W \"").append(names(commands))
        .append(" --help --version --verbose --quiet\" -- \"$cur\"))\n")
        .append("    return\n  fi\n")
        .append("  case \"$prev\" in\n    ").append(String.join("|", new TreeSet<>(PATHS)))
        .append(")\n      COMPREPLY=($(compgen -f -- \"$cur\"))\n      return;;\n  esac\n")
        .append("  local opts\n  case \"${COMP_WORDS[1]}\" in\n");
    for (Command c : commands) {
      b.append("    ").append(c.name()).append(") opts=\"").append(String.join(" ", options(c)))
          .append("\";;\n");
    }
    return b.append("    *) opts=\"\";;\n  esac\n")
        .append("  COMPREPLY=($(compgen -W \"$opts --help --verbose --quiet\" -- \"$cur\"))\n")
        .append("}\ncomplete -o default -F _updater updater\n").toString();
  }

  static String zsh(Collection<Command> commands) {
    StringBuilder b = new StringBuilder()
        .append("#compdef updater\n")
        .append("# zsh completion for updater: put this file as _updater on $fpath\n")
        .append("_updater() {\n  local -a commands\n  commands=(\n");
    for (Command c : commands) {
      b.append("    '").append(c.name()).append(':').append(quote(c.summary())).append("'\n");
    }
    b.append("  )\n  if (( CURRENT == 2 )); then\n")
        .append("    _describe 'command' commands\n")
        .append("    _arguments '--help' '--version' '--verbose' '--quiet'\n")
        .append("    return\n  fi\n  case $words[2] in\n");
    for (Command c : commands) {
      b.append("    ").append(c.name()).append(")\n      _arguments");
      for (String o : new TreeSet<>(c.valued())) {
        b.append(" '").append(o).append(":value:").append(PATHS.contains(o) ? "_files" : " ")
            .append('\'');
      }
      for (String o : new TreeSet<>(c.flags())) {
        b.append(" '").append(o).append('\'');
      }
      b.append(" '--help' '--verbose' '--quiet'");
      if (c.operands()) {
        b.append(" '*:file:_files'");
      }
      b.append(";;\n");
    }
    return b.append("  esac\n}\n_updater \"$@\"\n").toString();
  }

  private static String names(Collection<Command> commands) {
    StringBuilder b = new StringBuilder();
    for (Command c : commands) {
      b.append(b.length() == 0 ? "" : " ").append(c.name());
    }
    return b.toString();
  }

  private static Set<String> options(Command c) {
    Set<String> all = new TreeSet<>(c.valued());
    all.addAll(c.flags());
    return all;
  }

  /** {@code text} inside single quotes, with zsh's {@code _describe} separator escaped. */
  private static String quote(String text) {
    return text.replace("'", "'\\''").replace(":", "\\:");
  }
}
