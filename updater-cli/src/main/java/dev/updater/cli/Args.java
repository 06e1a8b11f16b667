package dev.updater.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options and operands of one command, parsed by hand: {@code --name value}, {@code
 * --name=value}, flags without a value, and {@code --} to end the options. An option a command does
 * not declare is a usage error; so is a value option given twice unless it is read with {@link
 * #values}.
 *
 * <pre>{@code
 * Args a = Args.parse(List.of("--repo", "r", "--force"), Set.of("--repo"), Set.of("--force"), false);
 * }</pre>
 */
final class Args {
  private final Map<String, List<String>> values;
  private final Set<String> flagsGiven;
  private final List<String> operands;

  private Args(Map<String, List<String>> values, Set<String> flagsGiven, List<String> operands) {
    this.values = values;
    this.flagsGiven = flagsGiven;
    this.operands = operands;
  }

  /**
   * Parses {@code argv}.
   *
   * @param valued options that take a value, such as {@code --repo}
   * @param flags options without a value, such as {@code --force}
   * @param operandsAllowed whether arguments that are not options are accepted
   */
  static Args parse(List<String> argv, Set<String> valued, Set<String> flags,
      boolean operandsAllowed) throws CliException {
    Map<String, List<String>> values = new LinkedHashMap<>();
    Set<String> flagsGiven = new java.util.LinkedHashSet<>();
    List<String> operands = new ArrayList<>();
    boolean optionsEnded = false;
    for (int i = 0; i < argv.size(); i++) {
      String arg = argv.get(i);
      if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
        if (!operandsAllowed) {
          throw CliException.usage("unexpected argument '" + arg + "'");
        }
        operands.add(arg);
        continue;
      }
      if (arg.equals("--")) {
        optionsEnded = true;
        continue;
      }
      String name = arg;
      String inline = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        inline = arg.substring(eq + 1);
      }
      if (valued.contains(name)) {
        String value = inline;
        if (value == null) {
          if (i + 1 >= argv.size()) {
            throw CliException.usage("option " + name + " needs a value");
          }
          value = argv.get(++i);
        }
        values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      } else if (flags.contains(name)) {
        if (inline != null) {
          throw CliException.usage("option " + name + " takes no value (found '" + arg + "')");
        }
        flagsGiven.add(name);
      } else {
        throw CliException.usage("unknown option " + name);
      }
    }
    return new Args(values, flagsGiven, operands);
  }

  /** The value of an option that may be given at most once. */
  Optional<String> value(String name) throws CliException {
    List<String> given = values.getOrDefault(name, List.of());
    if (given.size() > 1) {
      throw CliException.usage("option " + name + " is given " + given.size()
          + " times; give it once");
    }
    return given.stream().findFirst();
  }

  /** The value of a required option; {@code what} says what it is, for the error message. */
  String required(String name, String what) throws CliException {
    Optional<String> v = value(name);
    if (v.isEmpty()) {
      throw CliException.usage("missing " + name + " " + what);
    }
    if (v.get().isEmpty()) {
      throw CliException.usage("option " + name + " needs a non-empty value: " + what);
    }
    return v.get();
  }

  /** Every value of an option that may be repeated, in order. */
  List<String> values(String name) {
    return List.copyOf(values.getOrDefault(name, List.of()));
  }

  /** Whether the flag was given. */
  boolean flag(String name) {
    return flagsGiven.contains(name);
  }

  /** The arguments that are not options, in order. */
  List<String> operands() {
    return List.copyOf(operands);
  }
}
