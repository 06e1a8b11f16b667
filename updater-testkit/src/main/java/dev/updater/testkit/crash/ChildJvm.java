package dev.updater.testkit.crash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code main} class of your tests, run in a child JVM on this JVM's class path, that can be
 * killed at a {@link FaultPoint} (it halts there, as {@code kill -9} would) or with SIGKILL after
 * a delay. The child is the process that crashes; your test, in this JVM, then builds a new
 * updater on the same home and checks what recovery makes of it (see {@link CrashChecks}).
 *
 * <pre>{@code
 * // the child: your own updater and upgrade flow, on the home and repository it is given
 * public final class InstallNewest {
 *   public static void main(String[] args) {
 *     Updater updater = MyApp.updater(Path.of(args[0]), Path.of(args[1]));
 *     updater.check().ifPresent(updater::install);
 *   }
 * }
 *
 * // the test
 * ChildExit exit = ChildJvm.of(InstallNewest.class, home.toString(), repo.toString())
 *     .haltAt(FaultPoint.AFTER_SWAP).run();
 * exit.requireHalted();
 * Updater updater = MyApp.updater(home, repo);
 * CrashChecks.assertSettled(updater, expectedTrees);   // exactly the old or the new release
 * CrashChecks.assertConverges(updater, V2);            // and the next install reaches the newest
 * }</pre>
 *
 * <p>Immutable: each {@code with}-style method returns a changed copy. Thread-safe; each {@link
 * #run()} starts a new process.
 */
public final class ChildJvm {
  /** How long a child may run before the test fails, unless {@link #timeout} says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  private final String mainClass;
  private final List<String> args;
  private final Optional<String> haltAt;
  private final List<String> jvmOptions;
  private final List<String> wrapper;
  private final Duration timeout;
  private final Optional<Duration> killAfter;

  private ChildJvm(String mainClass, List<String> args, Optional<String> haltAt,
      List<String> jvmOptions, List<String> wrapper, Duration timeout,
      Optional<Duration> killAfter) {
    this.mainClass = mainClass;
    this.args = List.copyOf(args);
    this.haltAt = haltAt;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.wrapper = List.copyOf(wrapper);
    this.timeout = timeout;
    this.killAfter = killAfter;
  }

  /** A child JVM that runs {@code mainClass} (a class with {@code main}) with {@code args}. */
  public static ChildJvm of(Class<?> mainClass, String... args) {
    Objects.requireNonNull(mainClass, "mainClass");
    return new ChildJvm(mainClass.getName(), List.of(args), Optional.empty(), List.of(),
        List.of(), DEFAULT_TIMEOUT, Optional.empty());
  }

  /** The same child, halting at {@code point}. */
  public ChildJvm haltAt(FaultPoint point) {
    Objects.requireNonNull(point, "point");
    return haltAt(point.id());
  }

  /**
   * The same child, halting at the point named {@code name}: one of {@link FaultPoint}'s ids, or a
   * point of your own that the child's code marks with {@link FaultPoint#hit(String)}.
   */
  public ChildJvm haltAt(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name a fault point; it is blank");
    }
    return new ChildJvm(mainClass, args, Optional.of(name), jvmOptions, wrapper, timeout,
        killAfter);
  }

  /**
   * The same child, killed with SIGKILL {@code delay} after it started, wherever it is then (a
   * child that ended earlier is not killed). For random-instant kills; a fault point is exact and
   * needs no waiting.
   */
  public ChildJvm killAfter(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("the delay must not be negative: " + delay);
    }
    return new ChildJvm(mainClass, args, haltAt, jvmOptions, wrapper, timeout,
        Optional.of(delay));
  }

  /** The same child with these options for the {@code java} command, such as {@code -Dx=y}. */
  public ChildJvm jvmOptions(String... options) {
    return new ChildJvm(mainClass, args, haltAt, List.of(options), wrapper, timeout, killAfter);
  }

  /**
   * The same child, started through {@code command} (a program and its arguments, before {@code
   * java}): to run it as another user or without some privileges, such as {@code setpriv
   * --reuid=65534 --regid=65534 --clear-groups}.
   */
  public ChildJvm wrappedIn(String... command) {
    return new ChildJvm(mainClass, args, haltAt, jvmOptions, List.of(command), timeout,
        killAfter);
  }

  /** The same child, failing the test when it runs longer than {@code limit}. */
  public ChildJvm timeout(Duration limit) {
    Objects.requireNonNull(limit, "limit");
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("the timeout must be positive: " + limit);
    }
    return new ChildJvm(mainClass, args, haltAt, jvmOptions, wrapper, limit, killAfter);
  }

  /** The command line {@link #run()} starts. */
  public List<String> command() {
    List<String> command = new ArrayList<>(wrapper);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1"));
    haltAt.ifPresent(point -> command.add("-D" + FaultPoint.PROPERTY + "=" + point));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(args);
    return command;
  }

  /**
   * Starts the child and waits until it ends (or is killed, with {@link #killAfter}).
   *
   * @return how it ended and everything it printed (standard output and error together)
   * @throws IOException when the child cannot be started or its output not read
   * @throws AssertionError when it runs longer than the timeout (it is killed then)
   */
  public ChildExit run() throws IOException, InterruptedException {
    Path log = Files.createTempFile("child-jvm-", ".log");
    try {
      Process p = new ProcessBuilder(command()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      boolean killed = false;
      try {
        if (killAfter.isPresent() && !p.waitFor(killAfter.get().toNanos(), TimeUnit.NANOSECONDS)) {
          p.destroyForcibly(); // SIGKILL on Unix
          killed = true;
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new AssertionError("the child " + mainClass + " did not end within " + timeout
              + "; it printed:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new ChildExit(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8),
            haltAt, killed);
      } finally {
        p.destroyForcibly();
        p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }

  @Override
  public String toString() {
    return "ChildJvm[" + mainClass + " " + args + haltAt.map(p -> ", halt at " + p).orElse("")
        + "]";
  }
}
