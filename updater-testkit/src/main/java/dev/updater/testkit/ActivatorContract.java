package dev.updater.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.Layout;
import dev.updater.core.Version;
import dev.updater.core.spi.Activator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link Activator} must have, as a JUnit 5 test to extend: nothing is live in
 * a fresh home; {@code activate} makes a published release live, is idempotent, and switches back
 * to the previous release for a rollback; an observer sees the old or the new release during a
 * switch, never neither; {@code deactivate} leaves none live; {@code preflight} and {@code
 * prepare} change nothing that is live.
 *
 * <pre>{@code
 * class ComposeActivatorContractTest extends ActivatorContract {
 *   @Override
 *   protected Activator createActivator(Layout layout) {
 *     return ComposeActivator.builder(layout).build();
 *   }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh home on the real disk (JUnit's {@code @TempDir}) and publishes
 * releases as the pipeline does: {@link #stage} makes a tree, {@code prepare} is called on it, and
 * it is moved to {@code releases/<version>/}. Not thread-safe, like any JUnit test instance.
 */
public abstract class ActivatorContract {
  /** A first release. */
  protected static final Version V1 = Version.parse("1.0.0");
  /** A second release. */
  protected static final Version V2 = Version.parse("1.1.0");
  private static final int SWITCHES = 200;

  /** A fresh home for each test. */
  @TempDir
  protected Path home;

  /** The layout of {@link #home}. */
  protected Layout layout;

  /** The activator under test, created before each test. */
  protected Activator activator;

  /** Creates the activator under test for a fresh, empty install at {@code layout}. */
  protected abstract Activator createActivator(Layout layout) throws Exception;

  /** Creates the activator under test. */
  @BeforeEach
  public final void createActivatorForAFreshHome() throws Exception {
    layout = Layout.of(home);
    activator = createActivator(layout);
  }

  /**
   * Publishes {@code version} as the pipeline does: a staged tree holding a {@code VERSION} file,
   * {@link Activator#prepare} on it, then a move to {@code releases/<version>/}.
   */
  protected void publish(Version version) throws Exception {
    Path staged = stage(version);
    activator.prepare(staged, version);
    Files.createDirectories(layout.releases());
    Files.move(staged, layout.release(version));
  }

  /** A staged tree of {@code version} beside the releases, as the pipeline would stage it. */
  protected Path stage(Version version) throws Exception {
    Path staged = Files.createDirectories(home.resolve(".updater/staging/" + version));
    Files.writeString(staged.resolve("VERSION"), version.toString());
    return staged;
  }

  @Test
  public void hasNoLiveReleaseInAFreshHome() throws Exception {
    assertThat(activator.active()).isEmpty();
  }

  @Test
  public void makesAPublishedReleaseLive() throws Exception {
    publish(V1);

    activator.activate(V1);

    assertThat(activator.active()).contains(V1);
  }

  @Test
  public void activatesTheLiveReleaseAgainWithoutChangingAnything() throws Exception {
    publish(V1);
    activator.activate(V1);

    activator.activate(V1);

    assertThat(activator.active()).contains(V1);
  }

  @Test
  public void switchesToANewerReleaseAndBackForARollback() throws Exception {
    publish(V1);
    publish(V2);
    activator.activate(V1);

    activator.activate(V2);
    assertThat(activator.active()).contains(V2);

    activator.activate(V1);
    assertThat(activator.active()).contains(V1);
  }

  @Test
  public void leavesNoReleaseLiveAfterDeactivate() throws Exception {
    publish(V1);
    activator.activate(V1);

    activator.deactivate();

    assertThat(activator.active()).isEmpty();
  }

  @Test
  public void changesNothingLiveInPreflight() throws Exception {
    activator.preflight();
    assertThat(activator.active()).isEmpty();

    publish(V1);
    activator.activate(V1);
    activator.preflight();
    assertThat(activator.active()).contains(V1);
  }

  @Test
  public void changesNothingLiveWhenPreparingTheNextRelease() throws Exception {
    publish(V1);
    activator.activate(V1);

    activator.prepare(stage(V2), V2);

    assertThat(activator.active()).contains(V1);
  }

  @Test
  public void showsAnObserverTheOldOrTheNewReleaseDuringASwitchNeverNeither() throws Exception {
    publish(V1);
    publish(V2);
    activator.activate(V1);
    List<Optional<Version>> wrong = new CopyOnWriteArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    AtomicBoolean done = new AtomicBoolean();
    Thread observer = new Thread(() -> {
      while (!done.get()) {
        try {
          Optional<Version> seen = activator.active();
          if (!seen.equals(Optional.of(V1)) && !seen.equals(Optional.of(V2))) {
            wrong.add(seen);
          }
        } catch (Exception | AssertionError e) {
          errors.add(e);
        }
      }
    }, "activator-contract-observer");
    observer.start();
    try {
      for (int i = 0; i < SWITCHES; i++) {
        activator.activate(i % 2 == 0 ? V2 : V1);
      }
    } finally {
      done.set(true);
      observer.join(10_000);
    }

    assertThat(errors).isEmpty();
    assertThat(wrong).isEmpty();
    assertThat(activator.active()).contains(V1);
  }
}
