package dev.updater.cli;

import java.util.Set;

/** {@code updater completion bash|zsh}: prints the shell completion script. */
final class CompletionCommand implements Command {

  @Override
  public String name() {
    return "completion";
  }

  @Override
  public String summary() {
    return "print the bash or zsh completion script";
  }

  @Override
  public String usage() {
    return "updater completion bash|zsh";
  }

  @Override
  public String help() {
    return String.join("\n",
        "  bash   source <(updater completion bash), or save it as",
        "         /etc/bash_completion.d/updater",
        "  zsh    updater completion zsh > \"${fpath[1]}/_updater\"",
        "The distribution archive ships both under share/.");
  }

  @Override
  public Set<String> valued() {
    return Set.of();
  }

  @Override
  public boolean operands() {
    return true;
  }

  @Override
  public int run(Args args, Env env) throws CliException {
    if (args.operands().size() != 1) {
      throw CliException.usage("name one shell: bash or zsh");
    }
    env.out().print(ShellCompletion.script(args.operands().get(0), Main.commands()));
    return Exit.OK;
  }
}
