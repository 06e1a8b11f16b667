/**
 * Test support for hosts that embed the updater: fakes of the ports that record their calls and can
 * be told to fail at call N, in-memory homes and release repositories, and the contract tests an
 * adapter of a port extends.
 *
 * <ul>
 *   <li>Where releases come from: {@link dev.updater.testkit.InMemoryReleaseSource}, fed with
 *       archives from {@link dev.updater.testkit.ReleaseArchives} (well-formed) or
 *       {@link dev.updater.testkit.RawArchives} (entry by entry, hostile ones included);
 *       {@link dev.updater.testkit.Digests} for the SHA-256 a repository lists.
 *   <li>Where the install lives: {@link dev.updater.testkit.TestHomes} (Jimfs or a directory on
 *       disk), returning a closeable {@link dev.updater.testkit.TestHome}.
 *   <li>Updaters for tests: {@link dev.updater.testkit.Updaters} (no free-space requirement).
 *   <li>Fakes: {@link dev.updater.testkit.InMemoryLockStore},
 *       {@link dev.updater.testkit.InMemoryActivator}, {@link dev.updater.testkit.RecordingStager},
 *       {@link dev.updater.testkit.RecordingGate},
 *       {@link dev.updater.testkit.RecordingTelemetrySink},
 *       {@link dev.updater.testkit.RecordingRestarter},
 *       {@link dev.updater.testkit.RecordingMigrationRunner},
 *       {@link dev.updater.testkit.RecordingHealthCheck},
 *       {@link dev.updater.testkit.RecordingGuard},
 *       {@link dev.updater.testkit.RecordingHook}, {@link dev.updater.testkit.RecordingListener};
 *       all fail on schedule through one mechanism, {@link dev.updater.testkit.Failures}.
 *   <li>Time: {@link dev.updater.testkit.MutableClock}.
 *   <li>Contracts: {@link dev.updater.testkit.LockStoreContract},
 *       {@link dev.updater.testkit.ReleaseSourceContract},
 *       {@link dev.updater.testkit.ActivatorContract}, {@link dev.updater.testkit.StagerContract}.
 * </ul>
 *
 * <pre>{@code
 * try (TestHome home = TestHomes.jimfs()) {
 *   InMemoryReleaseSource source = InMemoryReleaseSource.create();
 *   source.publish(Version.parse("1.1.0"), ReleaseArchives.tarGz(Map.of("VERSION", "1.1.0")));
 *   RecordingRestarter restarter = RecordingRestarter.create();
 *   Updater updater = Updater.builder().home(home.path()).source(source)
 *       .lockStore(InMemoryLockStore.create(clock)).restarter(restarter).build();
 *   updater.check().ifPresent(updater::install);
 *   assertThat(restarter.callCount()).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Every type here is thread-safe unless its documentation says otherwise. This module depends
 * on JUnit Jupiter's API and AssertJ at compile scope; add it to a host's build with test scope.
 */
package dev.updater.testkit;
