package dev.updater.core;

import dev.updater.core.confirm.Watcher;
import dev.updater.core.source.DirectoryReleaseSource;
import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.spi.IncompatibleReleaseException;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Validation and copying in {@link Updater.Builder}. */
class UpdaterBuilderTest {
  @TempDir Path tmp;

  Updater.Builder complete() {
    return Updater.builder()
        .home(tmp.resolve("home"))
        .source(DirectoryReleaseSource.of(tmp.resolve("repo")));
  }

  @Test
  void shouldBuildWithOnlyAHomeAndASource() {
    Updater updater = complete().build();

    assertThat(updater.layout()).isEqualTo(Layout.of(tmp.resolve("home")));
  }

  @Test
  void shouldNameTheMissingHome() {
    Updater.Builder builder = Updater.builder().source(DirectoryReleaseSource.of(tmp));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("home(Path)")
        .hasMessageNotContaining("source(");
  }

  @Test
  void shouldNameTheMissingSource() {
    Updater.Builder builder = Updater.builder().home(tmp);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("source(ReleaseSource)")
        .hasMessageNotContaining("home(");
  }

  @Test
  void shouldNameEveryMissingPartAtOnce() {
    assertThatThrownBy(() -> Updater.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("home(Path)")
        .hasMessageContaining("source(ReleaseSource)");
  }

  static Stream<Arguments> nullArguments() {
    return Stream.of(
        nulled("home", b -> b.home(null)),
        nulled("source", b -> b.source(null)),
        nulled("channel", b -> b.channel(null)),
        nulled("stager", b -> b.stager(null)),
        nulled("activator", b -> b.activator(null)),
        nulled("lockStore", b -> b.lockStore(null)),
        nulled("lockTtl", b -> b.lockTtl(null)),
        nulled("checkCacheTtl", b -> b.checkCacheTtl(null)),
        nulled("migrationRunner", b -> b.migrationRunner(null)),
        nulled("guard", b -> b.guard(null)),
        nulled("gate", b -> b.gate(null)),
        nulled("restarter", b -> b.restarter(null)),
        nulled("healthCheck", b -> b.healthCheck(null)),
        nulled("listener", b -> b.listener(null)),
        nulled("step", b -> b.before(null, ctx -> { })),
        nulled("hook", b -> b.before(Step.STAGE, null)),
        nulled("step", b -> b.after(null, ctx -> { })),
        nulled("hook", b -> b.after(Step.STAGE, null)),
        nulled("clock", b -> b.clock(null)),
        nulled("runningVersion", b -> b.runningVersion(null)),
        nulled("owner", b -> b.owner(null)));
  }

  private static Arguments nulled(String parameter, Consumer<Updater.Builder> call) {
    return Arguments.of(parameter, Named.of(parameter, call));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("nullArguments")
  void shouldRejectANullArgumentNamingTheParameter(String parameter,
      Consumer<Updater.Builder> call) {
    Updater.Builder builder = Updater.builder();

    assertThatNullPointerException().isThrownBy(() -> call.accept(builder))
        .withMessage(parameter);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-beta", ".hidden", "beta/../stable", "beta channel", "bêta",
      "stable\n"})
  void shouldRejectABadChannelName(String channel) {
    assertThatThrownBy(() -> Updater.builder().channel(channel))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("channel");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t"})
  void shouldRejectABlankApplicationName(String application) {
    assertThatThrownBy(() -> Updater.builder().application(application))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("application");
  }

  @ParameterizedTest
  @ValueSource(strings = {"stable", "beta", "1.x", "release_candidate", "lts-2"})
  void shouldAcceptAChannelName(String channel) {
    assertThat(complete().channel(channel).build()).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, Long.MIN_VALUE})
  void shouldRejectALockTtlThatIsNotPositive(long seconds) {
    assertThatThrownBy(() -> Updater.builder().lockTtl(Duration.ofSeconds(seconds)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lockTtl");
  }

  @Test
  void shouldRejectNegativeFreeSpace() {
    assertThatThrownBy(() -> Updater.builder().freeSpace(-1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minBytes");
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.5, Double.NaN, Double.POSITIVE_INFINITY})
  void shouldRejectAnArtifactFactorThatIsNotAFiniteNonNegativeNumber(double factor) {
    assertThatThrownBy(() -> Updater.builder().freeSpace(0, factor))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("artifactFactor");
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.01, 1.01, Double.NaN})
  void shouldRejectAReserveThatIsNotAShareOfTheFileSystem(double fraction) {
    assertThatThrownBy(() -> Updater.builder().freeSpaceReserve(fraction))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 0 and 1");
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.5, Double.NaN, Double.POSITIVE_INFINITY})
  void shouldRejectAnInflationRatioBelowOneOrNotFinite(double ratio) {
    assertThatThrownBy(() -> Updater.builder().maxInflationRatio(ratio))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ratio must be a finite number >= 1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t"})
  void shouldRejectABlankOwner(String owner) {
    assertThatThrownBy(() -> Updater.builder().owner(owner))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("owner");
  }

  @Test
  void shouldKeepWhatItWasBuiltWithWhenTheBuilderChangesLater() throws IOException {
    TestRepository repo = new TestRepository(tmp.resolve("repo"));
    Release release = repo.publish(v("1.0.0"));
    List<String> calls = new CopyOnWriteArrayList<>();
    Updater.Builder builder = Updaters.builder(tmp.resolve("home"), repo.source())
        .before(Step.STAGE, ctx -> calls.add("hook built in"));
    Updater updater = builder.build();
    builder
        .before(Step.STAGE, ctx -> calls.add("hook added later"))
        .after(Step.ACTIVATE, ctx -> calls.add("after hook added later"))
        .guard(ctx -> {
          calls.add("guard added later");
          return () -> { };
        })
        .gate((r, installed) -> {
          throw new IncompatibleReleaseException("gate added later");
        })
        .listener(event -> calls.add("listener added later"));

    UpdateResult result = updater.install(release);

    assertThat(result).isInstanceOf(UpdateResult.Updated.class);
    assertThat(calls).containsExactly("hook built in");
  }

  @Test
  void shouldRefuseANegativeCheckCacheTtlAndAcceptZero() {
    assertThatThrownBy(() -> Updater.builder().checkCacheTtl(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("checkCacheTtl");
    assertThat(Updater.builder().checkCacheTtl(Duration.ZERO)).isNotNull();
  }

  private static Watcher watcher() {
    return Watcher.builder().restartCommand("systemctl", "--user", "restart", "myapp.service")
        .build();
  }

  @Test
  void shouldRefuseAWatcherWithoutARestarter() {
    assertThatThrownBy(() -> complete().watcher(watcher()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("watcher(...) needs a restarter(...) other than Restarter.NONE");
  }

  @Test
  void shouldRefuseAWatcherWithAnotherLockStoreOrActivator() {
    assertThatThrownBy(() -> complete().watcher(watcher()).restarter(ctx -> { })
        .lockStore(unused(dev.updater.core.spi.LockStore.class))
        .activator(unused(dev.updater.core.spi.Activator.class)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the default lock store")
        .hasMessageContaining("the default symbolic-link activator");
  }

  /** An implementation of {@code port} that is never called: build() does no I/O. */
  private static <T> T unused(Class<T> port) {
    return port.cast(java.lang.reflect.Proxy.newProxyInstance(port.getClassLoader(),
        new Class<?>[] {port}, (proxy, method, args) -> {
          throw new AssertionError("called " + method);
        }));
  }

  @Test
  void shouldBuildAWatcherWithARestarterAndTheDefaultLockAndActivator() {
    assertThat(complete().watcher(watcher()).restarter(ctx -> { }).build()).isNotNull();
  }

  @Test
  void shouldRefuseAWatcherWithoutARestartCommand() {
    assertThatThrownBy(() -> Watcher.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("restartCommand(...)");
    assertThatThrownBy(() -> Watcher.builder().restartCommand(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Watcher.builder().pollInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
